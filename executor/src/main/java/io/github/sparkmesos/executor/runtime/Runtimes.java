package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.executor.task.TaskValidation;
import java.util.function.Supplier;

/**
 * Chooses the runtime a plan runs in: a process on this host, or a Docker container when it names an
 * image. The Docker runtime is made on the first plan that needs it: the executor's start path loads
 * nothing of Docker.
 */
public final class Runtimes {

  private final TaskRuntime process;
  private final Supplier<TaskRuntime> docker;
  private TaskRuntime dockerRuntime;

  public Runtimes(TaskRuntime process, Supplier<TaskRuntime> docker) {
    this.process = process;
    this.docker = docker;
  }

  public synchronized TaskRuntime select(LaunchPlan plan) throws LaunchFailedException {
    if (plan.container().isEmpty()) {
      return process;
    }
    TaskValidation.requireSupportedContainerizer(plan);
    String image = plan.container().get().image().toString();
    if (dockerRuntime == null) {
      try {
        dockerRuntime = docker.get();
      } catch (RuntimeException e) {
        throw new LaunchFailedException("Cannot reach the Docker engine for image '" + image + "': "
            + e.getMessage(), e);
      }
    }
    return dockerRuntime;
  }
}
