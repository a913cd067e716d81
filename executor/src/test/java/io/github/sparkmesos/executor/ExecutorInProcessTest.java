package io.github.sparkmesos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.protobuf.ByteString;
import io.github.sparkmesos.executor.harness.AgentApi;
import io.github.sparkmesos.testing.LoopbackServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's agent session, status updates and task table, run in this JVM against the
 * harness's real agent API on loopback, with time from a manual clock: timeouts of minutes take
 * no time, and nothing waits for time to pass.
 */
class ExecutorInProcessTest {

  private static final List<FrameworkInfo.Capability.Type> KILLING =
      List.of(FrameworkInfo.Capability.Type.TASK_KILLING_STATE);

  static TaskInfo documentTask(String id, String command, Map<String, String> conf) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("conf", conf);
    doc.put("backend", Map.of("driverUrl", "spark://CoarseGrainedScheduler@127.0.0.1:1", "executorId", id,
        "appId", "app-test", "cores", 1));
    if (command != null) {
      doc.put("command", command);
    }
    return TaskInfo.newBuilder().setName("task " + id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(AgentID.newBuilder().setValue("in-process-agent"))
        .setData(ByteString.copyFromUtf8(new Gson().toJson(doc))).build();
  }

  static TaskInfo groupTask(String id, String command) {
    return TaskInfo.newBuilder().setName("task " + id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(AgentID.newBuilder().setValue("in-process-agent"))
        .setCommand(CommandInfo.newBuilder().setValue(command)).build();
  }

  @Test
  void afterTheRecoveryTimeoutWithoutAnAgentTheTasksAreKilledAndTheExecutorExits(@TempDir Path dir) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(dir, true, List.of())) {
      agent.awaitSubscribe();
      agent.launch(documentTask("r", "exec sleep 1000", Map.of()));
      agent.await("r", TaskState.TASK_RUNNING);
      agent.restart(); // the stream closes; every call gets 503 from now on

      ManualTimers.Pending recovery = agent.timers.await(p -> p.delay().equals(Duration.ofMinutes(15)));
      // every re-subscribe waits a random backoff within MESOS_SUBSCRIPTION_BACKOFF_MAX
      for (int i = 0; i < 5; i++) {
        int scheduled = agent.timers.scheduledDelays().size();
        agent.timers.advance(Duration.ofSeconds(2));
        agent.timers.await(p -> p.delay().compareTo(Duration.ofSeconds(2)) <= 0
            && agent.timers.scheduledDelays().size() > scheduled);
      }
      assertTrue(agent.timers.scheduledDelays().stream().filter(d -> !d.equals(recovery.delay())
          && !d.equals(Executor.HEARTBEAT_INTERVAL)).allMatch(d -> !d.isNegative() && d.compareTo(Duration.ofSeconds(2)) <= 0),
          agent.timers.scheduledDelays().toString());
      assertFalse(agent.exited(), "still recovering");

      agent.timers.advance(Duration.ofMinutes(15));
      assertEquals(1, agent.awaitExit());
      assertFalse(Files.readString(dir.resolve("tasks/r/stderr")).isEmpty());
    }
  }

  @Test
  void aReconnectRearmsTheTerminalAcknowledgementTimer(@TempDir Path dir) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(dir, true, List.of())) {
      agent.awaitSubscribe();
      agent.withholdAcknowledgements();
      agent.launch(documentTask("t", "exit 0", Map.of()));
      agent.await("t", TaskState.TASK_FINISHED);
      agent.timers.await(p -> p.delay().equals(StatusUpdates.TERMINAL_ACK_TIMEOUT));

      // the agent restarts before the fail-safe fires, and the executor re-subscribes
      agent.timers.advance(Duration.ofSeconds(50));
      agent.restart();
      agent.timers.await(p -> p.delay().compareTo(Duration.ofSeconds(2)) <= 0);
      agent.api.phase(AgentApi.Phase.RUNNING);
      var resubscribe = agent.resubscribe(Duration.ofSeconds(2));
      assertEquals(3, resubscribe.getUnacknowledgedUpdatesCount(), "STARTING, RUNNING and FINISHED replayed");
      // 60 s from the re-subscription, not from the first terminal update
      agent.timers.await(p -> p.delay().equals(StatusUpdates.TERMINAL_ACK_TIMEOUT)
          && p.due().isAfter(agent.timers.now().plusSeconds(55)));
      agent.timers.advance(Duration.ofSeconds(15));
      assertFalse(agent.exited(), "the first timer was re-armed, not left to fire");
      agent.timers.advance(Duration.ofSeconds(50));
      assertEquals(1, agent.awaitExit(), "no acknowledgement ever came: the executor still leaves");
    }
  }

  @Test
  void aTaskDocumentPastItsMaxCompletionTimeFailsWithMesosReason(@TempDir Path dir) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(dir, false, KILLING)) {
      agent.awaitSubscribe();
      agent.launch(documentTask("m", "exec sleep 1000", Map.of()).toBuilder()
          .setMaxCompletionTime(org.apache.mesos.v1.Protos.DurationInfo.newBuilder()
              .setNanoseconds(Duration.ofMinutes(3).toNanos())).build());
      agent.await("m", TaskState.TASK_RUNNING);
      agent.timers.await(p -> p.delay().equals(Duration.ofMinutes(3)));
      agent.timers.advance(Duration.ofMinutes(3));
      TaskStatus failed = agent.await("m", TaskState.TASK_FAILED);
      assertEquals(TaskStatus.Reason.REASON_MAX_COMPLETION_TIME_REACHED, failed.getReason());
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void anUndecodableEventAndAThrowingHandlerLeaveTheExecutorServing(@TempDir Path dir) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(dir, false, List.of())) {
      agent.awaitSubscribe();
      assertTrue(agent.api.sendRecord(new byte[] {(byte) 0xff, 0x01, 0x02}), "a record that is no Event");
      agent.executor.post(() -> {
        throw new IllegalStateException("a handler that throws");
      });
      agent.launch(documentTask("after", "exit 0", Map.of()));
      agent.await("after", TaskState.TASK_FINISHED);
      assertEquals(0, agent.awaitExit());
      assertEquals(1, agent.subscriptions.get(), "the stream was not dropped over it");
    }
  }

  @Test
  void aTaskThatFailsValidationLeavesNothingBehind(@TempDir Path dir) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(dir, false, List.of())) {
      agent.awaitSubscribe();
      agent.launch(documentTask("bad", null, Map.of("spark.executor.uri", "gopher://h/spark.tgz")));
      TaskStatus failed = agent.await("bad", TaskState.TASK_FAILED);
      assertEquals(TaskStatus.Reason.REASON_TASK_INVALID, failed.getReason());
      assertTrue(failed.getMessage().contains("TaskInfo.data.conf.spark.executor.uri")
          && failed.getMessage().contains("unsupported URI scheme"), failed.getMessage());
      assertEquals(0, agent.awaitExit());
      assertFalse(Files.exists(dir.resolve("tasks/bad")), "no task directory");
      assertFalse(Files.exists(dir.resolve("tasks")), "nothing at all");
    }
  }

  @Test
  void aFetchThatFailsRemovesWhatTheEarlierFetchesOfTheTaskMade(@TempDir Path dir) throws Exception {
    try (LoopbackServer server = new LoopbackServer().serve("/extra.jar", new byte[] {1, 2, 3}).status("/gone.jar", 404);
        LoopbackAgent agent = new LoopbackAgent(dir, false, List.of())) {
      agent.awaitSubscribe();
      agent.launch(documentTask("u", "exit 0", Map.of("spark.mesos.uris",
          server.url("/extra.jar") + "," + server.url("/gone.jar"))));
      TaskStatus failed = agent.await("u", TaskState.TASK_FAILED);
      assertEquals(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED, failed.getReason());
      assertTrue(failed.getMessage().contains("gone.jar") && failed.getMessage().contains("404"), failed.getMessage());
      assertEquals(1, server.requests("/extra.jar").size(), "the first URI was fetched");
      try (var files = Files.list(dir.resolve("tasks/u"))) {
        assertEquals(List.of("stderr"), files.map(f -> f.getFileName().toString()).toList(),
            "extra.jar is gone again; the stderr that says why stays");
      }
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void unknownSparkMesosKeysAreReportedInTheTasksStderr(@TempDir Path dir) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(dir, false, List.of())) {
      agent.awaitSubscribe();
      agent.launch(documentTask("w", "exit 0", Map.of("spark.mesos.executor.dockr.image", "x")));
      agent.await("w", TaskState.TASK_FINISHED);
      assertTrue(Files.readString(dir.resolve("tasks/w/stderr")).contains(
          "WARNING: unknown Spark setting 'spark.mesos.executor.dockr.image' is ignored"));
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void groupSiblingsAndShutdownSendTaskKillingFirst(@TempDir Path dir) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(dir, false, KILLING)) {
      agent.awaitSubscribe();
      Path ready = dir.resolve("ready");
      agent.launchGroup(groupTask("sleeper", "touch " + ready + "; exec sleep 1000"),
          groupTask("failer", "while [ ! -e " + ready + " ]; do sleep 0.05; done; exit 3"));
      agent.await("failer", TaskState.TASK_FAILED);
      agent.await("sleeper", TaskState.TASK_KILLING);
      TaskStatus killed = agent.await("sleeper", TaskState.TASK_KILLED);
      assertTrue(killed.getMessage().contains("Terminated") || killed.getMessage().contains("Killed"),
          killed.getMessage());
      assertEquals(0, agent.awaitExit());
    }
    try (LoopbackAgent agent = new LoopbackAgent(dir.resolve("shutdown"), false, KILLING)) {
      agent.awaitSubscribe();
      agent.launch(documentTask("s", "exec sleep 1000", Map.of()));
      agent.await("s", TaskState.TASK_RUNNING);
      agent.api.send(org.apache.mesos.v1.executor.Protos.Event.newBuilder()
          .setType(org.apache.mesos.v1.executor.Protos.Event.Type.SHUTDOWN).build());
      agent.await("s", TaskState.TASK_KILLING);
      agent.await("s", TaskState.TASK_KILLED);
      assertEquals(0, agent.awaitExit());
    }
  }
}
