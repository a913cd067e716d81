package io.github.sparkmesos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task document naming a Docker image runs in a container of the real engine, through the whole pipeline. */
class DockerTaskInProcessTest {

  private static final List<FrameworkInfo.Capability.Type> KILLING =
      List.of(FrameworkInfo.Capability.Type.TASK_KILLING_STATE);

  @BeforeAll
  static void engine() throws Exception {
    TestEngine.get(); // skips with a message where there is no engine, never under CI=true
  }

  @Test
  void aTaskDocumentWithAnImageRunsInAContainerAndEndsAsMesosDockerExecutorSaysIt(@TempDir Path dir)
      throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(dir, false, KILLING)) {
      agent.awaitSubscribe();
      agent.launch(ExecutorInProcessTest.documentTask("d", "echo in-container; exit 4",
          Map.of("spark.mesos.executor.docker.image", TestEngine.BUSYBOX)));
      TaskStatus running = agent.await("d", TaskState.TASK_RUNNING);
      assertTrue(running.getMessage().startsWith("Command started as container sme-"), running.getMessage());
      TaskStatus failed = agent.await("d", TaskState.TASK_FAILED);
      assertTrue(failed.getMessage().startsWith("Container exited with status 4"), failed.getMessage());
      assertTrue(Files.readString(dir.resolve("tasks/d/stdout")).contains("in-container"));
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void aKillOfAContainerEndsTaskKilled(@TempDir Path dir) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(dir, false, KILLING)) {
      agent.awaitSubscribe();
      agent.launch(ExecutorInProcessTest.documentTask("k", "exec sleep 600",
          Map.of("spark.mesos.executor.docker.image", TestEngine.BUSYBOX)));
      agent.await("k", TaskState.TASK_RUNNING);
      agent.api.send(Event.newBuilder().setType(Event.Type.KILL).setKill(Event.Kill.newBuilder()
          .setTaskId(TaskID.newBuilder().setValue("k"))
          .setKillPolicy(org.apache.mesos.v1.Protos.KillPolicy.newBuilder().setGracePeriod(
              org.apache.mesos.v1.Protos.DurationInfo.newBuilder().setNanoseconds(1_000_000_000L)))).build());
      agent.await("k", TaskState.TASK_KILLING);
      TaskStatus killed = agent.await("k", TaskState.TASK_KILLED);
      assertTrue(killed.getMessage().startsWith("Container exited with status 137"), killed.getMessage());
      assertEquals(0, agent.awaitExit());
    }
  }
}
