package io.github.sparkmesos.executor.pipeline;

import java.util.List;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;

/** Receives a task's states in order, the last one terminal, and its health and check results. */
public interface TaskReporter {
  void status(TaskState state, Reason reason, String message);

  /** TASK_RUNNING, with the addresses the task can be reached at (none: the host's). */
  default void running(String message, List<String> addresses) {
    status(TaskState.TASK_RUNNING, null, message);
  }

  /** The health check's verdict, as Mesos's TaskHealthStatus: kill the task when {@code killTask}. */
  default void health(boolean healthy, boolean killTask) {}

  /** The check's new status (only when it changed). */
  default void check(CheckStatusInfo status) {}
}
