package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.docker.ContainerSpec;
import io.github.sparkmesos.executor.task.LaunchPlan;
import java.util.ArrayList;
import java.util.List;

/** A task's resources as its container's limits, with the numbers Mesos's Docker containerizer uses (§4.3). */
final class ContainerResources {

  /** Mesos's {@code MIN_CPU_SHARES}. */
  private static final int MIN_CPU_SHARES = 2;
  /** Mesos's {@code MIN_MEMORY} (32 MB). */
  private static final long MIN_MEMORY_MIB = 32;
  /** The memory Mesos adds for a command task's executor ({@code DEFAULT_EXECUTOR_MEM}, 32 MB). */
  private static final long EXECUTOR_MEMORY_MIB = 32;

  private ContainerResources() {}

  /** Mesos's {@code --cpu-shares}: {@code max(1024 * cpus, 2)}. */
  static int cpuShares(double cpus) {
    return (int) Math.max(Math.min(1024 * cpus, Integer.MAX_VALUE), MIN_CPU_SHARES);
  }

  /**
   * Mesos's {@code --memory}: the task's mem plus the executor's (Mesos gives the container both), at least
   * 32 MiB; the limit holds swap too.
   */
  static long memoryBytes(long taskMib) {
    return Math.max(taskMib + EXECUTOR_MEMORY_MIB, MIN_MEMORY_MIB) << 20;
  }

  /**
   * The task's {@code gpus} as the engine's device request ({@code docker run --gpus N}), unless a {@code gpus}
   * parameter asks for them itself; an engine without a GPU runtime refuses the container, and the task fails
   * with the engine's word.
   */
  static List<ContainerSpec.Parameter> withGpus(List<ContainerSpec.Parameter> parameters,
      LaunchPlan.Resources resources) {
    if (resources.gpus().filter(n -> n > 0).isEmpty()
        || parameters.stream().anyMatch(p -> p.option().equals("gpus"))) {
      return parameters;
    }
    List<ContainerSpec.Parameter> all = new ArrayList<>(parameters);
    all.add(new ContainerSpec.Parameter("gpus", Long.toString(resources.gpus().get())));
    return all;
  }
}
