package io.github.sparkmesos.executor.pipeline;

import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;

/** Receives a task's states in order; the last one is terminal. */
public interface TaskReporter {
  void status(TaskState state, Reason reason, String message);
}
