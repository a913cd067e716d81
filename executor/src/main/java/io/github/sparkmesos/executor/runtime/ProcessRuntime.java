package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ExitStatus;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import io.github.sparkmesos.os.Signal;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a task's command as a plain process on this host: the leader of a new session in the task's
 * directory, its stdout and stderr appended to the files there, with the executor's inheritable
 * environment, {@code MESOS_SANDBOX} and {@code MESOS_TASK_ID} under the task's own variables.
 */
public final class ProcessRuntime implements TaskRuntime {

  private final Map<String, String> inheritedEnvironment;
  private final LogRotation logRotation;

  /** @param inheritedEnvironment the executor's environment less what no task may see */
  public ProcessRuntime(Map<String, String> inheritedEnvironment) {
    this(inheritedEnvironment, LogRotation.NONE);
  }

  /** @param logRotation how the task's stdout and stderr are kept ({@link RotatedOutput}); NONE: its own files */
  public ProcessRuntime(Map<String, String> inheritedEnvironment, LogRotation logRotation) {
    this.inheritedEnvironment = Map.copyOf(inheritedEnvironment);
    this.logRotation = logRotation;
  }

  @Override
  public RunningTask start(LaunchPlan plan) throws LaunchFailedException {
    Map<String, String> env = new LinkedHashMap<>(inheritedEnvironment);
    env.put("MESOS_SANDBOX", plan.directory().toString());
    env.put("MESOS_TASK_ID", plan.taskId());
    env.putAll(plan.environment());
    try {
      ProcessSpec spec = new ProcessSpec(plan.argv(), env, plan.directory(),
          plan.directory().resolve("stdout"), plan.directory().resolve("stderr"));
      // in the executor's own sandbox (a command task) the files are the executor's: the agent's logger keeps them
      if (logRotation.rotates() && !plan.inSandbox()) {
        RotatedOutput.Started started = RotatedOutput.spawn(spec, plan.directory(), logRotation);
        return new RotatedOutput.Task(new Process(started.child(), Map.copyOf(env)), started.allGone());
      }
      ChildProcess child = ProcessLauncher.spawn(spec);
      return new Process(child, Map.copyOf(env));
    } catch (IOException | IllegalArgumentException e) {
      throw new LaunchFailedException("Failed to start the command: " + e.getMessage(), e);
    }
  }

  /** A session leader and its whole session. */
  private record Process(ChildProcess child, Map<String, String> environment) implements RunningTask {

    @Override
    public String id() {
      return "process " + child.pid();
    }

    @Override
    public CompletableFuture<ExitStatus> exit() {
      return child.onExit();
    }

    @Override
    public CompletableFuture<Void> allGone() {
      return child.onGroupGone();
    }

    @Override
    public void kill(Duration grace) {
      child.kill(grace);
    }

    @Override
    public void killNow() {
      if (child.groupAlive()) {
        child.signalGroup(Signal.SIGKILL);
      }
    }

    @Override
    public boolean anyAlive() {
      return child.groupAlive();
    }

    @Override
    public boolean killRequested() {
      return child.terminationRequested();
    }

    @Override
    public List<String> addresses() {
      return List.of(); // the host's own: nothing to report
    }
  }
}
