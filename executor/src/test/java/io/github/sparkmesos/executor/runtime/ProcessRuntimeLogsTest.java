package io.github.sparkmesos.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.os.ExitStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process task's output through the rotating path of the real process runtime: bounded on disk, whole
 * consecutive lines, the last line written kept, and written out before the task is "all gone" (which its
 * terminal update waits for). The 1 GiB task takes 2 to 4 s on 2 cores (bench/log-benchmark.sh times it
 * against a file).
 */
class ProcessRuntimeLogsTest {

  static LaunchPlan plan(Path dir, String command) {
    return plan(dir, command, false);
  }

  static LaunchPlan plan(Path dir, String command, boolean inSandbox) {
    return new LaunchPlan("logs", dir, inSandbox, List.of(), List.of("/bin/sh", "-c", command), Map.of(),
        Optional.empty(), LaunchPlan.Containerizer.MESOS, List.of(), List.of(), List.of(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), List.of(), LaunchPlan.Resources.NONE, false,
        List.of(), Map.of(), Optional.empty());
  }

  private static final Map<String, String> PATH = Map.of("PATH", "/usr/bin:/bin");

  @Test
  void aRotatedTaskOfAnotherUserKeepsItsUsersChecks(@TempDir Path dir) throws Exception {
    io.github.sparkmesos.testing.Skips.require(io.github.sparkmesos.os.UserAccount.current().isRoot(),
        "running a task as another user needs root");
    java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    RunningTask task = new ProcessRuntime(PATH, new LogRotation(1 << 20, 2))
        .as(io.github.sparkmesos.os.UserAccount.lookup("nobody")).start(plan(dir, "id -un; exec sleep 600"));
    try {
      List<String> check = task.checkCommand(List.of("true"));
      assertTrue(check.stream().anyMatch(a -> a.endsWith("/setpriv")), "a check runs as the task's user: " + check);
      assertEquals("true", check.get(check.size() - 1));
      io.github.sparkmesos.testing.Waits.awaitCondition(() -> {
        try {
          return Files.readString(dir.resolve("stdout")).equals("nobody\n");
        } catch (java.io.IOException e) {
          return false;
        }
      }, java.time.Duration.ofSeconds(30), "the task to say whose it is");
    } finally {
      task.killNow();
      task.allGone().get(1, TimeUnit.MINUTES);
    }
  }

  @Test
  void aGibibyteOfNumberedLinesLeavesAtMostSizeTimesFilesOfWholeConsecutiveLines(@TempDir Path dir)
      throws Exception {
    long lines = 118_485_293; // 1 GiB: about 2 s of seq here, 12 MiB on disk at any time
    LogRotation rotation = new LogRotation(4 << 20, 3);
    RunningTask task = new ProcessRuntime(PATH, rotation).start(plan(dir, "seq 1 " + lines + "; echo done >&2"));
    assertEquals(ExitStatus.exited(0), task.exit().get(2, TimeUnit.MINUTES));
    task.allGone().get(1, TimeUnit.MINUTES);
    long first = RotatedFiles.checkNumbered(dir, "stdout", rotation.maxSize(), rotation.maxFiles(), lines);
    assertTrue(first > 1, "older files were dropped: the first line kept is " + first);
    long onDisk = 0;
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("stdout")).toList()) {
        onDisk += Files.size(f);
      }
    }
    assertTrue(onDisk <= rotation.maxSize() * rotation.maxFiles(), onDisk + " bytes on disk");
    assertEquals("done\n", Files.readString(dir.resolve("stderr")));
  }

  @Test
  void withRoomForAllNoLineIsLostOnEitherStream(@TempDir Path dir) throws Exception {
    LogRotation rotation = new LogRotation(64 << 10, 100);
    RunningTask task = new ProcessRuntime(PATH, rotation).start(plan(dir,
        "seq 1 300000; seq 1 20000 >&2; printf 300001"));
    assertEquals(ExitStatus.exited(0), task.exit().get(1, TimeUnit.MINUTES));
    task.allGone().get(1, TimeUnit.MINUTES);
    // the last line has no newline: it is in the file all the same, once the task is all gone
    assertTrue(Files.readString(dir.resolve("stdout")).endsWith("\n300000\n300001"));
    Files.writeString(dir.resolve("stdout"), "\n", java.nio.file.StandardOpenOption.APPEND);
    assertEquals(1, RotatedFiles.checkNumbered(dir, "stdout", rotation.maxSize() + 1, 100, 300001));
    assertEquals(1, RotatedFiles.checkNumbered(dir, "stderr", rotation.maxSize(), 100, 20000));
    assertTrue(Files.exists(dir.resolve("stdout.30")), "rotated some thirty times");
  }

  @Test
  void withoutRotationTheTaskWritesItsOwnFiles(@TempDir Path dir) throws Exception {
    RunningTask task = new ProcessRuntime(PATH).start(plan(dir,
        "readlink /proc/$$/fd/1; readlink /proc/$$/fd/2 >&2"));
    assertEquals(ExitStatus.exited(0), task.exit().get(1, TimeUnit.MINUTES));
    task.allGone().get(1, TimeUnit.MINUTES);
    assertEquals(dir.resolve("stdout").toRealPath() + "\n", Files.readString(dir.resolve("stdout")));
    assertEquals(dir.resolve("stderr").toRealPath() + "\n", Files.readString(dir.resolve("stderr")));
  }

  @Test
  void aCommandTaskInTheExecutorsOwnSandboxLeavesItsFilesToTheAgentsLogger(@TempDir Path dir) throws Exception {
    RunningTask task = new ProcessRuntime(PATH, new LogRotation(16, 2)).start(plan(dir,
        "readlink /proc/$$/fd/1; seq 1 100", true));
    assertEquals(ExitStatus.exited(0), task.exit().get(1, TimeUnit.MINUTES));
    task.allGone().get(1, TimeUnit.MINUTES);
    assertTrue(Files.readString(dir.resolve("stdout")).startsWith(dir.resolve("stdout").toRealPath() + "\n1\n"));
    assertFalse(Files.exists(dir.resolve("stdout.1")), "not rotated");
  }
}
