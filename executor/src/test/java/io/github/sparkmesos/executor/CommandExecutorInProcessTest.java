package io.github.sparkmesos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.executor.mesos.CommandExecutorFlags;
import io.github.sparkmesos.executor.task.LaunchPlans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor started as an agent's command executor ({@code mesos-executor --launcher_dir=...}),
 * in this JVM against the harness's agent API on loopback, with a manual clock: a command task runs
 * in the sandbox as Mesos's executor runs it, and the command executor's rules hold.
 */
class CommandExecutorInProcessTest {

  private static final List<FrameworkInfo.Capability.Type> KILLING =
      List.of(FrameworkInfo.Capability.Type.TASK_KILLING_STATE);

  static CommandExecutorFlags flags(String... more) {
    List<String> args = new ArrayList<>(List.of("--launcher_dir=/usr/libexec/mesos"));
    args.addAll(List.of(more));
    List<String> rest = new ArrayList<>();
    CommandExecutorFlags flags = CommandExecutorFlags.parse(args, rest);
    assertEquals(List.of(), rest);
    return flags;
  }

  static TaskInfo.Builder commandTask(String id, CommandInfo.Builder command) {
    return TaskInfo.newBuilder().setName("task " + id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(AgentID.newBuilder().setValue("in-process-agent")).setCommand(command);
  }

  private static Environment.Variable variable(String name, String value) {
    return Environment.Variable.newBuilder().setName(name).setValue(value).build();
  }

  @Test
  void aCommandTaskRunsInTheSandboxWithTheAgentsEnvironmentUnderItsOwn(@TempDir Path sandbox) throws Exception {
    CommandExecutorFlags flags = flags("--task_environment={\"variables\":[{\"name\":\"FROM_ISOLATOR\","
        + "\"value\":\"isolator\"},{\"name\":\"BOTH\",\"value\":\"isolator\"}]}");
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, false, List.of(), flags)) {
      agent.awaitSubscribe();
      Files.writeString(sandbox.resolve("fetched.txt"), "what the agent's fetcher put here\n");
      agent.launch(commandTask("c", CommandInfo.newBuilder()
          .setValue("cat fetched.txt > seen; echo \"$PWD $MESOS_SANDBOX $FROM_ISOLATOR $BOTH $MESOS_ALLOCATION_ROLE\""
              + " >> seen; echo to-stdout")
          .setEnvironment(Environment.newBuilder().addVariables(variable("BOTH", "command"))))
          .addResources(Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
              .setScalar(Value.Scalar.newBuilder().setValue(1))
              .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole("spark")))
          .build());
      agent.await("c", TaskState.TASK_STARTING);
      agent.await("c", TaskState.TASK_RUNNING);
      TaskStatus finished = agent.await("c", TaskState.TASK_FINISHED);
      assertEquals("Command exited with status 0", finished.getMessage());
      assertEquals(List.of("what the agent's fetcher put here", sandbox + " " + sandbox + " isolator command spark"),
          Files.readAllLines(sandbox.resolve("seen")));
      assertEquals("to-stdout\n", Files.readString(sandbox.resolve("stdout")));
      assertFalse(Files.exists(sandbox.resolve("tasks")), "nothing under tasks/: the sandbox is the task's");
      assertTrue(Files.exists(sandbox.resolve("fetched.txt")), "the sandbox's files are left alone");
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void aSecondTaskFailsAsMesosCommandExecutorFailsItAndTheFirstRunsOn(@TempDir Path sandbox) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, false, List.of(), flags())) {
      agent.awaitSubscribe();
      agent.launch(commandTask("first", CommandInfo.newBuilder().setShell(false).setValue("/bin/sh")
          .addArguments("sh").addArguments("-c").addArguments("until [ -e go ]; do sleep 0.05; done")).build());
      agent.await("first", TaskState.TASK_RUNNING);
      agent.launch(commandTask("second", CommandInfo.newBuilder().setValue("true")).build());
      TaskStatus failed = agent.await("second", TaskState.TASK_FAILED);
      assertEquals(LaunchPlans.MULTIPLE_TASKS, failed.getMessage());
      assertFalse(failed.hasReason());
      Files.createFile(sandbox.resolve("go"));
      agent.await("first", TaskState.TASK_FINISHED);
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void aTaskPastItsMaxCompletionTimeFailsWithMesosReasonAndNoKilling(@TempDir Path sandbox) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, false, KILLING, flags())) {
      agent.awaitSubscribe();
      agent.launch(commandTask("slow", CommandInfo.newBuilder().setValue("trap '' TERM; touch trapped; exec sleep 1000"))
          .setMaxCompletionTime(DurationInfo.newBuilder().setNanoseconds(Duration.ofSeconds(7).toNanos())).build());
      agent.await("slow", TaskState.TASK_RUNNING);
      // TERM is ignored only once the shell ran its trap (the task's setup, cgroups and umask, comes first)
      io.github.sparkmesos.testing.Waits.awaitFile(sandbox.resolve("trapped"));
      agent.timers.await(p -> p.delay().equals(Duration.ofSeconds(7)));
      agent.timers.advance(Duration.ofSeconds(7));
      List<TaskState> states = new ArrayList<>();
      TaskStatus failed;
      while (true) {
        TaskStatus s = agent.updates.poll(2, java.util.concurrent.TimeUnit.MINUTES);
        states.add(s.getState());
        if (s.getState() == TaskState.TASK_FAILED) {
          failed = s;
          break;
        }
      }
      assertFalse(states.contains(TaskState.TASK_KILLING), states.toString());
      assertEquals(TaskStatus.Reason.REASON_MAX_COMPLETION_TIME_REACHED, failed.getReason());
      assertTrue(failed.getMessage().startsWith("Command terminated with signal Killed"), failed.getMessage());
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void aFlagAskingForWhatTheExecutorCannotDoFailsTheTaskNamingIt(@TempDir Path sandbox) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, false, List.of(),
        flags("--rootfs=/var/lib/mesos/provisioner/rootfs", "--sandbox_directory=/mnt/mesos/sandbox"))) {
      agent.awaitSubscribe();
      agent.launch(commandTask("r", CommandInfo.newBuilder().setValue("touch ran")).build());
      TaskStatus failed = agent.await("r", TaskState.TASK_FAILED);
      assertEquals(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED, failed.getReason());
      assertTrue(failed.getMessage().startsWith("--rootfs=/var/lib/mesos/provisioner/rootfs: "), failed.getMessage());
      assertFalse(Files.exists(sandbox.resolve("ran")));
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void everyUpdateOfATaskWithACheckCarriesItsCheckStatus(@TempDir Path sandbox) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, false, List.of(), flags())) {
      agent.awaitSubscribe();
      agent.launch(commandTask("k", CommandInfo.newBuilder().setValue("exit 3"))
          .setCheck(CheckInfo.newBuilder().setType(CheckInfo.Type.TCP)
              .setTcp(CheckInfo.Tcp.newBuilder().setPort(1)).setDelaySeconds(600)).build());
      for (TaskState state : List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FAILED)) {
        TaskStatus s = agent.await("k", state);
        assertEquals(CheckStatusInfo.newBuilder().setType(CheckInfo.Type.TCP)
            .setTcp(CheckStatusInfo.Tcp.getDefaultInstance()).build(), s.getCheckStatus(), state.name());
      }
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void aTaskGroupMakesACommandExecutorShutDown(@TempDir Path sandbox) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, false, List.of(), flags())) {
      agent.awaitSubscribe();
      agent.launchGroup(ExecutorInProcessTest.groupTask("g", "true"));
      assertEquals(1, agent.awaitExit());
      assertTrue(agent.updates.isEmpty(), "the group's task was never started: " + agent.updates);
    }
  }
}
