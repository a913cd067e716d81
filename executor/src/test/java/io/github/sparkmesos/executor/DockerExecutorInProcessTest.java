package io.github.sparkmesos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.TestEngine;
import io.github.sparkmesos.executor.mesos.CommandExecutorFlags;
import io.github.sparkmesos.executor.mesos.DockerExecutorFlags;
import io.github.sparkmesos.executor.task.LaunchPlans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor started as the agent's Docker executor ({@code mesos-docker-executor --container=...}),
 * in this JVM against the harness's agent API, with the real engine: a Docker command task runs in the
 * container the agent named, with the agent's environment, in the sandbox mapped where the agent says.
 */
class DockerExecutorInProcessTest {

  @BeforeAll
  static void engine() throws Exception {
    TestEngine.get(); // skips with a message where there is no engine, never under CI=true
  }

  private static DockerExecutorFlags flags(Path sandbox, String container, String... more) {
    List<String> rest = new ArrayList<>();
    List<String> args = new ArrayList<>(List.of("--container=" + container, "--docker=docker",
        "--docker_socket=/var/run/docker.sock", "--sandbox_directory=" + sandbox,
        "--mapped_directory=/mnt/mesos/sandbox", "--launcher_dir=/usr/libexec/mesos",
        "--task_environment={\"FROM_AGENT\":\"agent\"}", "--stop_timeout=0ns"));
    args.addAll(List.of(more));
    DockerExecutorFlags flags = DockerExecutorFlags.parse(args, rest);
    assertEquals(List.of(), rest);
    return flags;
  }

  private static TaskInfo dockerTask(String id, String command) {
    return CommandExecutorInProcessTest.commandTask(id, CommandInfo.newBuilder().setValue(command))
        .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.DOCKER)
            .setDocker(ContainerInfo.DockerInfo.newBuilder().setImage(TestEngine.BUSYBOX))).build();
  }

  @Test
  void aDockerCommandTaskRunsInTheContainerTheAgentNamed(@TempDir Path sandbox) throws Exception {
    String name = TestEngine.name("dropin");
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, false, List.of(), CommandExecutorFlags.NONE,
        Optional.of(flags(sandbox, name)))) {
      agent.awaitSubscribe();
      agent.launch(dockerTask("c", "echo \"$FROM_AGENT $MESOS_SANDBOX $MESOS_CONTAINER_NAME $PWD\" > seen"));
      TaskStatus running = agent.await("c", TaskState.TASK_RUNNING);
      assertEquals("Command started as container " + name, running.getMessage());
      TaskStatus finished = agent.await("c", TaskState.TASK_FINISHED);
      assertEquals("Container exited with status 0", finished.getMessage());
      assertEquals("agent /mnt/mesos/sandbox " + name + " /mnt/mesos/sandbox",
          Files.readString(sandbox.resolve("seen")).trim());
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void withoutTheShellTheImagesEntrypointRunsValueAndEveryArgumentAsMesosDockerContainerizerRunsThem(
      @TempDir Path sandbox) throws Exception {
    String image = TestEngine.entrypointImage();
    for (CommandInfo command : List.of(
        CommandInfo.newBuilder().setShell(false).setValue("first").addArguments("second").addArguments("third").build(),
        CommandInfo.newBuilder().setShell(false).build())) {
      String name = TestEngine.name("dropin");
      try (LoopbackAgent agent = new LoopbackAgent(sandbox, false, List.of(), CommandExecutorFlags.NONE,
          Optional.of(flags(sandbox, name)))) {
        agent.awaitSubscribe();
        agent.launch(CommandExecutorInProcessTest.commandTask("e", command.toBuilder())
            .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.DOCKER)
                .setDocker(ContainerInfo.DockerInfo.newBuilder().setImage(image))).build());
        assertEquals("Container exited with status 0", agent.await("e", TaskState.TASK_FINISHED).getMessage());
        assertEquals(command.hasValue() ? "entrypoint: first second third" : "entrypoint: image-cmd",
            Files.readString(sandbox.resolve("seen")).trim());
        assertEquals(0, agent.awaitExit());
      }
    }
  }

  @Test
  void aSecondTaskFailsAsMesosDockerExecutorFailsIt(@TempDir Path sandbox) throws Exception {
    String name = TestEngine.name("dropin");
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, false, List.of(), CommandExecutorFlags.NONE,
        Optional.of(flags(sandbox, name)))) {
      agent.awaitSubscribe();
      agent.launch(dockerTask("first", "until [ -e go ]; do sleep 0.05; done"));
      agent.await("first", TaskState.TASK_RUNNING);
      agent.launch(dockerTask("second", "true"));
      assertEquals(LaunchPlans.MULTIPLE_DOCKER_TASKS, agent.await("second", TaskState.TASK_FAILED).getMessage());
      Files.createFile(sandbox.resolve("go"));
      assertTrue(agent.await("first", TaskState.TASK_FINISHED).getMessage().startsWith("Container exited"));
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void theAgentsDefaultDnsAndCfsQuotaReachTheContainer(@TempDir Path sandbox) throws Exception {
    String name = TestEngine.name("dropin");
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, false, List.of(), CommandExecutorFlags.NONE,
        Optional.of(flags(sandbox, name, "--cgroups_enable_cfs", "--default_container_dns={\"docker\":[{"
            + "\"network_mode\":\"BRIDGE\",\"dns\":{\"nameservers\":[\"10.9.9.9\"]}},{\"network_mode\":"
            + "\"HOST\",\"dns\":{\"nameservers\":[\"10.0.0.53\"],\"search\":[\"example.org\"]}}]}")))) {
      agent.awaitSubscribe();
      agent.launch(dockerTask("d", "until [ -e go ]; do sleep 0.05; done").toBuilder()
          .addResources(org.apache.mesos.v1.Protos.Resource.newBuilder().setName("cpus")
              .setType(org.apache.mesos.v1.Protos.Value.Type.SCALAR)
              .setScalar(org.apache.mesos.v1.Protos.Value.Scalar.newBuilder().setValue(0.5))).build());
      agent.await("d", TaskState.TASK_RUNNING);
      var host = TestEngine.inspect(name).getHostConfig();
      assertEquals(List.of("10.0.0.53"), List.of(host.getDns()), "the HOST entry, the container's network");
      assertEquals(List.of("example.org"), List.of(host.getDnsSearch()));
      assertEquals(50_000L, host.getCpuQuota());
      assertEquals(100_000L, host.getCpuPeriod());
      Files.createFile(sandbox.resolve("go"));
      agent.await("d", TaskState.TASK_FINISHED);
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void onABridgeNetworkTaskRunningCarriesTheContainersAddress(@TempDir Path sandbox) throws Exception {
    String name = TestEngine.name("dropin");
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, false, List.of(), CommandExecutorFlags.NONE,
        Optional.of(flags(sandbox, name)))) {
      agent.awaitSubscribe();
      TaskInfo task = dockerTask("b", "until [ -e go ]; do sleep 0.05; done");
      agent.launch(task.toBuilder().setContainer(task.getContainer().toBuilder()
          .setDocker(task.getContainer().getDocker().toBuilder().setNetwork(ContainerInfo.DockerInfo.Network.BRIDGE))
          .addNetworkInfos(org.apache.mesos.v1.Protos.NetworkInfo.newBuilder().setLabels(
              org.apache.mesos.v1.Protos.Labels.newBuilder().addLabels(org.apache.mesos.v1.Protos.Label.newBuilder()
                  .setKey("team").setValue("data"))))).build());
      TaskStatus running = agent.await("b", TaskState.TASK_RUNNING);
      var network = running.getContainerStatus().getNetworkInfos(0);
      String ip = network.getIpAddresses(0).getIpAddress();
      assertEquals(TestEngine.inspect(name).getNetworkSettings().getNetworks().get("bridge").getIpAddress(), ip);
      assertEquals("data", network.getLabels().getLabels(0).getValue(), "the task's NetworkInfo labels");
      Files.createFile(sandbox.resolve("go"));
      agent.await("b", TaskState.TASK_FINISHED);
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void theAgentsFlagsAreReadAndAnUnknownOneNamed() {
    DockerExecutorFlags flags = flags(Path.of("/sandbox"), "mesos-" + UUID.randomUUID());
    assertEquals(Optional.of("unix:///var/run/docker.sock"), flags.engineHost());
    assertEquals(java.util.Map.of("FROM_AGENT", "agent"), flags.taskEnvironment());
    assertTrue(DockerExecutorFlags.given(List.of("--container=x")));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> ExecutorMain.run(List.of("--container=x", "--no_such_flag=1"), java.util.Map.of()));
    assertTrue(e.getMessage().startsWith("unknown executor option '--no_such_flag=1'"), e.getMessage());
  }
}
