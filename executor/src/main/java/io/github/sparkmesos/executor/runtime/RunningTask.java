package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.os.ExitStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A task's command as a runtime started it: a process tree or a container. */
public interface RunningTask {

  /** What the runtime calls it, for messages: "process 4242", a container id. */
  String id();

  /** Completes with the command's exit status. */
  CompletableFuture<ExitStatus> exit();

  /** Completes once the command has exited and nothing it started is left. */
  CompletableFuture<Void> allGone();

  /**
   * SIGTERM to everything of the task now (first call only), SIGKILL once {@code grace} has passed;
   * a later call may bring the SIGKILL forward, never push it back.
   */
  void kill(Duration grace);

  /** SIGKILL to everything of the task at once: the executor is leaving. */
  void killNow();

  /** Whether anything of the task (its command or what it started) is still there. */
  boolean anyAlive();

  /** Whether {@link #kill} was called. */
  boolean killRequested();

  /** The addresses the task can be reached at, for {@code container_status.network_infos}. */
  List<String> addresses();

  /** What runs, for its terminal message: "Command" (as Mesos's command executor) or "Container" (its Docker executor). */
  default String kind() {
    return "Command";
  }

  /** Whether its end came from the kernel's out-of-memory killer (a container at its memory limit). */
  default boolean oomKilled() {
    return false;
  }

  /**
   * The argv a COMMAND check of the task runs: as the task's user, with its limits. Unchanged by default
   * (a container's checks run in its container).
   */
  default List<String> checkCommand(List<String> argv) {
    return argv;
  }

  /** The network namespace the task runs in when it is not the executor's (its CNI networks'): its checks go there. */
  default java.util.Optional<java.nio.file.Path> networkNamespace() {
    return java.util.Optional.empty();
  }

  /** The environment the command runs with: what a COMMAND check of the task runs with too. */
  Map<String, String> environment();
}
