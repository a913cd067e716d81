package io.github.sparkmesos.fetcher.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.testing.Waits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ReadAheadTest {

  /** The thread names of one test, so that a test only looks at its own reader. */
  private static int tests;

  private final String name = "read-ahead-test-" + (++tests);

  /** Hands out {@code data} in reads of random sizes (1 to 300 bytes), then the end. */
  private static ReadAhead.Source chunked(byte[] data, long seed) {
    Random random = new Random(seed);
    int[] at = {0};
    return (b, off, len) -> {
      if (at[0] == data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, 1 + random.nextInt(300)), data.length - at[0]);
      System.arraycopy(data, at[0], b, off, n);
      at[0] += n;
      return n;
    };
  }

  /** A source that hands out {@code before} bytes, then blocks until it is aborted, and then fails. */
  private static final class Blocking implements ReadAhead.Source, ReadAhead.Abortable {
    final CountDownLatch aborted = new CountDownLatch(1);
    final CountDownLatch blocked = new CountDownLatch(1);
    final AtomicReference<Thread> reader = new AtomicReference<>();
    private int left;

    Blocking(int before) {
      left = before;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      reader.set(Thread.currentThread());
      if (left > 0) {
        int n = Math.min(len, left);
        left -= n;
        return n;
      }
      blocked.countDown();
      try {
        aborted.await(); // like a socket read: an interrupt does not end it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("connection closed by abort()");
    }

    @Override
    public void abort() {
      aborted.countDown();
    }
  }

  private static void awaitBlocked(Blocking source) throws InterruptedException {
    assertTrue(source.blocked.await(10, TimeUnit.SECONDS), "the reader reached the blocking read");
  }

  private boolean readerAlive() {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }

  @Test
  void theBytesArriveInOrderAcrossManyBuffers() throws IOException {
    byte[] data = new byte[100_000];
    new Random(7).nextBytes(data);
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    Random lengths = new Random(8);
    try (ReadAhead ahead = new ReadAhead(chunked(data, 9), null, name, 3, 1000)) {
      byte[] buffer = new byte[2000];
      int n;
      while ((n = ahead.read(buffer, 0, 1 + lengths.nextInt(buffer.length))) != -1) {
        read.write(buffer, 0, n);
      }
      assertEquals(-1, ahead.read(buffer, 0, 1), "the end stays");
    }
    assertArrayEquals(data, read.toByteArray());
    assertFalse(readerAlive());
  }

  @Test
  void aFailureComesAfterEveryByteReadBeforeItAndStays() throws IOException {
    IOException reset = new IOException("connection reset");
    byte[] data = new byte[2500];
    new Random(10).nextBytes(data);
    ReadAhead.Source good = chunked(data, 11);
    ReadAhead.Source failing = (b, off, len) -> {
      int n = good.read(b, off, len);
      if (n == -1) {
        throw reset;
      }
      return n;
    };
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    try (ReadAhead ahead = new ReadAhead(failing, null, name, 2, 1000)) {
      byte[] buffer = new byte[700];
      IOException e = assertThrows(IOException.class, () -> {
        int n;
        while ((n = ahead.read(buffer, 0, buffer.length)) != -1) {
          read.write(buffer, 0, n);
        }
      });
      assertSame(reset, e);
      assertSame(reset, assertThrows(IOException.class, () -> ahead.read(buffer, 0, 1)));
    }
    assertArrayEquals(data, read.toByteArray());
    assertFalse(readerAlive());
  }

  @Test
  void aRuntimeExceptionOfTheSourceReachesTheConsumerAsItIs() {
    IllegalStateException bug = new IllegalStateException("bug in the source");
    try (ReadAhead ahead = new ReadAhead((b, off, len) -> {
      throw bug;
    }, null, name)) {
      assertSame(bug, assertThrows(IllegalStateException.class, () -> ahead.read(new byte[1], 0, 1)));
    }
    assertFalse(readerAlive());
  }

  @Test
  void closingBeforeTheEndAbortsAReadBlockedOnTheSourceAndEndsTheReader() throws Exception {
    Blocking source = new Blocking(10);
    ReadAhead ahead = new ReadAhead(source, source, name, 4, 10);
    assertEquals(1, ahead.read(new byte[1], 0, 1));
    awaitBlocked(source);

    ahead.close();

    assertEquals(0, source.aborted.getCount(), "aborted");
    assertFalse(source.reader.get().isAlive());
    assertThrows(IOException.class, () -> ahead.read(new byte[1], 0, 1));
    ahead.close(); // idempotent
  }

  @Test
  void closingWhileTheReaderWaitsForAFreeBufferEndsIt() throws Exception {
    AtomicReference<Thread> reader = new AtomicReference<>();
    ReadAhead ahead = new ReadAhead((b, off, len) -> { // endless
      reader.set(Thread.currentThread());
      return len;
    }, null, name, 2, 10);
    assertEquals(1, ahead.read(new byte[1], 0, 1));
    // the reader parks as soon as both buffers are full
    Waits.awaitCondition(() -> reader.get().getState() == Thread.State.WAITING, java.time.Duration.ofSeconds(10),
        "both buffers are full");

    ahead.close();

    assertFalse(reader.get().isAlive());
  }

  @Test
  void anInterruptedConsumerStopsTheReaderAndKeepsItsInterrupt() throws Exception {
    Blocking source = new Blocking(0);
    ReadAhead ahead = new ReadAhead(source, source, name, 4, 10);
    Thread.currentThread().interrupt();
    try {
      InterruptedIOException e = assertThrows(InterruptedIOException.class,
          () -> ahead.read(new byte[1], 0, 1));
      assertEquals("interrupted", e.getMessage());
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
    } finally {
      Thread.interrupted();
    }
    assertFalse(readerAlive(), "the reader ended before read() returned");
    assertEquals(0, source.aborted.getCount(), "aborted");
    ahead.close();
  }

  @Test
  void anInterruptOfTheCallerDoesNotCutCloseShort() throws Exception {
    Blocking source = new Blocking(10);
    ReadAhead ahead = new ReadAhead(source, source, name, 4, 10);
    assertEquals(1, ahead.read(new byte[1], 0, 1));
    awaitBlocked(source);
    Thread.currentThread().interrupt();
    try {
      ahead.close();
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
    } finally {
      Thread.interrupted();
    }
    assertFalse(source.reader.get().isAlive());
  }

  @Test
  void noReaderStartsBeforeTheFirstRead() {
    AtomicReference<Thread> reader = new AtomicReference<>();
    ReadAhead ahead = new ReadAhead((b, off, len) -> {
      reader.set(Thread.currentThread());
      return -1;
    }, null, name);

    ahead.close();

    assertNull(reader.get());
    assertFalse(readerAlive());
  }
}
