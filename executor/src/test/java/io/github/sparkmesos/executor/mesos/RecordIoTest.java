package io.github.sparkmesos.executor.mesos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordIoTest {

  /**
   * Hands out its bytes in pieces of the given sizes (cycled) and fails the test on a zero-length
   * read: okio's InputStream blocks on {@code read(buf, off, 0)} until more data arrives. At the end
   * of its data it either reports EOF or, like an idle event stream, fails as a read that would block.
   */
  private static final class PieceStream extends InputStream {
    private final byte[] data;
    private final int[] pieces;
    private final boolean eofAtEnd;
    private int pos;
    private int piece;

    PieceStream(byte[] data, boolean eofAtEnd, int... pieces) {
      this.data = data;
      this.pieces = pieces;
      this.eofAtEnd = eofAtEnd;
    }

    @Override
    public int read() {
      if (pos >= data.length) {
        return end();
      }
      return data[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        throw new AssertionError("zero-length read(buf, " + off + ", 0): okio blocks on it");
      }
      if (pos >= data.length) {
        return end();
      }
      int n = Math.min(Math.min(len, pieces[piece++ % pieces.length]), data.length - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }

    private int end() {
      if (eofAtEnd) {
        return -1;
      }
      throw new AssertionError("read past the last record: on an idle event stream this read would block");
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void frameWritesTheByteLengthInDecimalANewlineAndTheRecord() {
    assertArrayEquals(utf8("20\n{\"type\":\"HEARTBEAT\"}"), RecordIo.frame(utf8("{\"type\":\"HEARTBEAT\"}")));
    // the length counts bytes, not chars: "é" is two bytes in UTF-8
    assertArrayEquals(concat(utf8("2\n"), utf8("é")), RecordIo.frame(utf8("é")));
  }

  @Test
  void framedRecordsReadBackInOrderThenCleanEofIsNull() throws IOException {
    List<byte[]> records = List.of(utf8("{\"type\":\"HEARTBEAT\"}"), utf8("x"), utf8("ünïcödé"), new byte[300]);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] r : records) {
      out.writeBytes(RecordIo.frame(r));
    }
    RecordIo.Reader reader = new RecordIo.Reader(new ByteArrayInputStream(out.toByteArray()));
    for (byte[] r : records) {
      assertArrayEquals(r, reader.next());
    }
    assertNull(reader.next());
    assertNull(reader.next(), "EOF stays EOF");
  }

  @Test
  void emptyStreamIsACleanEof() throws IOException {
    assertNull(new RecordIo.Reader(new ByteArrayInputStream(new byte[0])).next());
  }

  @Test
  void aStreamDeliveredOneByteAtATimeDecodes() throws IOException {
    byte[] stream = concat(RecordIo.frame(utf8("first record")), RecordIo.frame(utf8("second, longer record")));
    RecordIo.Reader reader = new RecordIo.Reader(new PieceStream(stream, true, 1));
    assertEquals("first record", new String(reader.next(), StandardCharsets.UTF_8));
    assertEquals("second, longer record", new String(reader.next(), StandardCharsets.UTF_8));
    assertNull(reader.next());
  }

  @ParameterizedTest
  @ValueSource(longs = {1L, 2L, 3L, 42L, 2024L})
  void aStreamSplitAcrossArbitraryBoundariesDecodes(long seed) throws IOException {
    Random random = new Random(seed);
    List<byte[]> records = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 50; i++) {
      byte[] r = new byte[1 + random.nextInt(2000)];
      random.nextBytes(r);
      records.add(r);
      out.writeBytes(RecordIo.frame(r));
    }
    int[] pieces = new int[37];
    for (int i = 0; i < pieces.length; i++) {
      pieces[i] = 1 + random.nextInt(700);
    }
    RecordIo.Reader reader = new RecordIo.Reader(new PieceStream(out.toByteArray(), true, pieces));
    for (byte[] r : records) {
      assertArrayEquals(r, reader.next());
    }
    assertNull(reader.next());
  }

  @Test
  void neverReadsZeroBytesNorPastTheRecordItReturns() throws IOException {
    // the regression: after the last byte of a record, the reader must return it without another
    // read, and must never ask for zero bytes (also not for a zero-length record)
    byte[] stream = concat(RecordIo.frame(utf8("{\"type\":\"SUBSCRIBED\"}")), utf8("0\n"),
        RecordIo.frame(utf8("{\"type\":\"LAUNCH\"}")));
    for (int pieceSize : new int[] {1, 3, 64, 4096}) {
      RecordIo.Reader reader = new RecordIo.Reader(new PieceStream(stream, false, pieceSize));
      assertEquals("{\"type\":\"SUBSCRIBED\"}", new String(reader.next(), StandardCharsets.UTF_8));
      assertEquals(0, reader.next().length);
      assertEquals("{\"type\":\"LAUNCH\"}", new String(reader.next(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void eofInsideALengthThrows() {
    RecordIo.Reader reader = new RecordIo.Reader(new ByteArrayInputStream(utf8("12")));
    IOException e = assertThrows(IOException.class, reader::next);
    assertInstanceOf(EOFException.class, e);
    assertTrue(e.getMessage().contains("length"), e.getMessage());
  }

  @Test
  void eofInsideARecordThrows() throws IOException {
    byte[] stream = concat(RecordIo.frame(utf8("whole")), utf8("10\nonly5"));
    RecordIo.Reader reader = new RecordIo.Reader(new PieceStream(stream, true, 2));
    assertArrayEquals(utf8("whole"), reader.next());
    IOException e = assertThrows(IOException.class, reader::next);
    assertInstanceOf(EOFException.class, e);
    assertTrue(e.getMessage().contains("5 of 10"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1a\nx", "-1\nx", " 5\nhello", "5\r\nhello", "{\"type\":\"HEARTBEAT\"}"})
  void aNonDigitInTheLengthThrows(String stream) {
    IOException e = assertThrows(IOException.class, () -> new RecordIo.Reader(new ByteArrayInputStream(utf8(stream))).next());
    assertFalse(e instanceof EOFException, "a format error, not an EOF: " + e);
    assertTrue(e.getMessage().contains("decimal length"), e.getMessage());
  }

  @Test
  void anEmptyLengthThrows() {
    IOException e = assertThrows(IOException.class, () -> new RecordIo.Reader(new ByteArrayInputStream(utf8("\nx"))).next());
    assertTrue(e.getMessage().contains("empty record length"), e.getMessage());
  }

  @Test
  void anOverLongLengthIsRefusedBeforeAnythingIsAllocated() {
    String tooLong = (RecordIo.MAX_RECORD + 1) + "\n";
    IOException e = assertThrows(IOException.class, () -> new RecordIo.Reader(new ByteArrayInputStream(utf8(tooLong))).next());
    assertTrue(e.getMessage().contains("longer than " + RecordIo.MAX_RECORD), e.getMessage());
    // a length that would overflow a long is refused too, while its digits are still arriving
    String huge = "9".repeat(40) + "\n";
    IOException e2 = assertThrows(IOException.class, () -> new RecordIo.Reader(new PieceStream(utf8(huge), false, 1)).next());
    assertTrue(e2.getMessage().contains("longer than"), e2.getMessage());
  }
}
