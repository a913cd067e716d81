package io.github.sparkmesos.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child's stdin as a pipe this JVM holds: what is written reaches it, and closing it is its end of file. */
class StdinPipeTest {

  private static ChildProcess readLines(Path dir, StdinPipe pipe) throws Exception {
    // each line read is echoed; end of file prints "eof"; the descriptors it holds are listed first
    return ProcessLauncher.spawn(ProcessSpec.of(List.of("sh", "-c",
        "ls /proc/$$/fd | tr '\\n' ' '; echo; while read line; do echo \"got $line\"; done; echo eof"),
        Map.of("PATH", "/usr/bin:/bin"), dir).withOutput(dir.resolve("stdout"), dir.resolve("stderr")), pipe);
  }

  @Test
  void whatIsWrittenReachesTheChildAndClosingIsItsEndOfFile(@TempDir Path dir) throws Exception {
    try (StdinPipe pipe = StdinPipe.open()) {
      ChildProcess child = readLines(dir, pipe);
      assertTrue(pipe.write("one\ntwo\n"));
      assertFalse(child.onExit().isDone(), "the child waits while the pipe is open");
      pipe.close();
      assertEquals(ExitStatus.exited(0), child.onExit().get(30, TimeUnit.SECONDS));
      List<String> out = Files.readAllLines(dir.resolve("stdout"));
      assertEquals(List.of("got one", "got two", "eof"), out.subList(1, out.size()));
      // 0, 1, 2 and ls's own: neither end of the pipe leaks into the child beyond its stdin
      assertTrue(out.get(0).trim().split(" ").length <= 4, "descriptors: " + out.get(0));
      assertFalse(pipe.write("late\n"), "a closed pipe takes nothing");
    }
  }

  @Test
  void aWriteAfterTheReaderIsGoneFailsQuietly(@TempDir Path dir) throws Exception {
    try (StdinPipe pipe = StdinPipe.open()) {
      ChildProcess child = ProcessLauncher.spawn(ProcessSpec.of(List.of("true"), Map.of("PATH", "/usr/bin:/bin"),
          dir), pipe);
      child.onExit().get(30, TimeUnit.SECONDS);
      assertFalse(pipe.write("nobody\n"), "EPIPE, not a SIGPIPE of the JVM");
    }
  }
}
