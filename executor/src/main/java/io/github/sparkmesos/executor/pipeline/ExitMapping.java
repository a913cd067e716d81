package io.github.sparkmesos.executor.pipeline;

import io.github.sparkmesos.executor.task.SparkExitCodes;
import io.github.sparkmesos.os.ExitStatus;
import java.nio.file.Path;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;

/**
 * The one place an ended command becomes a terminal state, as Mesos's command executor words it:
 * killed on request is TASK_KILLED, exit 0 TASK_FINISHED, anything else TASK_FAILED; the message is
 * "Command exited with status N" (with Spark's meaning of N) or "Command terminated with signal S".
 */
public final class ExitMapping {

  /** A terminal update's content. */
  public record Terminal(TaskState state, Reason reason, String message) {}

  private ExitMapping() {}

  /**
   * A command the executor killed because it ran past {@code TaskInfo.max_completion_time}: failed,
   * with Mesos's reason, whatever its exit.
   */
  public static Terminal overMaxCompletionTime(ExitStatus exit, String kind, java.time.Duration limit) {
    return new Terminal(TaskState.TASK_FAILED, Reason.REASON_MAX_COMPLETION_TIME_REACHED,
        kind + " " + exit.describe() + " (killed: it ran past its max_completion_time of "
            + io.github.sparkmesos.executor.mesos.Durations.format(limit) + ")");
  }

  public static Terminal of(ExitStatus exit, boolean killRequested, Path stderr) {
    return of(exit, "Command", false, killRequested, stderr);
  }

  /**
   * @param kind      "Command", or "Container" for a task in a container (Mesos's Docker executor's word)
   * @param oomKilled it ended at its memory limit: REASON_CONTAINER_LIMITATION_MEMORY, unless killed on request
   */
  public static Terminal of(ExitStatus exit, String kind, boolean oomKilled, boolean killRequested, Path stderr) {
    String message = kind + " " + exit.describe();
    if (!exit.isSignaled() && exit.code() != 0) {
      String why = SparkExitCodes.explain(exit.code());
      message += why.isEmpty() ? "" : " (" + why + ")";
    }
    if (killRequested) {
      return new Terminal(TaskState.TASK_KILLED, null, message);
    }
    if (oomKilled) {
      return new Terminal(TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LIMITATION_MEMORY,
          message + " (killed at its memory limit); see " + stderr);
    }
    if (exit.isSuccess()) {
      return new Terminal(TaskState.TASK_FINISHED, null, message);
    }
    return new Terminal(TaskState.TASK_FAILED, null, message + "; see " + stderr);
  }
}
