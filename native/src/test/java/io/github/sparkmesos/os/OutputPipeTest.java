package io.github.sparkmesos.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child's stdout and stderr through pipes into rotating files: every line, in order, whole. */
class OutputPipeTest {

  @Test
  void everyLineOfAChildReachesItsRotatingFiles(@TempDir Path dir) throws Exception {
    int lines = 300_000; // ~2 MB
    try (OutputPipe out = OutputPipe.open(); OutputPipe err = OutputPipe.open();
        RotatingLog stdout = RotatingLog.open(dir.resolve("stdout"), 64 << 10, 100);
        RotatingLog stderr = RotatingLog.open(dir.resolve("stderr"), 1 << 10, 100)) {
      ChildProcess child = ProcessLauncher.spawn(ProcessSpec.of(List.of("sh", "-c",
          "seq 1 " + lines + "; seq 1 1000 >&2; ls /proc/$$/fd >&2"), Map.of("PATH", "/usr/bin:/bin"), dir),
          null, out, err);
      CompletableFuture<Void> copied = CompletableFuture.allOf(out.copyTo(stdout, "out"), err.copyTo(stderr, "err"));
      assertEquals(ExitStatus.exited(0), child.onExit().get(1, TimeUnit.MINUTES));
      copied.get(1, TimeUnit.MINUTES); // the copies end when the child's ends are closed
    }
    List<String> all = lines(dir, "stdout", 64 << 10);
    assertEquals(lines, all.size());
    for (int i = 0; i < lines; i++) {
      assertEquals(String.valueOf(i + 1), all.get(i), "line " + (i + 1));
    }
    List<String> err = lines(dir, "stderr", 1 << 10);
    for (int i = 0; i < 1000; i++) {
      assertEquals(String.valueOf(i + 1), err.get(i));
    }
    // 0, 1, 2 and at most one of the shell's own: no end of either pipe leaks into the child
    assertTrue(err.size() - 1000 <= 4, "descriptors: " + err.subList(1000, err.size()));
  }

  @Test
  void thePipeIsEnlargedWhereTheKernelAllows() throws Exception {
    long max = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/fs/pipe-max-size")).get(0).trim());
    try (OutputPipe pipe = OutputPipe.open()) {
      assertEquals(Math.min(max, OutputPipe.PIPE_CAPACITY), pipe.capacity());
    }
  }

  /** The lines of {@code name.N}, ..., {@code name.1}, {@code name}, checking each file's size and whole lines. */
  static List<String> lines(Path dir, String name, long maxSize) throws Exception {
    List<Path> files = new ArrayList<>();
    for (int i = 1; Files.exists(dir.resolve(name + "." + i)); i++) {
      files.add(0, dir.resolve(name + "." + i));
    }
    files.add(dir.resolve(name));
    List<String> lines = new ArrayList<>();
    for (Path file : files) {
      String text = Files.readString(file);
      assertTrue(text.length() <= maxSize, file + " holds " + text.length() + " bytes");
      assertTrue(text.isEmpty() || text.endsWith("\n"), file + " ends with a whole line");
      lines.addAll(text.lines().toList());
    }
    return lines;
  }
}
