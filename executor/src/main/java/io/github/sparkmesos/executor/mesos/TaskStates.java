package io.github.sparkmesos.executor.mesos;

import org.apache.mesos.v1.Protos.TaskState;

/** Facts about Mesos task states. */
public final class TaskStates {

  private TaskStates() {}

  /** A state after which a task sends no other (TASK_LOST included, as executors treat it). */
  public static boolean isTerminal(TaskState state) {
    return switch (state) {
      case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_DROPPED, TASK_GONE, TASK_LOST,
          TASK_GONE_BY_OPERATOR -> true;
      default -> false;
    };
  }
}
