package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.ContainerLifecycle;
import io.github.sparkmesos.docker.TestEngine;
import io.github.sparkmesos.executor.runtime.DockerRuntime;
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
