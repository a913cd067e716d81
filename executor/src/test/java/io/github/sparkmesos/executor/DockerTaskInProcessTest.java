package io.github.sparkmesos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;
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
      // written before the terminal update: the sandbox may go as soon as that update is acknowledged
      assertTrue(Files.readString(dir.resolve("tasks/d/stderr")).contains("Container exited with status 4"));
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void aContainerAtItsMemoryLimitFailsWithMesosReason(@TempDir Path dir) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(dir, false, KILLING)) {
      agent.awaitSubscribe();
      // mem 8 MiB: the container's limit is 8 + 32 MiB (the executor's allowance, as Mesos adds it)
      agent.launch(ExecutorInProcessTest.documentTask("oom", "head -c 256m /dev/zero | tail",
          Map.of("spark.mesos.executor.docker.image", TestEngine.BUSYBOX)).toBuilder()
          .addResources(org.apache.mesos.v1.Protos.Resource.newBuilder().setName("mem")
              .setType(org.apache.mesos.v1.Protos.Value.Type.SCALAR)
              .setScalar(org.apache.mesos.v1.Protos.Value.Scalar.newBuilder().setValue(8))).build());
      TaskStatus failed = agent.await("oom", TaskState.TASK_FAILED);
      assertEquals(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY, failed.getReason(), failed.getMessage());
      assertTrue(failed.getMessage().startsWith("Container exited with status 137"), failed.getMessage());
      assertEquals(0, agent.awaitExit());
    }
  }

  /**
   * The task's {@code gpus} become the container's GPU device request; this engine has no GPU runtime (a machine
   * with one runs the container), so it refuses the container, and the task fails with its word, leaving nothing.
   */
  @Test
  void aTasksGpusAreAskedOfTheEngine(@TempDir Path dir) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(dir, false, KILLING)) {
      agent.awaitSubscribe();
      agent.launch(ExecutorInProcessTest.documentTask("gpu", "nvidia-smi -L > gpus",
          Map.of("spark.mesos.executor.docker.image", TestEngine.BUSYBOX)).toBuilder()
          .addResources(org.apache.mesos.v1.Protos.Resource.newBuilder().setName("gpus")
              .setType(org.apache.mesos.v1.Protos.Value.Type.SCALAR)
              .setScalar(org.apache.mesos.v1.Protos.Value.Scalar.newBuilder().setValue(1))).build());
      TaskStatus failed = agent.await("gpu", TaskState.TASK_FAILED);
      assertEquals(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED, failed.getReason(), failed.getMessage());
      assertTrue(failed.getMessage().toLowerCase(java.util.Locale.ROOT).contains("gpu"), failed.getMessage());
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void aNamedVolumeTheEngineMadeForTheTaskGoesWithItAndOneThatWasThereStays(@TempDir Path dir) throws Exception {
    String made = TestEngine.name("vol-made");
    String kept = TestEngine.name("vol-kept");
    TestEngine.createVolume(kept);
    try (LoopbackAgent agent = new LoopbackAgent(dir, false, KILLING)) {
      agent.awaitSubscribe();
      agent.launch(ExecutorInProcessTest.documentTask("v", "echo x > /made/x && echo y > /kept/y",
          Map.of("spark.mesos.executor.docker.image", TestEngine.BUSYBOX,
              "spark.mesos.executor.docker.parameters", "volume=" + made + ":/made,volume=" + kept + ":/kept")));
      agent.await("v", TaskState.TASK_FINISHED);
      assertEquals(0, agent.awaitExit());
      java.util.Set<String> volumes = new io.github.sparkmesos.docker.ContainerLifecycle(TestEngine.get()).volumeNames();
      assertTrue(!volumes.contains(made), "the volume made for the task is gone");
      assertTrue(volumes.contains(kept), "the operator's volume stays");
    } finally {
      TestEngine.removeVolume(kept);
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

  @Test
  void sparksDockerParametersPortMapsAndTheTasksResourcesAreOnItsContainer(@TempDir Path dir) throws Exception {
    int hostPort;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      hostPort = free.getLocalPort();
    }
    TaskInfo task = ExecutorInProcessTest.documentTask("p",
        "hostname; echo \"extra=$EXTRA\"; ulimit -n; while [ ! -e go ]; do sleep 0.1; done",
        Map.of("spark.mesos.executor.docker.image", TestEngine.BUSYBOX,
            "spark.mesos.executor.docker.parameters", "net=bridge,env=EXTRA=1,label=team=data,"
                + "ulimit=nofile=1024:2048,memory-reservation=64m,hostname=from-spark,cpus=0.5",
            "spark.mesos.executor.docker.portmaps", hostPort + ":8080:tcp"))
        .toBuilder()
        .addResources(scalar("cpus", 1)).addResources(scalar("mem", 100))
        .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
            .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder().setBegin(hostPort).setEnd(hostPort))))
        .build();
    try (LoopbackAgent agent = new LoopbackAgent(dir, false, KILLING)) {
      agent.awaitSubscribe();
      agent.launch(task);
      TaskStatus running = agent.await("p", TaskState.TASK_RUNNING);
      String name = running.getMessage().replaceFirst("^Command started as container (\\S+).*$", "$1");
      try {
        InspectContainerResponse inspect = TestEngine.inspect(name);
        HostConfig host = inspect.getHostConfig();
        assertEquals("bridge", host.getNetworkMode());
        assertEquals(String.valueOf(hostPort),
            host.getPortBindings().getBindings().get(ExposedPort.tcp(8080))[0].getHostPortSpec());
        assertEquals(1024, host.getCpuShares(), "the task's cpus");
        assertEquals(500_000_000L, host.getNanoCPUs(), "the cpus parameter");
        assertEquals((100L + 32) << 20, host.getMemory(), "the task's mem and the executor's");
        assertEquals(64L << 20, host.getMemoryReservation());
        assertEquals("data", inspect.getConfig().getLabels().get("team"));
        assertEquals("from-spark", inspect.getConfig().getHostName());
        assertTrue(List.of(inspect.getConfig().getEnv()).contains("EXTRA=1"));
      } finally {
        Files.writeString(dir.resolve("tasks/p/go"), "");
      }
      TaskStatus finished = agent.await("p", TaskState.TASK_FINISHED);
      assertTrue(finished.getMessage().startsWith("Container exited with status 0"), finished.getMessage());
      assertEquals("from-spark\nextra=1\n1024\n", Files.readString(dir.resolve("tasks/p/stdout")));
      assertEquals(0, agent.awaitExit());
    }
  }

  private static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }
}
