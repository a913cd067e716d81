package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ExecutorInfo, argv and environment an agent derives from a command task (Slave::getExecutorInfo). */
class CommandTaskExecutorTest {

  private static TaskInfo task(String json) throws Exception {
    TaskInfo.Builder b = TaskInfo.newBuilder();
    JsonFormat.parser().merge(json, b);
    return b.build();
  }

  private static final String SPARK_TASK = """
      {"name": "Pi 0", "task_id": {"value": "0"}, "agent_id": {"value": "S0"},
       "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 1}},
                     {"name": "mem", "type": "SCALAR", "scalar": {"value": 896}}],
       "labels": {"labels": [{"key": "team", "value": "data"}]},
       "container": {"type": "MESOS"},
       "kill_policy": {"grace_period": {"nanoseconds": 3000000000}},
       "command": {"value": "cd spark-3*;  ./bin/spark-class org.apache.spark.executor.CoarseGrainedExecutorBackend",
         "uris": [{"value": "http://127.0.0.1:1/spark-3.5.9-bin-sme.tgz", "cache": true}],
         "environment": {"variables": [{"name": "SPARK_USER", "value": "alice"}]},
         "user": "alice"}}""";

  @Test
  void theExecutorInfoIsTheAgentsCommandExecutor(@TempDir Path dir) throws Exception {
    Path real = Files.createDirectories(dir.resolve("real"));
    Files.writeString(real.resolve("mesos-executor"), "#!/bin/sh\n");
    Path launcher = Files.createDirectories(dir.resolve("launcher"));
    Files.createSymbolicLink(launcher.resolve("mesos-executor"), real.resolve("mesos-executor"));

    CommandTaskExecutor executor = CommandTaskExecutor.of(task(SPARK_TASK), "fw-1", launcher);
    ExecutorInfo info = executor.info();

    assertEquals("0", info.getExecutorId().getValue());
    assertEquals("fw-1", info.getFrameworkId().getValue());
    assertEquals("Command Executor (Task: 0) (Command: sh -c 'cd spark-3*;...')", info.getName());
    assertEquals("0", info.getSource());
    assertFalse(info.hasType(), "the agent leaves the type of its command executor unset");
    assertEquals("MESOS", info.getContainer().getType().name());
    assertEquals("team", info.getLabels().getLabels(0).getKey());
    assertFalse(info.getCommand().getShell());
    assertEquals(real.resolve("mesos-executor").toRealPath().toString(), info.getCommand().getValue());
    assertEquals(List.of("mesos-executor", "--launcher_dir=" + launcher), info.getCommand().getArgumentsList());
    assertEquals("http://127.0.0.1:1/spark-3.5.9-bin-sme.tgz", info.getCommand().getUris(0).getValue());
    assertTrue(info.getCommand().getUris(0).getCache());
    assertEquals("alice", info.getCommand().getUser());
    assertEquals("SPARK_USER", info.getCommand().getEnvironment().getVariables(0).getName());
    // SUBSCRIBED shows the executor's own allowance; its container gets the task's on top
    assertEquals(List.of("cpus:0.1", "mem:32.0"), info.getResourcesList().stream()
        .map(r -> r.getName() + ":" + r.getScalar().getValue()).toList());
    assertEquals(Optional.of(Duration.ofSeconds(5)), executor.shutdownGracePeriod(), "the kill grace and 2 s");

    assertEquals(List.of(info.getCommand().getValue(), "--launcher_dir=" + launcher), executor.argv());
    assertEquals("1", executor.environment().get("MESOS_HTTP_COMMAND_EXECUTOR"));
    assertEquals("alice", executor.environment().get("SPARK_USER"));
  }

  @Test
  void shortCommandsAndArgvCommandsAreNamedAsTheAgentNamesThem(@TempDir Path dir) throws Exception {
    ExecutorInfo shortShell = CommandTaskExecutor.of(task("""
        {"name": "t", "task_id": {"value": "a"}, "agent_id": {"value": "S0"}, "command": {"value": "exit 0"}}"""),
        "fw", dir).info();
    assertEquals("Command Executor (Task: a) (Command: sh -c 'exit 0')", shortShell.getName());
    ExecutorInfo argv = CommandTaskExecutor.of(task("""
        {"name": "t", "task_id": {"value": "b"}, "agent_id": {"value": "S0"},
         "command": {"shell": false, "value": "/bin/sh", "arguments": ["sh", "-c", "exit 0"]}}"""), "fw", dir).info();
    assertEquals("Command Executor (Task: b) (Command: [/bin/sh, sh,...])", argv.getName());
    assertFalse(argv.hasShutdownGracePeriod(), "no kill policy: the agent's own grace period");
  }

  @Test
  void withoutMesosExecutorInTheLauncherFolderTheAgentRunsAFailingEcho(@TempDir Path dir) throws Exception {
    CommandTaskExecutor executor = CommandTaskExecutor.of(task("""
        {"name": "t", "task_id": {"value": "c"}, "agent_id": {"value": "S0"}, "command": {"value": "exit 0"}}"""),
        "fw", dir);
    assertFalse(executor.found());
    assertEquals(List.of("/bin/sh", "-c", "echo 'No such file or directory'; exit 1"), executor.argv());
  }

  @Test
  void theTasksAllocationRoleGoesToTheExecutorsAllowance(@TempDir Path dir) throws Exception {
    ExecutorInfo info = CommandTaskExecutor.of(task("""
        {"name": "t", "task_id": {"value": "r"}, "agent_id": {"value": "S0"}, "command": {"value": "exit 0"},
         "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 1},
                        "allocation_info": {"role": "spark"}}]}"""), "fw", dir).info();
    assertEquals(List.of("spark", "spark"), info.getResourcesList().stream()
        .map(Resource::getAllocationInfo).map(Resource.AllocationInfo::getRole).toList());
  }

  @Test
  void secretValuesReachTheEnvironmentAndSecretReferencesAreLeftToTheExecutor(@TempDir Path dir) throws Exception {
    CommandTaskExecutor executor = CommandTaskExecutor.of(task("""
        {"name": "t", "task_id": {"value": "s"}, "agent_id": {"value": "S0"}, "command": {"value": "true",
         "environment": {"variables": [{"name": "TOKEN", "type": "SECRET",
           "secret": {"type": "VALUE", "value": {"data": "czNjcjN0"}}}]}}}"""), "fw", dir);
    assertEquals("s3cr3t", executor.environment().get("TOKEN"));
    CommandTaskExecutor byReference = CommandTaskExecutor.of(task("""
        {"name": "t", "task_id": {"value": "s"}, "agent_id": {"value": "S0"}, "command": {"value": "true",
         "environment": {"variables": [{"name": "TOKEN", "type": "SECRET",
           "secret": {"type": "REFERENCE", "reference": {"name": "vault/token"}}}]}}}"""), "fw", dir);
    assertFalse(byReference.environment().containsKey("TOKEN"));
  }

  @Test
  void aCommandTaskIsACommandWithoutExecutorAndData() throws Exception {
    assertTrue(CommandTaskExecutor.isCommandTask(task("""
        {"name": "t", "task_id": {"value": "a"}, "agent_id": {"value": "S0"}, "command": {"value": "true"}}""")));
    assertFalse(CommandTaskExecutor.isCommandTask(task("""
        {"name": "t", "task_id": {"value": "a"}, "agent_id": {"value": "S0"}, "data": "e30="}""")));
  }
  private static final String DOCKER_TASK = """
      {"name": "d", "task_id": {"value": "d"}, "agent_id": {"value": "S0"},
       "container": {"type": "DOCKER", "docker": {"image": "busybox:1", "force_pull_image": true}},
       "command": {"shell": true, "value": "echo in-container"}}""";

  @Test
  void aDockerTaskKeepsTheCommandExecutorsInfoAndRunsTheDockerExecutorWithTheAgentsFlags(@TempDir Path dir)
      throws Exception {
    try (LauncherFolder launcher = LauncherFolder.of(Optional.empty(), "exec true")) {
      CommandTaskExecutor executor = CommandTaskExecutor.of(task(DOCKER_TASK), "fw", launcher.path());
      assertTrue(executor.docker());
      assertTrue(executor.dockerInfo().getForcePullImage());
      // Slave::getExecutorInfo: the container copied, the command still the command executor's
      assertEquals("DOCKER", executor.info().getContainer().getType().name());
      assertEquals("busybox:1", executor.info().getContainer().getDocker().getImage());
      assertEquals(List.of("mesos-executor", "--launcher_dir=" + launcher.path()),
          executor.info().getCommand().getArgumentsList());

      Path sandbox = dir.resolve("sandbox");
      // subprocess(path::join(launcher_dir, "mesos-docker-executor"), ..., &dockerFlags): the flags in stout's
      // (alphabetical) order, each that has a value; no --task_environment without a decorator hook
      assertEquals(List.of(launcher.path().resolve("mesos-docker-executor").toRealPath().toString(),
          "--cgroups_enable_cfs=false",
          "--container=mesos-c1",
          "--docker=docker",
          "--docker_socket=/var/run/docker.sock",
          "--help=false",
          "--initialize_driver_logging=true",
          "--launcher_dir=" + launcher.path(),
          "--logbufsecs=0",
          "--logging_level=INFO",
          "--mapped_directory=/mnt/mesos/sandbox",
          "--quiet=false",
          "--sandbox_directory=" + sandbox,
          "--stop_timeout=0ns"), executor.dockerArgv("mesos-c1", "/var/run/docker.sock", sandbox));
      assertTrue(Files.isExecutable(launcher.path().resolve("mesos-docker-executor")));
    }
  }

  @Test
  void aLauncherFolderWithoutTheDockerExecutorFailsItsLaunchAsTheForkWould(@TempDir Path dir) throws Exception {
    CommandTaskExecutor executor = CommandTaskExecutor.of(task(DOCKER_TASK), "fw", dir);
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> executor.dockerArgv("mesos-c1", "/var/run/docker.sock", dir));
    assertEquals("Failed to fork executor: " + dir.resolve("mesos-docker-executor") + ": No such file or directory",
        e.getMessage());
  }

  @Test
  void aTaskWithAMesosContainerIsNoDockerTask(@TempDir Path dir) throws Exception {
    assertFalse(CommandTaskExecutor.of(task(SPARK_TASK), "fw", dir).docker());
  }
}
