package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;

/**
 * The seam between a task's story and how its command runs. The pipeline hands a runtime a plan
 * whose URIs are fetched and whose secrets are resolved; the runtime starts the command and gives
 * back the handle it is supervised and killed through.
 */
public interface TaskRuntime {

  /** Starts the plan's command; nothing of it is left running when this throws. */
  RunningTask start(LaunchPlan plan) throws LaunchFailedException;
}
