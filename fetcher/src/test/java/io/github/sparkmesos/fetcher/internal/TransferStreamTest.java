package io.github.sparkmesos.fetcher.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sparkmesos.fetcher.FetchProgress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransferStreamTest {

  /** Hands out its bytes in fixed chunks and, like a drained socket buffer, never reports anything available. */
  private static final class ChunkedStream extends InputStream {
    private final List<byte[]> chunks;
    private int chunk;
    private int offset;

    ChunkedStream(List<byte[]> chunks) {
      this.chunks = chunks;
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (chunk == chunks.size()) {
        return -1;
      }
      byte[] current = chunks.get(chunk);
      int n = Math.min(len, current.length - offset);
      System.arraycopy(current, offset, b, off, n);
      offset += n;
      if (offset == current.length) {
        chunk++;
        offset = 0;
      }
      return n;
    }

    @Override
    public int available() {
      return 0;
    }
  }

  private static TransferStream transfer(InputStream in, long length, FetchProgress progress) {
    return new TransferStream(in, length, "test://x", progress, TransferStream::messageOf, null);
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  @Test
  void gzipMembersThatEndOnAnEmptyBufferAreAllRead() throws IOException {
    byte[] first = "first member\n".repeat(100).getBytes();
    byte[] second = "second member\n".repeat(100).getBytes();
    // the first read returns exactly the first member; available() is 0 at the boundary
    InputStream network = new ChunkedStream(List.of(gzip(first), gzip(second)));

    byte[] all;
    try (InputStream in = new GZIPInputStream(transfer(network, -1, FetchProgress.NONE), 64 * 1024)) {
      all = in.readAllBytes();
    }

    byte[] expected = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, expected, first.length, second.length);
    assertArrayEquals(expected, all);
  }

  @Test
  void progressComesAboutEveryMebibyteAndOnceAtTheEnd() throws Exception {
    byte[] data = new byte[(int) (2.5 * TransferStream.REPORT_EVERY)];
    new Random(1).nextBytes(data);
    List<Long> reported = new ArrayList<>();
    TransferStream in = transfer(new ChunkedStream(List.of(data)), data.length,
        (uri, bytes, total) -> reported.add(bytes));

    in.readAllBytes();
    in.finish();
    in.finish(); // idempotent

    assertEquals(List.of(TransferStream.REPORT_EVERY, 2 * TransferStream.REPORT_EVERY, (long) data.length), reported);
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 2 * TransferStream.REPORT_EVERY})
  void theEndIsReportedOnceEvenWhenTheLastReadCrossesAMebibyte(long announcedLength) throws Exception {
    byte[] data = new byte[(int) (2 * TransferStream.REPORT_EVERY)];
    List<Long> reported = new ArrayList<>();
    TransferStream in = transfer(new ChunkedStream(List.of(data)), announcedLength,
        (uri, bytes, total) -> reported.add(bytes));

    in.readAllBytes();
    in.finish();

    assertEquals(List.of(TransferStream.REPORT_EVERY, (long) data.length), reported);
  }

  @Test
  void readAheadGivesTheSameBytesChecksumAndProgressOnTheCallersThread() throws Exception {
    byte[] data = new byte[(int) (2.5 * TransferStream.REPORT_EVERY)];
    new Random(2).nextBytes(data);
    List<Long> reported = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    List<byte[]> chunks = new ArrayList<>();
    for (int at = 0; at < data.length; at += 8192) {
      chunks.add(Arrays.copyOfRange(data, at, Math.min(data.length, at + 8192)));
    }
    TransferStream in = transfer(new ChunkedStream(chunks), data.length, (uri, bytes, total) -> {
      reported.add(bytes);
      threads.add(Thread.currentThread());
    });
    in.expectSha256(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
    in.readAhead();

    byte[] read = in.readAllBytes();
    in.finish();
    in.close();

    assertArrayEquals(data, read);
    assertEquals(data.length, in.bytes());
    assertEquals(List.of(TransferStream.REPORT_EVERY, 2 * TransferStream.REPORT_EVERY, (long) data.length), reported);
    assertEquals(List.of(Thread.currentThread(), Thread.currentThread(), Thread.currentThread()), threads);
  }

  @Test
  void readAheadKeepsGzipMembersThatEndOnAnEmptyBuffer() throws IOException {
    byte[] first = "first member\n".repeat(100).getBytes();
    byte[] second = "second member\n".repeat(100).getBytes();
    TransferStream source = transfer(new ChunkedStream(List.of(gzip(first), gzip(second))), -1, FetchProgress.NONE);
    source.readAhead();

    byte[] all;
    try (InputStream in = new GZIPInputStream(source, 64 * 1024)) {
      all = in.readAllBytes();
    }

    assertEquals(new String(first) + new String(second), new String(all));
  }

  @Test
  void withReadAheadASourceFailureIsStillToldApartWithTheBytesBeforeIt() throws IOException {
    InputStream failing = new InputStream() {
      private int left = 5000;

      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left == 0) {
          throw new IOException("connection reset");
        }
        int n = Math.min(len, Math.min(left, 1000));
        left -= n;
        return n;
      }
    };
    TransferStream broken = transfer(failing, 100_000, FetchProgress.NONE);
    broken.readAhead();

    IOException fromSource = assertThrows(IOException.class, broken::readAllBytes);
    broken.close();

    assertEquals("connection reset", fromSource.getMessage());
    assertEquals(5000, broken.bytes());
    assertEquals("transfer failed after 5000 of 100000 bytes: connection reset",
        broken.failure(fromSource, "not a valid gzip file").getMessage());
  }

  @Test
  void finishFailsWhenLessThanTheAnnouncedLengthArrived() {
    TransferStream in = transfer(new ChunkedStream(List.of(new byte[10])), 20, FetchProgress.NONE);

    StepException e = assertThrows(StepException.class, in::finish);

    assertEquals("the transfer ended after 10 of 20 bytes", e.getMessage());
  }

  @Test
  void sourceFailuresAreToldApartFromContentProblems() throws IOException {
    InputStream failing = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("connection reset");
      }
    };
    TransferStream broken = transfer(failing, 100, FetchProgress.NONE);
    IOException fromSource = assertThrows(IOException.class, broken::read);
    TransferStream fine = transfer(new ChunkedStream(List.of(new byte[5])), 5, FetchProgress.NONE);

    assertEquals("transfer failed after 0 of 100 bytes: connection reset",
        broken.failure(fromSource, "not a valid gzip file").getMessage());
    assertEquals("not a valid gzip file: Not in GZIP format",
        fine.failure(new java.util.zip.ZipException("Not in GZIP format"), "not a valid gzip file").getMessage());
  }
}
