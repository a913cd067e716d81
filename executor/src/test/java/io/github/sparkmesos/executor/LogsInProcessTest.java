package io.github.sparkmesos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.executor.mesos.CommandExecutorFlags;
import io.github.sparkmesos.executor.runtime.LogRotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's log settings through a whole executor in this JVM: the task's files are rotated, and when
 * its TASK_FINISHED arrives its last line of each stream is already in its file.
 */
class LogsInProcessTest {

  @Test
  void theOperatorsSettingsRotateATasksFilesAndItsLastLinesPrecedeItsTerminalUpdate(@TempDir Path dir)
      throws Exception {
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    Map<String, String> operator = Map.of(LogRotation.MAX_SIZE_VARIABLE, "64k", LogRotation.MAX_FILES_VARIABLE, "3");
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, false, List.of(FrameworkInfo.Capability.Type.TASK_KILLING_STATE),
        CommandExecutorFlags.NONE, Optional.empty(), operator)) {
      agent.awaitSubscribe();
      agent.launch(ExecutorInProcessTest.documentTask("chatty", "seq 1 200000; seq 1 30000 >&2; echo last >&2",
          Map.of()));
      agent.await("chatty", TaskState.TASK_FINISHED);
      Path task = sandbox.resolve("tasks/chatty");
      for (String name : new String[] {"stdout", "stderr"}) {
        assertTrue(Files.exists(task.resolve(name + ".2")), name + " was rotated");
        assertFalse(Files.exists(task.resolve(name + ".3")), "at most 3 files of " + name);
        for (String file : new String[] {name, name + ".1", name + ".2"}) {
          long size = Files.size(task.resolve(file));
          // the executor's line about the task's end comes once the copies are closed: straight to the file
          long endLine = file.equals("stderr") ? 200 : 0;
          assertTrue(size <= (64 << 10) + endLine, file + ": " + size + " bytes");
        }
      }
      assertTrue(Files.readString(task.resolve("stdout")).endsWith("\n199999\n200000\n"));
      String stderr = Files.readString(task.resolve("stderr"));
      String afterLast = stderr.substring(stderr.indexOf("\n30000\nlast\n") + "\n30000\nlast\n".length());
      assertTrue(afterLast.lines().allMatch(l -> l.contains(" [spark-mesos-executor] ")),
          "the task's last lines, then only the executor's: " + afterLast);
      List<String> older = Files.readAllLines(task.resolve("stdout.1"));
      List<String> newer = Files.readAllLines(task.resolve("stdout"));
      assertEquals(Long.parseLong(older.get(older.size() - 1)) + 1, Long.parseLong(newer.get(0)),
          "stdout.1 ends with the line before the first of stdout");
    }
  }

  @Test
  void aTasksOwnContainerLoggerSettingsRotateItsStreamsAsMesossLoggerReadsThem(@TempDir Path dir) throws Exception {
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, false, List.of(FrameworkInfo.Capability.Type.TASK_KILLING_STATE),
        CommandExecutorFlags.NONE, Optional.empty(), Map.of())) {
      agent.awaitSubscribe();
      org.apache.mesos.v1.Protos.TaskInfo task = ExecutorInProcessTest.groupTask("own", "seq 1 100000; seq 1 20000 >&2");
      task = task.toBuilder().setCommand(task.getCommand().toBuilder().setEnvironment(
          org.apache.mesos.v1.Protos.Environment.newBuilder()
              .addVariables(variable("CONTAINER_LOGGER_MAX_STDOUT_SIZE", "64KB"))
              .addVariables(variable("CONTAINER_LOGGER_LOGROTATE_STDOUT_OPTIONS", "rotate 1 compress")))).build();
      org.apache.mesos.v1.Protos.TaskInfo unknown = ExecutorInProcessTest.groupTask("bad", "true");
      unknown = unknown.toBuilder().setCommand(unknown.getCommand().toBuilder().setEnvironment(
          org.apache.mesos.v1.Protos.Environment.newBuilder()
              .addVariables(variable("CONTAINER_LOGGER_MAX_SIZE", "1MB")))).build();
      agent.launchGroup(task); // two groups: a failed task of a group kills its siblings, as Mesos's executor does
      agent.launchGroup(unknown);
      org.apache.mesos.v1.Protos.TaskStatus failed = agent.await("bad", TaskState.TASK_FAILED);
      assertTrue(failed.getMessage().contains("Failed to load container logger settings: CONTAINER_LOGGER_MAX_SIZE"),
          failed.getMessage());
      agent.awaitSeen("own", TaskState.TASK_FINISHED);
      Path own = sandbox.resolve("tasks/own");
      assertTrue(Files.exists(own.resolve("stdout.1")), "stdout rotated");
      assertFalse(Files.exists(own.resolve("stdout.2")), "rotate 1: one rotated file beside the current one");
      assertTrue(Files.size(own.resolve("stdout")) <= 64 << 10);
      assertTrue(Files.readString(own.resolve("stdout")).endsWith("\n100000\n"));
      assertFalse(Files.exists(own.resolve("stderr.1")), "stderr keeps the operator's setting: no rotation");
      String stderr = Files.readString(own.resolve("stderr"));
      assertTrue(stderr.contains("\n20000\n"), "every line of stderr is there");
      assertTrue(stderr.contains("logrotate option CONTAINER_LOGGER_LOGROTATE_STDOUT_OPTIONS: 'compress' is not"
          + " applied"), stderr.substring(0, Math.min(400, stderr.length())));
    }
  }

  private static org.apache.mesos.v1.Protos.Environment.Variable variable(String name, String value) {
    return org.apache.mesos.v1.Protos.Environment.Variable.newBuilder().setName(name).setValue(value).build();
  }
}
