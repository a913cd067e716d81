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
}
