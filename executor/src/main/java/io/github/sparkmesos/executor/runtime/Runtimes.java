package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;

/** Chooses the runtime a plan runs in: a process on this host, or (to come) a Docker container. */
public final class Runtimes {

  private final TaskRuntime process;

  public Runtimes(TaskRuntime process) {
    this.process = process;
  }

  public TaskRuntime select(LaunchPlan plan) throws LaunchFailedException {
    if (plan.image().isPresent()) {
      throw new LaunchFailedException("this executor cannot run tasks in a container image yet ('"
          + plan.image().get() + "'); run without spark.mesos.executor.docker.image (or TaskInfo.container image)");
    }
    return process;
  }
}
