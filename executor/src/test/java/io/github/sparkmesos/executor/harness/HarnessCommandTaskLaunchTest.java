package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.testing.LoopbackServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness as the agent of a command task, seen by a stand-in {@code mesos-executor} that records
 * how it was started and exits without subscribing: its argv, its environment, and the URIs fetched
 * before it started.
 */
class HarnessCommandTaskLaunchTest {

  /** Records its argv, environment and the sandbox, then exits 0 without subscribing. */
  private static Path recordingLauncher(Path dir) throws Exception {
    Path launcher = Files.createDirectories(dir.resolve("launcher"));
    Path script = launcher.resolve("mesos-executor");
    Files.writeString(script, """
        #!/bin/sh
        echo "$@" > "$MESOS_SANDBOX/argv.txt"
        env > "$MESOS_SANDBOX/env.txt"
        ls > "$MESOS_SANDBOX/ls.txt"
        """);
    assertTrue(script.toFile().setExecutable(true));
    return launcher;
  }

  @Test
  void theExecutorStartsAsTheAgentStartsItsCommandExecutorAfterTheFetch(@TempDir Path dir) throws Exception {
    Path launcher = recordingLauncher(dir);
    try (LoopbackServer server = new LoopbackServer()) {
      server.serve("/data.txt", "fetched by the agent\n".getBytes(StandardCharsets.UTF_8));
      String task = """
          {"name": "t", "task_id": {"value": "ct-1"}, "kill_policy": {"grace_period": {"nanoseconds": 1500000000}},
           "command": {"value": "cat data.txt", "uris": [{"value": "%s"}],
             "environment": {"variables": [{"name": "GREETING", "value": "hi"}]}}}"""
          .formatted(server.url("/data.txt"));
      HarnessRun.Run run = HarnessRun.run(dir, task, "--launcher-dir", launcher.toString());
      Path sandbox = dir.resolve("sandbox");

      assertEquals("--launcher_dir=" + launcher, Files.readString(sandbox.resolve("argv.txt")).trim());
      List<String> env = Files.readAllLines(sandbox.resolve("env.txt"));
      assertTrue(env.contains("MESOS_EXECUTOR_ID=ct-1"), env.toString());
      assertTrue(env.contains("MESOS_HTTP_COMMAND_EXECUTOR=1"), env.toString());
      assertTrue(env.contains("GREETING=hi"), "the command's environment is the executor's: " + env);
      assertTrue(env.contains("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD=3500ms"), "the kill grace and 2 s: " + env);
      assertTrue(Files.readAllLines(sandbox.resolve("ls.txt")).contains("data.txt"), "fetched before the start");
      assertTrue(Files.readString(sandbox.resolve("stderr")).contains("Fetched " + server.url("/data.txt")));

      // it never subscribed: the agent fails the task when the executor is gone
      Harness.Update last = run.result().terminal("ct-1");
      assertEquals(TaskState.TASK_FAILED, last.state());
      assertEquals("REASON_EXECUTOR_TERMINATED", last.reason());
      assertEquals("SOURCE_AGENT", last.source());
    }
  }

  @Test
  void aFailedFetchFailsTheContainerLaunchAndTheExecutorNeverStarts(@TempDir Path dir) throws Exception {
    Path launcher = recordingLauncher(dir);
    try (LoopbackServer server = new LoopbackServer()) {
      server.status("/missing.tgz", 404);
      String task = """
          {"name": "t", "task_id": {"value": "ct-2"}, "command": {"value": "true", "uris": [{"value": "%s"}]}}"""
          .formatted(server.url("/missing.tgz"));
      HarnessRun.Run run = HarnessRun.run(dir, task, "--launcher-dir", launcher.toString());
      Harness.Update last = run.result().terminal("ct-2");
      assertEquals(TaskState.TASK_FAILED, last.state());
      assertEquals("REASON_CONTAINER_LAUNCH_FAILED", last.reason());
      assertEquals("SOURCE_AGENT", last.source());
      assertTrue(last.message().startsWith("Failed to launch container: ") && last.message().contains("404"),
          last.message());
      assertFalse(Files.exists(dir.resolve("sandbox/argv.txt")), "the executor never started");
      assertEquals(1, run.result().exitCode());
    }
  }

  @Test
  void withoutALauncherFolderTheHarnessMakesOneThatRunsItsExecutorCommand(@TempDir Path dir) throws Exception {
    Path seen = dir.resolve("seen.txt");
    HarnessRun.Run run = HarnessRun.run(dir, """
        {"name": "t", "task_id": {"value": "ct-3"}, "command": {"value": "true"}}""",
        "--executor-command", "echo $0 > " + seen + "; echo");
    String line = Files.readString(seen).trim();
    // the script is <tmp>/spark-mesos-launcher-*/mesos-executor, and its one argument names its folder
    assertTrue(line.matches(".*/spark-mesos-launcher-[^/]+/mesos-executor"), line);
    assertTrue(Files.readAllLines(dir.resolve("sandbox/stdout")).contains(
        "--launcher_dir=" + Path.of(line).getParent()), "the command followed by the agent's arguments");
    assertEquals(TaskState.TASK_FAILED, run.result().terminal("ct-3").state());
    assertFalse(Files.exists(Path.of(line)), "the temporary launcher folder is gone after the run");
  }
}
