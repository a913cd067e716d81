package io.github.sparkmesos.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessLauncherTest {

  private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "GREETING", "hello world");

  private static ChildProcess sh(Path dir, String script) throws Exception {
    return ProcessLauncher.spawn(ProcessSpec.of(List.of("sh", "-c", script), ENV, dir)
        .withOutput(dir.resolve("stdout"), dir.resolve("stderr")));
  }

  @Test
  void runsInItsDirectoryWithExactlyTheGivenEnvironmentAsSessionLeader(@TempDir Path dir) throws Exception {
    ChildProcess child = sh(dir, "pwd; echo \"$GREETING\"; env | sort | cut -d= -f1 | tr '\\n' ' '; echo;"
        + " cut -d' ' -f6 /proc/$$/stat; for f in /proc/$$/fd/*; do readlink $f; done > fds;"
        + " echo oops >&2; exit 3");
    ExitStatus status = child.onExit().get(30, TimeUnit.SECONDS);
    assertEquals(ExitStatus.exited(3), status);
    assertEquals("exited with status 3", status.describe());
    List<String> out = Files.readAllLines(dir.resolve("stdout"));
    assertEquals(dir.toRealPath().toString(), out.get(0));
    assertEquals("hello world", out.get(1));
    assertEquals("GREETING PATH PWD ", out.get(2), "no variable of ours leaks into the child");
    assertEquals(String.valueOf(child.pid()), out.get(3), "the child leads its own session");
    // what the shell's descriptors lead to (a shell may keep a copy of one it redirects): nothing of the JVM's
    Path real = dir.toRealPath();
    List<String> allowed = List.of("/dev/null", real.resolve("stdout").toString(), real.resolve("stderr").toString(),
        real.resolve("fds").toString());
    List<String> targets = Files.readAllLines(dir.resolve("fds"));
    assertTrue(targets.contains("/dev/null") && allowed.containsAll(targets), "inherited descriptors: " + targets);
    assertEquals("oops", Files.readString(dir.resolve("stderr")).trim());
  }

  @Test
  void reportsTheSignalThatEndedTheChild(@TempDir Path dir) throws Exception {
    ChildProcess child = sh(dir, "kill -SEGV $$");
    ExitStatus status = child.onExit().get(30, TimeUnit.SECONDS);
    assertTrue(status.isSignaled());
    assertEquals(11, status.signal());
    assertTrue(status.describe().startsWith("terminated with signal Segmentation fault"), status.describe());
  }

  @Test
  void killReachesAGrandchildThatIgnoresTermAndDoubleForked(@TempDir Path dir) throws Exception {
    Path ready = dir.resolve("ready");
    // the grandchild leaves the tree (re-parented when its parent exits) and ignores SIGTERM
    ChildProcess child = sh(dir, "trap '' TERM; (trap '' TERM; exec sleep 1000) & (sh -c \"trap '' TERM; "
        + "sleep 1001\" & ) ; echo ok > " + ready + "; wait");
    Waits.awaitFile(ready);
    assertTrue(ProcessTable.inGroup(child.pid()).size() >= 3, ProcessTable.inGroup(child.pid()).toString());
    child.kill(Duration.ofMillis(200));
    child.onGroupGone().get(30, TimeUnit.SECONDS);
    assertEquals(ExitStatus.signaled(9, false), child.onExit().get());
    assertTrue(ProcessTable.inGroup(child.pid()).isEmpty(), "no process (or zombie) of the group is left");
    assertFalse(child.groupAlive());
  }

  @Test
  void groupGoneWaitsForChildrenTheLeaderLeftBehind(@TempDir Path dir) throws Exception {
    Path release = dir.resolve("release");
    ChildProcess child = sh(dir, "(while [ ! -e " + release + " ]; do sleep 0.05; done) & exit 0");
    assertEquals(ExitStatus.exited(0), child.onExit().get(30, TimeUnit.SECONDS));
    assertFalse(child.onGroupGone().isDone(), "the orphaned member is still running");
    Files.createFile(release);
    child.onGroupGone().get(30, TimeUnit.SECONDS);
    assertTrue(ProcessTable.inGroup(child.pid()).isEmpty());
  }

  @Test
  void aMissingProgramFailsTheSpawn(@TempDir Path dir) {
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> ProcessLauncher.spawn(ProcessSpec.of(List.of("/nonexistent/prog"), ENV, dir)));
    assertTrue(e.getMessage().contains("No such file"), e.getMessage());
  }
}
