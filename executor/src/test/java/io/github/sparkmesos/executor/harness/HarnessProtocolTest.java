package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.testing.Waits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The executor JVM under the harness, speaking the real protocol, with plain commands (no Spark). */
class HarnessProtocolTest {

  private static final List<TaskState> FINISHED = List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING,
      TaskState.TASK_FINISHED);

  @ParameterizedTest
  @ValueSource(strings = {"json", "protobuf"})
  void aCommandRunsToTaskFinishedInBothContentTypes(String contentType, @TempDir Path dir) throws Exception {
    HarnessRun.Run run = HarnessRun.run(dir, TaskFile.commandTask("t1", "echo hello from the task", Map.of()),
        "--content-type", contentType);
    assertEquals(0, run.result().exitCode(), run.result().problems() + " " + run.result().violations());
    assertEquals(FINISHED, run.result().states("t1"));
    assertEquals("SOURCE_EXECUTOR", run.result().terminal("t1").source());
    assertEquals(3, run.stdout().size(), "one JSON line per update: " + run.stdout());
    assertEquals("hello from the task", Files.readString(dir.resolve("sandbox/tasks/t1/stdout")).trim());
    assertTrue(Files.readString(dir.resolve("sandbox/stderr")).contains(
        contentType.equals("json") ? "application/json" : "application/x-protobuf"));
    assertTrue(run.result().executorExit().orElseThrow().isSuccess());
  }

  @Test
  void aNonZeroExitIsTaskFailedWithTheCode(@TempDir Path dir) throws Exception {
    HarnessRun.Run run = HarnessRun.run(dir, TaskFile.commandTask("t3", "exit 3", Map.of()));
    Harness.Update last = run.result().terminal("t3");
    assertEquals(TaskState.TASK_FAILED, last.state());
    assertTrue(last.message().contains("exited with status 3"), last.message());
    assertEquals(0, run.result().exitCode(), "a failed task is still a clean run: " + run.result().problems());
  }

  @Test
  void badDocumentsFailTheirTaskAndTheExecutorServesTheOthers(@TempDir Path dir) throws Exception {
    String notJson = TaskFile.taskInfoJson("bad-json", "{not json".getBytes(StandardCharsets.UTF_8));
    String noBackend = TaskFile.taskInfoJson("no-backend", "{\"conf\":{}}".getBytes(StandardCharsets.UTF_8));
    String good = TaskFile.commandTask("good", "exit 0", Map.of());
    HarnessRun.Run run = HarnessRun.run(dir, "[" + notJson + "," + noBackend + "," + good + "]");

    Harness.Update bad = run.result().terminal("bad-json");
    assertEquals(TaskState.TASK_FAILED, bad.state());
    assertEquals("REASON_TASK_INVALID", bad.reason());
    assertTrue(bad.message().contains("TaskInfo.data") && bad.message().contains("not valid JSON"), bad.message());
    Harness.Update missing = run.result().terminal("no-backend");
    assertEquals("REASON_TASK_INVALID", missing.reason());
    assertTrue(missing.message().contains("TaskInfo.data.backend"), missing.message());
    assertEquals(FINISHED, run.result().states("good"));
    assertEquals(0, run.result().exitCode(), run.result().problems() + " " + run.result().violations());
  }

  @Test
  void killReachesTheWholeTreeIncludingAGrandchildIgnoringTerm(@TempDir Path dir) throws Exception {
    Path ready = dir.resolve("ready");
    String command = "trap '' TERM; (trap '' TERM; exec sleep 1000) & (sh -c \"trap '' TERM; sleep 1001\" &);"
        + " touch " + ready + "; wait";
    Harness harness = HarnessRun.start(dir, TaskFile.commandTask("k", command, Map.of()), "--kill-grace", "300ms",
        "--task-killing-state");
    Waits.awaitFile(ready);
    harness.kill("k");
    HarnessRun.Run run = HarnessRun.finish(harness);
    // the task may create its file before its TASK_RUNNING is out: then KILL overtakes it and no RUNNING follows
    List<TaskState> states = run.result().states("k");
    assertTrue(states.equals(List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_KILLING,
        TaskState.TASK_KILLED)) || states.equals(List.of(TaskState.TASK_STARTING, TaskState.TASK_KILLING,
        TaskState.TASK_KILLED)), states + " " + run.result().violations() + " "
        + Files.readString(dir.resolve("sandbox/stderr")));
    assertTrue(run.result().terminal("k").message().contains("Killed"), run.result().terminal("k").message());
    // the harness fails the run if any process of it outlived the executor
    assertEquals(List.of(), run.result().violations());
    assertEquals(0, run.result().exitCode(), run.result().problems().toString());
  }

  @Test
  void updatesAreReplayedAfterAnAgentRestartWithCheckpointing(@TempDir Path dir) throws Exception {
    // the agent restarts as soon as TASK_RUNNING arrives: that ACK is lost, the task ends during the outage
    HarnessRun.Run run = HarnessRun.run(dir, TaskFile.commandTask("r", "exit 0", Map.of()), "--checkpoint",
        "--restart-agent-after", "0ms", "--restart-duration", "2secs",
        "--env", "MESOS_SUBSCRIPTION_BACKOFF_MAX=300ms");
    assertEquals(FINISHED, run.result().states("r"), "no update lost and none twice: " + run.stdout());
    assertTrue(run.result().subscriptions() >= 2, "the executor re-subscribed");
    assertEquals(List.of(), run.result().violations());
    assertEquals(0, run.result().exitCode(), run.result().problems().toString());
    String log = Files.readString(dir.resolve("sandbox/stderr"));
    assertTrue(log.contains("replayed"), log);
  }

  @Test
  void withoutCheckpointingADisconnectedExecutorKillsItsTasksAndExits(@TempDir Path dir) throws Exception {
    HarnessRun.Run run = HarnessRun.run(dir, TaskFile.commandTask("n", "exec sleep 1000", Map.of()),
        "--restart-agent-after", "0ms", "--restart-duration", "30secs");
    assertNotEquals(0, run.result().executorExit().orElseThrow().code(), "the executor gave up");
    assertEquals(1, run.result().subscriptions());
    Harness.Update last = run.result().terminal("n");
    // the agent does not recover a non-checkpointing framework: the master reports its tasks lost
    assertEquals(TaskState.TASK_LOST, last.state());
    assertEquals("REASON_AGENT_DISCONNECTED", last.reason());
    assertEquals("SOURCE_MASTER", last.source(), "the master, not the executor, reports the task");
    assertEquals(List.of(), run.result().violations(), "no process of the task is left");
  }

  @Test
  void theTokenIsSentAndNeverReachesTheTask(@TempDir Path dir) throws Exception {
    HarnessRun.Run run = HarnessRun.run(dir, TaskFile.commandTask("tok", "env > env.txt", Map.of()), "--authenticate");
    assertEquals(0, run.result().exitCode(), run.result().problems().toString());
    String env = Files.readString(dir.resolve("sandbox/tasks/tok/env.txt"));
    assertFalse(env.contains("MESOS_EXECUTOR_AUTHENTICATION_TOKEN"), env);
    assertFalse(java.util.regex.Pattern.compile("harness-[0-9a-f]{8}-").matcher(env).find(), "the token value itself");
    assertTrue(env.contains("MESOS_SANDBOX="));
  }

  @Test
  void aTaskGroupRunsItsCommandsAsGiven(@TempDir Path dir) throws Exception {
    String group = """
        {"tasks": [
          {"name": "a", "task_id": {"value": "a"}, "command": {"value": "echo $GREETING > out.txt",
            "environment": {"variables": [{"name": "GREETING", "value": "hi"}]}}},
          {"name": "b", "task_id": {"value": "b"}, "command": {"shell": false, "value": "/bin/true",
            "arguments": ["true"]}}
        ]}""";
    HarnessRun.Run run = HarnessRun.run(dir, group);
    assertEquals(FINISHED, run.result().states("a"));
    assertEquals(FINISHED, run.result().states("b"));
    assertEquals("hi", Files.readString(dir.resolve("sandbox/tasks/a/out.txt")).trim());
    assertEquals(0, run.result().exitCode(), run.result().problems().toString());
  }

  @Test
  void shutdownKillsTheTasksAndTheExecutorExits(@TempDir Path dir) throws Exception {
    Path ready = dir.resolve("ready");
    Harness harness = HarnessRun.start(dir, TaskFile.commandTask("s", "touch " + ready + "; exec sleep 1000", Map.of()));
    Waits.awaitFile(ready);
    harness.shutdown();
    HarnessRun.Run run = HarnessRun.finish(harness);
    assertEquals(TaskState.TASK_KILLED, run.result().terminal("s").state());
    assertEquals(0, run.result().exitCode(), run.result().problems() + " " + run.result().violations());
  }

  @Test
  void theKillPolicyOfKillWinsOverTheTaskInfosWhichWinsOverTheDefault(@TempDir Path dir) throws Exception {
    Path ready = dir.resolve("ready");
    String task = TaskFile.commandTask("p", "touch " + ready + "; exec sleep 1000", Map.of()).replaceFirst("\\{",
        "{\"kill_policy\": {\"grace_period\": {\"nanoseconds\": 7000000000}},");
    Harness fromTask = HarnessRun.start(dir.resolve("a"), task);
    Waits.awaitFile(ready);
    fromTask.kill("p");
    HarnessRun.finish(fromTask);
    assertTrue(Files.readString(dir.resolve("a/sandbox/stderr")).contains("KILL task p (grace 7000 ms)"));

    Files.delete(ready);
    Harness fromKill = HarnessRun.start(dir.resolve("b"), task, "--kill-grace", "250ms");
    Waits.awaitFile(ready);
    fromKill.kill("p");
    HarnessRun.Run run = HarnessRun.finish(fromKill);
    assertTrue(Files.readString(dir.resolve("b/sandbox/stderr")).contains("KILL task p (grace 250 ms)"));
    assertEquals(TaskState.TASK_KILLED, run.result().terminal("p").state());
  }

  @Test
  void withCheckpointingTheExecutorGivesUpAfterTheRecoveryTimeout(@TempDir Path dir) throws Exception {
    HarnessRun.Run run = HarnessRun.run(dir, TaskFile.commandTask("g", "exec sleep 1000", Map.of()), "--checkpoint",
        "--restart-agent-after", "0ms", "--restart-duration", "10mins",
        "--env", "MESOS_RECOVERY_TIMEOUT=1secs", "--env", "MESOS_SUBSCRIPTION_BACKOFF_MAX=200ms");
    assertNotEquals(0, run.result().executorExit().orElseThrow().code());
    assertTrue(Files.readString(dir.resolve("sandbox/stderr")).contains("MESOS_RECOVERY_TIMEOUT"));
    assertEquals(List.of(), run.result().violations(), "its task was killed before it exited");
  }

  @Test
  void aKillDuringTheFetchEndsItAtOnceAndLeavesNothing(@TempDir Path dir) throws Exception {
    java.util.concurrent.CountDownLatch requested = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 4);
    server.createContext("/stalled.tgz", exchange -> {
      requested.countDown();
      exchange.sendResponseHeaders(200, 10_000_000);
      exchange.getResponseBody().write(new byte[] {0x1f});
      exchange.getResponseBody().flush();
      try {
        release.await(); // a body that never comes
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/stalled.tgz";
      java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
      doc.put("conf", java.util.Map.of("spark.executor.uri", url));
      doc.put("backend", HarnessRun.backend("f"));
      doc.put("command", "true");
      Harness harness = HarnessRun.start(dir, TaskFile.taskInfoJson("f",
          new com.google.gson.Gson().toJson(doc).getBytes(StandardCharsets.UTF_8)), "--task-killing-state");
      assertTrue(requested.await(2, java.util.concurrent.TimeUnit.MINUTES), "the fetch started");
      harness.kill("f");
      HarnessRun.Run run = HarnessRun.finish(harness);
      Harness.Update last = run.result().terminal("f");
      assertEquals(TaskState.TASK_KILLED, last.state(), run.stdout().toString());
      assertEquals("Task killed while fetching its URIs", last.message());
      assertFalse(run.result().states("f").contains(TaskState.TASK_RUNNING));
      try (var files = Files.list(dir.resolve("sandbox/tasks/f"))) {
        assertEquals(List.of("stderr"), files.map(f -> f.getFileName().toString()).toList(), "no partial download");
      }
      assertEquals(0, run.result().exitCode(), run.result().problems() + " " + run.result().violations());
    } finally {
      release.countDown();
      server.stop(0);
    }
  }
}
