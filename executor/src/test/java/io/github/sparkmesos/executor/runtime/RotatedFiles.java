package io.github.sparkmesos.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a rotated stream left in a task's directory, checked: sizes, file count, whole consecutive lines. */
final class RotatedFiles {

  private RotatedFiles() {}

  /**
   * Checks that {@code name} and its rotated files are at most {@code maxFiles} files of at most {@code maxSize}
   * bytes, each of whole lines, which from the oldest to {@code name} are the consecutive numbers that end with
   * {@code last}.
   *
   * @return the first number kept
   */
  static long checkNumbered(Path dir, String name, long maxSize, int maxFiles, long last) throws Exception {
    List<Path> files = new ArrayList<>();
    for (int i = 1; Files.exists(dir.resolve(name + "." + i)); i++) {
      files.add(0, dir.resolve(name + "." + i));
    }
    files.add(dir.resolve(name));
    assertTrue(files.size() <= maxFiles, files.size() + " files of " + name + ", at most " + maxFiles);
    assertFalse(Files.exists(dir.resolve(name + "." + maxFiles)));
    long first = -1;
    long expected = -1;
    for (Path file : files) {
      long size = Files.size(file);
      assertTrue(size <= maxSize, file + " holds " + size + " bytes, more than " + maxSize);
      if (size > 0) {
        try (var in = Files.newByteChannel(file)) {
          in.position(size - 1);
          var lastByte = java.nio.ByteBuffer.allocate(1);
          in.read(lastByte);
          assertEquals('\n', lastByte.get(0), file + " ends with a whole line");
        }
      }
      try (BufferedReader reader = Files.newBufferedReader(file)) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          long n = Long.parseLong(line); // a cut line would not be a number, or not the next
          if (expected < 0) {
            first = n;
          } else {
            assertEquals(expected, n, "the line after " + (expected - 1) + " in " + file);
          }
          expected = n + 1;
        }
      }
    }
    assertEquals(last, expected - 1, "the last line written is the last line kept");
    return first;
  }
}
