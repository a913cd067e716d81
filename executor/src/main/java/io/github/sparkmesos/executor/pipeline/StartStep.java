package io.github.sparkmesos.executor.pipeline;

import io.github.sparkmesos.executor.runtime.RunningTask;
import io.github.sparkmesos.executor.runtime.TaskRuntime;
import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;

/** Hands the plan to its runtime. */
final class StartStep {

  private StartStep() {}

  static RunningTask run(TaskRuntime runtime, LaunchPlan plan, TaskLog log) throws LaunchFailedException {
    RunningTask task = runtime.start(plan);
    log.note("started " + task.id() + " in " + plan.directory());
    return task;
  }
}
