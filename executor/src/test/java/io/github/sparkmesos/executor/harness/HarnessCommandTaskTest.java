package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.testing.LoopbackServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Command tasks (TaskInfo.command, no executor, no data) as a Mesos agent runs them: the harness
 * makes the command executor's ExecutorInfo, fetches the URIs, and starts the real executor JVM as
 * {@code mesos-executor --launcher_dir=DIR}, which runs the command in the sandbox.
 */
class HarnessCommandTaskTest {

  private static final List<TaskState> FINISHED = List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING,
      TaskState.TASK_FINISHED);

  private static String task(String id, String command, String more) {
    return "{\"name\": \"" + id + "\", \"task_id\": {\"value\": \"" + id + "\"}, \"command\": " + command
        + (more.isEmpty() ? "" : ", " + more) + "}";
  }

  private static void assertClean(HarnessRun.Run run) throws Exception {
    assertEquals(0, run.result().exitCode(), run.result().problems() + " " + run.result().violations() + " "
        + Files.readString(run.result().sandbox().resolve("stderr")));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"value\": \"echo shell > out.txt\"}",
      "{\"shell\": false, \"value\": \"/bin/sh\", \"arguments\": [\"sh\", \"-c\", \"echo argv > out.txt\"]}"})
  void shellAndArgvCommandsEndTaskFinished(String command, @TempDir Path dir) throws Exception {
    HarnessRun.Run run = HarnessRun.run(dir, task("c", command, ""));
    assertClean(run);
    assertEquals(FINISHED, run.result().states("c"), run.stdout().toString());
    assertEquals("Command exited with status 0", run.result().terminal("c").message());
    assertTrue(Files.isRegularFile(dir.resolve("sandbox/out.txt")), "the command ran in the sandbox itself");
  }

  @Test
  void theUriIsInTheSandboxBeforeTheCommandRunsAndItsOutputIsTheSandboxStdout(@TempDir Path dir) throws Exception {
    try (LoopbackServer server = new LoopbackServer()) {
      server.serve("/greeting.txt", "fetched by the agent\n".getBytes(StandardCharsets.UTF_8));
      String command = "{\"value\": \"test -f greeting.txt && cat greeting.txt\", \"uris\": [{\"value\": \""
          + server.url("/greeting.txt") + "\"}]}";
      HarnessRun.Run run = HarnessRun.run(dir, task("u", command, ""));
      assertClean(run);
      assertEquals(FINISHED, run.result().states("u"), run.stdout().toString());
      assertEquals(1, server.requests("/greeting.txt").size(), "fetched once, by the agent, not by the executor");
      assertTrue(Files.readAllLines(dir.resolve("sandbox/stdout")).contains("fetched by the agent"));
    }
  }

  @Test
  void killOfACommandIgnoringTermEndsTaskKilledAfterTheGrace(@TempDir Path dir) throws Exception {
    HarnessRun.Run run = HarnessRun.run(dir, task("k", "{\"value\": \"trap '' TERM; sleep 60\"}", ""),
        "--kill-after", "500ms", "--kill-grace", "1secs");
    assertClean(run);
    Harness.Update killed = run.result().terminal("k");
    assertEquals(TaskState.TASK_KILLED, killed.state(), run.stdout().toString());
    Harness.Update running = run.result().updates().stream().filter(u -> u.state() == TaskState.TASK_RUNNING)
        .findFirst().orElseThrow();
    assertTrue(killed.timestamp() - running.timestamp() >= 1.0, "SIGKILL came after the grace: " + run.stdout());
    assertEquals(List.of(), run.result().violations(), "nothing of the task is left");
  }

  @Test
  void aFailingHealthCheckShowsInTheJsonLinesAndKillsTheTaskUnhealthy(@TempDir Path dir) throws Exception {
    HarnessRun.Run run = HarnessRun.run(dir, task("h", "{\"value\": \"touch ok; sleep 60\"}",
        "\"health_check\": {\"type\": \"COMMAND\", \"command\": {\"value\": \"test -e ok && rm ok\"},"
            + " \"delay_seconds\": 0, \"interval_seconds\": 0.2, \"grace_period_seconds\": 30,"
            + " \"consecutive_failures\": 2}"), "--task-killing-state");
    assertClean(run);
    List<Harness.Update> health = run.result().updates().stream().filter(u -> u.healthy().isPresent()).toList();
    // healthy, then one update per counted failure (the second asks for the kill), then the terminal update
    assertEquals(List.of(true, false, false, false), health.stream().map(u -> u.healthy().get()).toList(),
        run.stdout().toString());
    assertTrue(run.stdout().toString().contains("\"healthy\":true"), run.stdout().toString());
    assertEquals("REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", health.get(0).reason());
    assertEquals(TaskState.TASK_KILLED, health.get(3).state(), "the terminal update says unhealthy");
    assertTrue(run.result().states("h").contains(TaskState.TASK_KILLING));
  }

  @Test
  void aCommandOverItsMaxCompletionTimeFails(@TempDir Path dir) throws Exception {
    HarnessRun.Run run = HarnessRun.run(dir, task("m", "{\"value\": \"sleep 60\"}",
        "\"max_completion_time\": {\"nanoseconds\": 1000000000}"));
    assertClean(run);
    Harness.Update last = run.result().terminal("m");
    assertEquals(TaskState.TASK_FAILED, last.state(), run.stdout().toString());
    assertEquals("REASON_MAX_COMPLETION_TIME_REACHED", last.reason());
  }

  @Test
  void theTaskSeesTheExecutorTheAgentMadeForIt(@TempDir Path dir) throws Exception {
    String command = "{\"value\": \"echo $MESOS_EXECUTOR_ID $MESOS_HTTP_COMMAND_EXECUTOR $GREETING > seen.txt\","
        + " \"environment\": {\"variables\": [{\"name\": \"GREETING\", \"value\": \"hi\"}]}}";
    HarnessRun.Run run = HarnessRun.run(dir, task("e", command, ""));
    assertClean(run);
    assertEquals("e 1 hi", Files.readString(dir.resolve("sandbox/seen.txt")).trim());
  }

  @Test
  void aTaskWithCommandAndExecutorIsRefused(@TempDir Path dir) {
    String both = task("b", "{\"value\": \"true\"}", "\"executor\": {\"executor_id\": {\"value\": \"x\"},"
        + " \"command\": {\"value\": \"true\"}}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HarnessRun.start(dir, both));
    assertTrue(e.getMessage().contains("task b has both command and executor, which Mesos refuses"), e.getMessage());
  }
}
