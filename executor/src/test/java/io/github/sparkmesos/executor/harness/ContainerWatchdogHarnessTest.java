package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.ContainerLifecycle;
import io.github.sparkmesos.docker.TestEngine;
import io.github.sparkmesos.executor.runtime.DockerRuntime;
import io.github.sparkmesos.testing.Skips;
import io.github.sparkmesos.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing of a task outlives the executor, in Docker too: a real executor JVM under the harness runs
 * a task in a busybox container; SIGKILLed once the task runs, it leaves no container for longer than
 * the agent's recovery timeout (2 s without checkpointing).
 */
class ContainerWatchdogHarnessTest {

  private static ContainerLifecycle containers;

  @BeforeAll
  static void engine() throws Exception {
    // skips with a message where there is no engine, never under CI=true
    containers = new ContainerLifecycle(TestEngine.get());
  }

  private static List<String> containersOf(String taskId) throws Exception {
    return containers.withLabels(Map.of(DockerRuntime.LABEL_FRAMEWORK, Harness.FRAMEWORK_ID,
        DockerRuntime.LABEL_TASK, taskId));
  }

  /**
   * As an agent's Linux launcher destroys an executor's container: the executor is born in a freezer and a memory
   * cgroup of the test's, which are frozen, every process in them killed, thawed, then removed. The watchdog, which
   * left them, still removes the container.
   */
  @Test
  void anAgentsDestroyOfTheExecutorsCgroupsLeavesNoContainer(@TempDir Path dir) throws Exception {
    Path freezer = ownCgroup("freezer");
    Path memory = ownCgroup("memory");
    String name = "sme-test-destroy-" + UUID.randomUUID().toString().substring(0, 8);
    Path frozen = Files.createDirectory(freezer.resolve(name));
    Path limited = Files.createDirectory(memory.resolve(name));
    String taskId = "dcg-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      String self = Long.toString(ProcessHandle.current().pid());
      Harness harness;
      // the executor is born in the test's cgroups, as an agent's launcher starts it in the container's
      Files.writeString(frozen.resolve("cgroup.procs"), self);
      Files.writeString(limited.resolve("cgroup.procs"), self);
      try {
        harness = HarnessRun.start(dir, TaskFile.commandTask(taskId, "exec sleep 600",
            Map.of("spark.mesos.executor.docker.image", TestEngine.BUSYBOX)));
      } finally {
        Files.writeString(freezer.resolve("cgroup.procs"), self);
        Files.writeString(memory.resolve("cgroup.procs"), self);
      }
      HarnessRun.awaitUpdate(harness, taskId, "TASK_RUNNING", Duration.ofMinutes(2));
      assertEquals(1, containersOf(taskId).size(), "the task runs in a container");

      // the agent's destroy: freeze, SIGKILL everything in the cgroup, thaw, remove the cgroups
      Files.writeString(frozen.resolve("freezer.state"), "FROZEN");
      Waits.awaitCondition(() -> read(frozen.resolve("freezer.state")).equals("FROZEN"), Duration.ofSeconds(30),
          "the executor's cgroup frozen");
      List<String> pids = Files.readAllLines(frozen.resolve("cgroup.procs"));
      assertTrue(pids.contains(Long.toString(harness.executorPid())), "the executor was in the cgroup: " + pids);
      for (String pid : pids) {
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
      }
      Files.writeString(frozen.resolve("freezer.state"), "THAWED");
      Waits.awaitCondition(() -> read(frozen.resolve("cgroup.procs")).isEmpty(), Duration.ofSeconds(30),
          "every process of the executor's cgroup gone");
      Files.delete(frozen);
      Files.delete(limited);

      Waits.awaitCondition(() -> {
        try {
          return containersOf(taskId).isEmpty();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, Duration.ofSeconds(5), "the container removed by its watchdog after the executor's cgroups were destroyed");
      HarnessRun.finish(harness);
    } finally {
      for (String container : containersOf(taskId)) {
        containers.remove(container); // only when the test failed
      }
      Files.deleteIfExists(frozen);
      Files.deleteIfExists(limited);
    }
  }

  /** This process's cgroup in the v1 hierarchy of {@code controller}; the test is skipped where it is not writable. */
  private static Path ownCgroup(String controller) throws Exception {
    Path mount = Path.of("/sys/fs/cgroup", controller);
    String path = Files.readAllLines(Path.of("/proc/self/cgroup")).stream().map(l -> l.split(":", 3))
        .filter(f -> f.length == 3 && List.of(f[1].split(",")).contains(controller)).map(f -> f[2])
        .findFirst().orElse(null);
    Skips.require(path != null && Files.isWritable(mount.resolve(path.substring(1))),
        "no writable cgroup v1 " + controller + " hierarchy at " + mount + " (needs root)");
    return mount.resolve(path.substring(1));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void anExecutorKilledWithSigkillLeavesNoContainerPastTheRecoveryTimeout(@TempDir Path dir) throws Exception {
    String taskId = "dwatch-" + UUID.randomUUID().toString().substring(0, 8);
    Harness harness = HarnessRun.start(dir, TaskFile.commandTask(taskId, "exec sleep 600",
        Map.of("spark.mesos.executor.docker.image", TestEngine.BUSYBOX)));
    HarnessRun.awaitUpdate(harness, taskId, "TASK_RUNNING", Duration.ofMinutes(2));
    assertEquals(1, containersOf(taskId).size(), "the task runs in a container");

    long start = System.nanoTime();
    // kill(pid, SIGKILL): no exit hook runs, no task is told
    assertTrue(ProcessHandle.of(harness.executorPid()).orElseThrow().destroyForcibly());
    long millis = -1;
    while (millis < 0) {
      long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (containersOf(taskId).isEmpty()) {
        millis = elapsed;
      } else {
        assertTrue(elapsed < 30_000, "the container is still there " + elapsed + " ms after the SIGKILL");
        LockSupport.parkNanos(20_000_000L);
      }
    }
    System.out.println("container gone " + millis + " ms after the executor's SIGKILL");
    assertTrue(millis < 5_000, "gone within the 2 s recovery timeout and a margin: " + millis + " ms");

    HarnessRun.Run run = HarnessRun.finish(harness);
    assertEquals(9, run.result().executorExit().orElseThrow().signal(), run.stdout().toString());
    Harness.Update last = run.result().terminal(taskId);
    assertTrue(last.state() == TaskState.TASK_FAILED || last.state() == TaskState.TASK_LOST
        || last.state() == TaskState.TASK_GONE, last.toString());
  }
}
