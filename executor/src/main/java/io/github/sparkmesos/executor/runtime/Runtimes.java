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
    if (plan.container().isPresent()) {
      String image = plan.container().get().image().toString();
      if (plan.containerizer() == LaunchPlan.Containerizer.MESOS) {
        throw new LaunchFailedException("image '" + image + "' is asked of the Mesos containerizer"
            + " (spark.mesos.containerizer=mesos, or a TaskInfo.container of type MESOS), which this executor does not"
            + " provide; use spark.mesos.containerizer=docker, or run without spark.mesos.executor.docker.image");
      }
      throw new LaunchFailedException("this executor cannot run tasks in a container image yet ('" + image
          + "'); run without spark.mesos.executor.docker.image (or TaskInfo.container image)");
    }
    return process;
  }
}
