package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.os.TaskCgroup;
import io.github.sparkmesos.testing.Skips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process task in a cgroup of its own, through a real executor JVM under the harness: its memory
 * limit is its {@code mem}, and hitting it is REASON_CONTAINER_LIMITATION_MEMORY; its use is in its
 * stderr at its end; what it left outside its session (environment emptied too) is killed with it.
 */
class TaskCgroupHarnessTest {

  @BeforeAll
  static void writableCgroups() {
    TaskCgroup.Hierarchies h = TaskCgroup.hierarchies();
    Skips.require(h.memory().isPresent() && h.cpuacct().isPresent(),
        "task cgroups need writable cgroup v1 memory and cpuacct hierarchies (root, cgroup v1)");
  }

  private static String task(String id, String command, int memMib) {
    return "{\"name\": \"" + id + "\", \"task_id\": {\"value\": \"" + id + "\"}, \"command\": {\"value\": \""
        + command + "\"}, \"resources\": [{\"name\": \"mem\", \"type\": \"SCALAR\", \"scalar\": {\"value\": "
        + memMib + "}}]}";
  }

  @Test
  void aTaskOverItsMemFailsWithTheMemoryLimitationReason(@TempDir Path dir) throws Exception {
    HarnessRun.Run run = HarnessRun.run(dir, task("m", "x=$(head -c 300000000 /dev/zero | tr '\\\\0' a); echo survived",
        32));
    Harness.Update last = run.result().terminal("m");
    assertEquals(TaskState.TASK_FAILED, last.state(), run.stdout().toString());
    assertEquals("REASON_CONTAINER_LIMITATION_MEMORY", last.reason(), last.toString());
    String stderr = Files.readString(run.result().sandbox().resolve("stderr"));
    assertTrue(stderr.contains("the task's cgroup: memory peak") && stderr.contains("(limit 32 MiB)")
        && stderr.contains("out-of-memory killer"), stderr);
  }

  @Test
  void whatATaskLeftOutsideItsSessionEndsWithItAndItsUseIsInItsStderr(@TempDir Path dir) throws Exception {
    HarnessRun.Run run = HarnessRun.run(dir, task("s", "env -i setsid -w sh -c 'sleep 600 & echo $! > gc.pid'", 256));
    assertEquals(TaskState.TASK_FINISHED, run.result().terminal("s").state(), run.stdout().toString());
    Path sandbox = run.result().sandbox();
    long grandchild = Long.parseLong(Files.readString(sandbox.resolve("gc.pid")).trim());
    ProcessHandle.of(grandchild).ifPresent(p -> {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("the grandchild outlived its task: " + e);
      }
    });
    assertFalse(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false));
    String stderr = Files.readString(sandbox.resolve("stderr"));
    assertTrue(stderr.contains("the task's cgroup: memory peak") && stderr.contains("(limit 256 MiB), cpu ")
        && stderr.contains("killed 1 process(es) it left outside its session"), stderr);
    assertEquals(List.of(), run.result().violations());
  }
}
