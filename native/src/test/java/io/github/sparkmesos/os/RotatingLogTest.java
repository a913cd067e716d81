package io.github.sparkmesos.os;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Size-bounded files that end at line boundaries: what each write leaves in which file. */
class RotatingLogTest {

  private static void write(RotatingLog log, String text) throws Exception {
    ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(UTF_8));
    assertEquals(buffer.remaining(), log.write(buffer));
    assertFalse(buffer.hasRemaining());
  }

  private static String read(Path file) throws Exception {
    return Files.readString(file);
  }

  @Test
  void aFileEndsAtTheLastNewlineThatFits(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("stdout");
    try (RotatingLog log = RotatingLog.open(out, 8, 3)) {
      write(log, "aaa\nbb");
      write(log, "b\ncc\n");
    }
    assertEquals("aaa\nbbb\n", read(dir.resolve("stdout.1")));
    assertEquals("cc\n", read(out));
  }

  @Test
  void aLineBegunBeforeTheBoundaryMovesWholeIntoTheNextFile(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("stdout");
    try (RotatingLog log = RotatingLog.open(out, 8, 3)) {
      write(log, "aaa\nbb");
      write(log, "bbbb\n");
      write(log, "c\n");
    }
    assertEquals("aaa\n", read(dir.resolve("stdout.2")));
    assertEquals("bbbbbb\n", read(dir.resolve("stdout.1")));
    assertEquals("c\n", read(out));
  }

  @Test
  void onlyALineLongerThanAFileIsCut(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("stdout");
    try (RotatingLog log = RotatingLog.open(out, 4, 3)) {
      write(log, "abcdefghij\n");
    }
    assertEquals("abcd", read(dir.resolve("stdout.2")));
    assertEquals("efgh", read(dir.resolve("stdout.1")));
    assertEquals("ij\n", read(out));
  }

  @Test
  void theOldestBeyondTheCountIsDropped(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("stdout");
    try (RotatingLog log = RotatingLog.open(out, 4, 2)) {
      write(log, "1\n2\n3\n4\n5\n");
    }
    assertEquals("3\n4\n", read(dir.resolve("stdout.1")));
    assertEquals("5\n", read(out));
    assertFalse(Files.exists(dir.resolve("stdout.2")));
  }

  @Test
  void oneFileStartsOverAndKeepsTheUnfinishedLine(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("stdout");
    try (RotatingLog log = RotatingLog.open(out, 6, 1)) {
      write(log, "ab\ncd");
      write(log, "ef\n");
    }
    assertEquals("cdef\n", read(out));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "nothing but stdout");
    }
  }

  @Test
  void whatWasThereBeforeAndAppendsByOthersCount(@TempDir Path dir) throws Exception {
    Path err = dir.resolve("stderr");
    Files.writeString(err, "fetched\n");
    try (RotatingLog log = RotatingLog.open(err, 12, 3)) {
      write(log, "x\n");
      Files.writeString(err, "note\n", java.nio.file.StandardOpenOption.APPEND); // the executor's own line
      write(log, "y\n");
    }
    assertEquals("fetched\nx\nnote\n", read(dir.resolve("stderr.1")));
    assertEquals("y\n", read(err));
  }

  @Test
  void theExecutorsOwnLinesGoThroughTheOpenLogThenStraightToTheFile(@TempDir Path dir) throws Exception {
    Path err = dir.resolve("stderr");
    try (RotatingLog log = RotatingLog.open(err, 8, 3)) {
      write(log, "abc\n");
      RotatingLog.append(dir.resolve(".").resolve("stderr"), "note\n".getBytes(UTF_8)); // rotates first
      write(log, "d\n");
    }
    RotatingLog.append(err, "ended\n".getBytes(UTF_8));
    assertEquals("abc\n", read(dir.resolve("stderr.1")));
    assertEquals("note\nd\nended\n", read(err));
  }

  @Test
  void aSizeAndACountAreNeeded(@TempDir Path dir) {
    assertThrows(IllegalArgumentException.class, () -> RotatingLog.open(dir.resolve("stdout"), 0, 3));
    assertThrows(IllegalArgumentException.class, () -> RotatingLog.open(dir.resolve("stdout"), 10, 0));
  }
}
