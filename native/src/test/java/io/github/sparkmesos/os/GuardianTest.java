package io.github.sparkmesos.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardianTest {

  /**
   * A marked task whose grandchild leaves the session (setsid) and is orphaned (double fork); its pid
   * is written to {@code grandchild.pid} once it runs.
   */
  private static ChildProcess markedTask(Path dir, Guardian guardian) throws Exception {
    String[] entry = guardian.entry().split("=", 2);
    String script = "setsid sh -c 'echo $$ > shell.pid; sleep 600 & echo $! > grandchild.tmp;"
        + " mv grandchild.tmp grandchild.pid' & exec sleep 600";
    ChildProcess task = ProcessLauncher.spawn(ProcessSpec.of(List.of("sh", "-c", script),
        Map.of("PATH", "/usr/bin:/bin", entry[0], entry[1]), dir));
    Waits.awaitFile(dir.resolve("grandchild.pid"));
    // the shell that left the session has exited too (a zombie of the task's sleep, or gone): marked, then, are
    // the task and the grandchild only
    Path shell = Path.of("/proc", Files.readString(dir.resolve("shell.pid")).trim(), "stat");
    Waits.awaitCondition(() -> {
      try {
        String stat = Files.readString(shell);
        return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
      } catch (java.io.IOException e) {
        return true; // gone
      }
    }, java.time.Duration.ofSeconds(30), "the shell that left the session exited");
    return task;
  }

  private static ProcessHandle grandchild(Path dir, ChildProcess task) throws Exception {
    int pid = Integer.parseInt(Files.readString(dir.resolve("grandchild.pid")).trim());
    ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
    ProcessTable.Entry entry = ProcessTable.all().stream().filter(e -> e.pid() == pid).findFirst().orElseThrow();
    assertNotEquals(task.pid(), entry.sid(), "the grandchild left the task's session");
    return handle;
  }

  @Test
  void whenTheExecutorEndsEveryMarkedProcessIsKilledTheGrandchildThatLeftTheSessionToo(@TempDir Path dir)
      throws Exception {
    Guardian guardian = Guardian.in(dir.resolve("guards"));
    guardian.start();
    assertTrue(Files.readString(guardian.record()).contains("marker=" + guardian.entry()));
    ChildProcess task = markedTask(dir, guardian);
    ProcessHandle grandchild = grandchild(dir, task);
    assertEquals(2, MarkedProcesses.find(guardian.entry()).size(), MarkedProcesses.find(guardian.entry()).toString());

    long start = System.nanoTime();
    guardian.release(); // the pipe closes as at the executor's SIGKILL
    task.onExit().get(2, TimeUnit.SECONDS);
    grandchild.onExit().get(2, TimeUnit.SECONDS);
    System.out.println("marked processes gone " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
        + " ms after the pipe closed");
    assertTrue(task.onExit().get().isSignaled());
    guardian.process().orElseThrow().onExit().get(10, TimeUnit.SECONDS);
    assertFalse(Files.exists(guardian.record()), "the guardian removes its record once done");
  }

  @Test
  void aLaterExecutorEndsWhatAnEarlierOneLeftWhenItsGuardianDiedToo(@TempDir Path dir) throws Exception {
    Path guards = dir.resolve("guards");
    Guardian earlier = Guardian.in(guards);
    earlier.start();
    ChildProcess task = markedTask(dir, earlier);
    ProcessHandle grandchild = grandchild(dir, task);
    ChildProcess guardianProcess = earlier.process().orElseThrow();
    guardianProcess.signalGroup(Signal.SIGKILL);
    guardianProcess.onExit().get(10, TimeUnit.SECONDS);
    assertTrue(Files.exists(earlier.record()), "a guardian killed before its sweep leaves its record");
    assertFalse(task.onExit().isDone());

    List<String> done = Guardian.endLeftovers(guards, Guardian.in(guards).token());
    assertEquals(1, done.size(), done.toString());
    assertTrue(done.get(0).contains("left 2 process(es)"), done.toString());
    task.onExit().get(2, TimeUnit.SECONDS);
    grandchild.onExit().get(2, TimeUnit.SECONDS);
    assertFalse(Files.exists(earlier.record()));
    earlier.release();
  }

  @Test
  void theRecordOfAnExecutorWhoseGuardianRunsIsLeftAlone(@TempDir Path dir) throws Exception {
    Path guards = dir.resolve("guards");
    Guardian live = Guardian.in(guards);
    live.start();
    ChildProcess task = markedTask(dir, live);
    assertEquals(List.of(), Guardian.endLeftovers(guards, "another-executor"));
    assertTrue(Files.exists(live.record()));
    assertFalse(task.onExit().isDone());
    live.release();
    task.onExit().get(2, TimeUnit.SECONDS);
  }
}
