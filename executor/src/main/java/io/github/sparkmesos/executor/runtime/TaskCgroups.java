package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.executor.pipeline.TaskLog;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.os.TaskCgroup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The cgroups of this executor's process tasks: one per task, in {@code spark-mesos-executor-<token>}
 * under the executor's own cgroup (v1 memory and cpuacct, else v2's, where writable), with the task's {@code mem}
 * as its memory limit. At the task's end what is left in it (a process that left the task's session)
 * is killed, its use goes to the task's stderr, and it is removed. The hierarchies are looked up with
 * the first task: the executor's start reads nothing of them.
 */
final class TaskCgroups {

  /** The operator's setting: {@code false} runs tasks without cgroups of their own. */
  static final String ENABLED = "SPARK_MESOS_EXECUTOR_TASK_CGROUPS";
  private static final long EMPTY_WAIT_NANOS = 5_000_000_000L;
  /** Where tasks' cgroups are finished: it may wait for killed processes, so not in the common pool. */
  static final java.util.concurrent.Executor FINISHER = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "task-cgroup-finish");
    t.setDaemon(true);
    return t;
  });

  private final String group;
  private final boolean enabled;
  private TaskCgroup.Hierarchies hierarchies;

  TaskCgroups(String group, Map<String, String> operatorEnvironment) {
    this.group = group;
    this.enabled = !"false".equalsIgnoreCase(operatorEnvironment.getOrDefault(ENABLED, "").trim());
  }

  private synchronized TaskCgroup.Hierarchies hierarchies() {
    if (hierarchies == null) {
      hierarchies = enabled ? TaskCgroup.hierarchies() : TaskCgroup.Hierarchies.NONE;
    }
    return hierarchies;
  }

  /** Where this executor's task cgroups go, one directory per hierarchy: what its guardian clears. */
  List<Path> groupDirectories() {
    return TaskCgroup.groupDirectories(hierarchies(), group);
  }

  /** The task's cgroup, made; empty where cgroups are off, not writable, or could not be made (a warning). */
  Optional<TaskCgroup> create(LaunchPlan plan) {
    TaskCgroup.Hierarchies hierarchies = hierarchies();
    if (hierarchies.isEmpty()) {
      return Optional.empty();
    }
    OptionalLong limit = plan.resources().memoryMib().map(m -> OptionalLong.of(m << 20)).orElse(OptionalLong.empty());
    try {
      return Optional.of(TaskCgroup.create(hierarchies, group, "task-" + name(plan.taskId()), limit));
    } catch (IOException e) {
      Log.warn("task " + plan.taskId() + " runs without a cgroup of its own: " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The task ended and its session is empty: kills what is left in its cgroup, waits until the cgroup
   * is empty, notes the task's use in its stderr, and removes the cgroup. Returns the use.
   */
  static TaskCgroup.Usage finish(TaskCgroup cgroup, TaskLog log) {
    int stragglers = 0;
    long deadline = System.nanoTime() + EMPTY_WAIT_NANOS;
    while (!cgroup.pids().isEmpty() && System.nanoTime() < deadline) {
      stragglers += cgroup.killAll();
      LockSupport.parkNanos(5_000_000L); // killed processes leave the cgroup as the kernel reaps them
    }
    TaskCgroup.Usage usage = cgroup.usage();
    log.note("the task's cgroup: " + usage.describe()
        + (stragglers > 0 ? "; killed " + stragglers + " process(es) it left outside its session" : ""));
    if (!cgroup.remove()) {
      Log.warn("the task's cgroup " + cgroup + " could not be removed");
    }
    return usage;
  }

  /** A task id as a cgroup directory's name: no slash, no dot-only name, at most 100 characters. */
  static String name(String taskId) {
    String safe = taskId.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.length() > 100 ? safe.substring(0, 100) : safe;
  }
}
