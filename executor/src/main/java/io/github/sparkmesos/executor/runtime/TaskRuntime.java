package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;
import java.util.function.Consumer;

/**
 * The seam between a task's story and how its command runs. The pipeline hands a runtime a plan
 * whose URIs are fetched and whose secrets are resolved; the runtime starts the command and gives
 * back the handle it is supervised and killed through.
 */
public interface TaskRuntime {

  /**
   * Makes present what the plan needs before its start, such as its container image; may be slow (it
   * runs before the start, where a kill can still end the task at once) and says how it goes through
   * {@code progress}, at most once every 30 s. Nothing by default.
   */
  default void prepare(LaunchPlan plan, Consumer<String> progress) throws LaunchFailedException {}

  /**
   * Takes back what {@link #prepare} made for a plan that will not start (killed, or a later step failed).
   * Nothing by default.
   */
  default void abandon(LaunchPlan plan) {}

  /** Starts the plan's command; nothing of it is left running when this throws. */
  RunningTask start(LaunchPlan plan) throws LaunchFailedException;
}
