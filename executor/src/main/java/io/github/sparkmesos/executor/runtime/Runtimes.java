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
    try {
      return docker();
    } catch (RuntimeException e) {
      throw new LaunchFailedException("Cannot reach the Docker engine for image '" + image + "': "
          + e.getMessage(), e);
    }
  }

  /**
   * Makes the Docker runtime now, on a thread of its own, for an executor whose every task runs in a container
   * (the agent's Docker executor): its container then does not wait for docker-java to load and the engine to
   * answer. A plan selected meanwhile waits for it; a failure is left for that plan to report.
   */
  public void prepareDocker() {
    Thread thread = new Thread(() -> {
      try {
        docker();
      } catch (RuntimeException e) {
        // the first plan in a container tries again and says why
      }
    }, "docker-runtime-start");
    thread.setDaemon(true);
    thread.start();
  }

  private synchronized TaskRuntime docker() {
    if (dockerRuntime == null) {
      dockerRuntime = docker.get();
    }
    return dockerRuntime;
  }
}
