package io.github.sparkmesos.executor;

import io.github.sparkmesos.executor.pipeline.TaskReporter;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/** A pipeline's news about its task, each posted to the executor's loop thread, in order. */
final class PipelineReporter implements TaskReporter {

  /** The executor's handling of a state: its update, then what follows it (siblings, timers, exit). */
  interface StateHandler {
    void status(String taskId, TaskState state, TaskStatus.Reason reason, String message);
  }

  private final String taskId;
  private final Consumer<Runnable> loop;
  private final TaskReports reports;
  private final StateHandler states;
  private final BiConsumer<TaskTable.Entry, TaskState> afterUpdate;

  /** @param afterUpdate what follows an update the reports made (null: none was made) */
  PipelineReporter(String taskId, Consumer<Runnable> loop, TaskReports reports, StateHandler states,
      BiConsumer<TaskTable.Entry, TaskState> afterUpdate) {
    this.taskId = taskId;
    this.loop = loop;
    this.reports = reports;
    this.states = states;
    this.afterUpdate = afterUpdate;
  }

  @Override
  public void status(TaskState state, TaskStatus.Reason reason, String message) {
    loop.accept(() -> states.status(taskId, state, reason, message));
  }

  @Override
  public void running(String message, List<String> addresses) {
    loop.accept(() -> afterUpdate.accept(reports.running(taskId, message, addresses), TaskState.TASK_RUNNING));
  }

  @Override
  public void health(boolean healthy, boolean killTask) {
    loop.accept(() -> reports.health(taskId, healthy, killTask));
  }

  @Override
  public void check(CheckStatusInfo status) {
    loop.accept(() -> reports.check(taskId, status));
  }
}
