package io.github.sparkmesos.executor.harness;

import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ProcessTable;
import io.github.sparkmesos.os.Signal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The executor's container: its process and every process that carries the run's marker (the
 * executor's tasks run in sessions of their own). Destroying it kills them all, as the agent's
 * containerizer does.
 */
final class Container {

  private final ChildProcess executor;
  private final String runId;

  Container(ChildProcess executor, String runId) {
    this.executor = executor;
    this.runId = runId;
  }

  ChildProcess executor() {
    return executor;
  }

  boolean running() {
    return !executor.onExit().isDone();
  }

  /** The processes of this run still alive. */
  List<ProcessTable.Entry> processes() {
    return RunProcesses.find(Harness.RUN_MARKER, runId);
  }

  /** SIGKILL to the executor's group and every process of the run; returns once they are gone. */
  void destroy(String why) {
    Log.info("destroying the executor's container: " + why);
    executor.signalGroup(Signal.SIGKILL);
    List<ProcessTable.Entry> left = processes();
    RunProcesses.kill(left);
    CompletableFuture<?>[] gone = left.stream().map(e -> ProcessHandle.of(e.pid())
        .map(ProcessHandle::onExit).orElse(CompletableFuture.completedFuture(null))).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(gone).get(10, TimeUnit.SECONDS);
      executor.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      Log.warn("the executor's container was not gone 10 s after SIGKILL: " + e);
    }
  }
}
