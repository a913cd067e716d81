package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.executor.pipeline.TaskLog;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ExitStatus;
import io.github.sparkmesos.os.Signal;
import io.github.sparkmesos.os.TaskCgroup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A process task: a session leader and its whole session, and, with a cgroup, everything in that
 * cgroup. "All gone" is the session's end followed by the cgroup's ({@link TaskCgroups#finish}: what
 * left the session is killed there, the task's use is noted in its stderr, the cgroup removed).
 */
final class ProcessTask implements RunningTask {

  private final ChildProcess child;
  private final Map<String, String> environment;
  private final Optional<TaskCgroup> cgroup;
  private final UnaryOperator<List<String>> checkCommand;
  private final CompletableFuture<Void> allGone;
  private volatile TaskCgroup.Usage usage;

  /** @param checkCommand the task's setup (user, limits) around a check's argv, no cgroup: a check is not the task */
  ProcessTask(ChildProcess child, Map<String, String> environment, Optional<TaskCgroup> cgroup, TaskLog log,
      UnaryOperator<List<String>> checkCommand) {
    this.child = child;
    this.checkCommand = checkCommand;
    this.environment = environment;
    this.cgroup = cgroup;
    // off the reaper thread, which completes the session's end
    this.allGone = cgroup.isEmpty() ? child.onGroupGone()
        : child.onGroupGone().thenRunAsync(() -> usage = TaskCgroups.finish(cgroup.get(), log), TaskCgroups.FINISHER);
  }

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
    return allGone;
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
    cgroup.ifPresent(TaskCgroup::killAll);
  }

  @Override
  public boolean anyAlive() {
    return child.groupAlive() || cgroup.map(c -> !c.pids().isEmpty()).orElse(false);
  }

  @Override
  public boolean killRequested() {
    return child.terminationRequested();
  }

  @Override
  public List<String> addresses() {
    return List.of(); // the host's own: nothing to report
  }

  /** Whether the kernel's OOM killer ended a process of the task's cgroup (at the task's memory limit). */
  @Override
  public boolean oomKilled() {
    TaskCgroup.Usage known = usage;
    if (known != null) {
      return known.oomKills() > 0;
    }
    return cgroup.map(c -> c.usage().oomKills() > 0).orElse(false);
  }

  @Override
  public List<String> checkCommand(List<String> argv) {
    return checkCommand.apply(argv);
  }

  @Override
  public Map<String, String> environment() {
    return environment;
  }
}
