package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sparkmesos.os.ResourceLimits;
import java.nio.file.Path;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task whose command runs through the setup chain (umask, rlimits, cgroups, user) fails as a plain spawn does. */
class TaskSetupHarnessTest {

  @Test
  void aProgramThatDoesNotExistIsALaunchFailureNamingIt(@TempDir Path dir) throws Exception {
    String task = "{\"name\": \"p\", \"task_id\": {\"value\": \"p\"}, \"command\": {\"shell\": false, \"value\":"
        + " \"/no/such/program\", \"arguments\": [\"program\"]}}";
    HarnessRun.Run run = HarnessRun.run(dir, task, "--env", ResourceLimits.UMASK + "=022");
    Harness.Update last = run.result().terminal("p");
    assertEquals(TaskState.TASK_FAILED, last.state(), run.stdout().toString());
    assertEquals("REASON_CONTAINER_LAUNCH_FAILED", last.reason(), last.toString());
    assertEquals("Failed to start the command: cannot start '/no/such/program' in " + run.result().sandbox()
        + ": No such file or directory", last.message());
  }
}
