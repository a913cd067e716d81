package io.github.sparkmesos.fetcher.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Reads a source ahead of its consumer, on a thread of its own, into a few large buffers: while the step
 * inflates, parses and writes on the caller's thread, the reader thread receives the next bytes from the
 * network, hashes them and writes the archive copy ({@link TransferStream} hands it a {@link Source} that does
 * all three). At most {@link #BUFFERS} buffers of {@link #BUFFER_SIZE} bytes exist per transfer, so the reader
 * is never more than that far ahead.
 *
 * <p>What the consumer sees does not change: the same bytes in the same order, then the end, or the source's
 * failure (the same exception object, also for later reads) exactly where the source failed, after every byte
 * read before it. The reader fills a buffer until it is full, the source ends or fails; only then does the
 * consumer get it (so on a slow source the consumer, and the byte count of an interrupted transfer, lag by up
 * to one buffer).
 *
 * <p>The reader thread starts with the first read; {@link #close()} ends it and returns only once it has ended
 * (no reader outlives its transfer, whatever the path: the end, a failure of the source, a failure or exception
 * of the step, an early close). Closing before the end interrupts the reader and {@linkplain Abortable#abort()
 * aborts} the source, which closes a connection the reader may be blocked on. A consumer interrupted while it
 * waits for a buffer closes this at once and gets an {@link InterruptedIOException} with its interrupt status
 * kept.
 *
 * <p>The consumer side (reads, {@link #close()}) belongs to one thread at a time; the source is only ever read
 * by the reader thread, and everything the reader did before handing over a buffer, the end or a failure (and
 * everything, once {@link #close()} returned) is visible to the consumer.
 */
final class ReadAhead implements Closeable {

  static final int BUFFERS = 4;
  static final int BUFFER_SIZE = 1 << 20;

  /** What the reader thread reads from. */
  @FunctionalInterface
  interface Source {
    /** Like {@link java.io.InputStream#read(byte[], int, int)}. */
    int read(byte[] b, int off, int len) throws IOException;
  }

  /** A source whose blocked read another thread can end. */
  interface Abortable {
    /**
     * Makes the current read, and every later one, fail soon: for example by closing the connection.
     * Thread-safe; called by the consumer while the reader may be reading.
     */
    void abort();
  }

  /** A buffer with {@code length} bytes, the end ({@link #END}), or the failure of the source. */
  private record Chunk(byte[] buffer, int length, Throwable failure) {
  }

  private static final Chunk END = new Chunk(null, 0, null);
  /** Put into {@link #free} by {@link #close()}: wakes a reader waiting for a buffer. */
  private static final byte[] STOP = new byte[0];

  private final Source source;
  private final Abortable abortable;
  private final String threadName;
  private final int buffers;
  private final int bufferSize;
  private final BlockingQueue<byte[]> free = new LinkedBlockingQueue<>();
  private final BlockingQueue<Chunk> filled = new LinkedBlockingQueue<>();
  private volatile boolean stopping;

  // reader thread only
  private int allocated;

  // consumer only
  private Thread reader;
  private byte[] current;
  private int position;
  private int limit;
  private Throwable failure;
  private boolean ended;
  private boolean closed;

  /**
   * @param abortable ends a read blocked in {@code source}, or null when interrupting the reader thread does
   *                  (as for files)
   */
  ReadAhead(Source source, Abortable abortable, String threadName) {
    this(source, abortable, threadName, BUFFERS, BUFFER_SIZE);
  }

  ReadAhead(Source source, Abortable abortable, String threadName, int buffers, int bufferSize) {
    if (buffers < 1 || bufferSize < 1) {
      throw new IllegalArgumentException("buffers " + buffers + ", buffer size " + bufferSize);
    }
    this.source = Objects.requireNonNull(source);
    this.abortable = abortable;
    this.threadName = Objects.requireNonNull(threadName);
    this.buffers = buffers;
    this.bufferSize = bufferSize;
  }

  /** Like {@link java.io.InputStream#read(byte[], int, int)} with {@code len > 0}. */
  int read(byte[] b, int off, int len) throws IOException {
    if (position == limit && !advance()) {
      return -1;
    }
    int n = Math.min(len, limit - position);
    System.arraycopy(current, position, b, off, n);
    position += n;
    return n;
  }

  /** The bytes that can be read without waiting for the reader (may be 0 before the end). */
  int buffered() {
    return limit - position;
  }

  /** Moves on to the next buffer: false at the end; throws the failure of the source (again and again). */
  private boolean advance() throws IOException {
    if (failure != null) {
      throw rethrow(failure);
    }
    if (ended) {
      return false;
    }
    if (closed) {
      throw new IOException("the read-ahead is closed");
    }
    if (reader == null) {
      start();
    }
    if (current != null) {
      free.add(current);
      current = null;
      position = 0;
      limit = 0;
    }
    Chunk chunk;
    try {
      chunk = filled.take();
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted");
      failure = interrupted;
      throw interrupted;
    }
    if (chunk == END) {
      ended = true;
      return false;
    }
    if (chunk.failure() != null) {
      failure = chunk.failure();
      throw rethrow(failure);
    }
    current = chunk.buffer();
    limit = chunk.length();
    return true;
  }

  private void start() {
    Thread thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    reader = thread;
    thread.start();
  }

  /** The reader thread: fills buffers until the source ends or fails, or {@link #close()} stops it. */
  private void run() {
    try {
      while (!stopping) {
        byte[] buffer = nextFree();
        if (buffer == STOP) {
          return;
        }
        int length = 0;
        boolean end = false;
        Throwable failed = null;
        try {
          while (length < buffer.length && !stopping) {
            int n = source.read(buffer, length, buffer.length - length);
            if (n < 0) {
              end = true;
              break;
            }
            length += n;
          }
        } catch (Throwable t) { // IOException, but a RuntimeException or Error of the source too
          failed = t;
        }
        if (length > 0) {
          filled.add(new Chunk(buffer, length, null));
        } else {
          free.add(buffer);
        }
        if (failed != null) {
          filled.add(new Chunk(null, 0, failed));
          return;
        }
        if (end) {
          filled.add(END);
          return;
        }
      }
    } catch (InterruptedException e) {
      // close(): nobody reads any more
    } catch (Throwable t) { // an OutOfMemoryError allocating a buffer: the consumer must not wait for ever
      filled.add(new Chunk(null, 0, t));
    }
  }

  /** A free buffer, allocated while fewer than {@link #buffers} exist; {@link #STOP} once stopping. */
  private byte[] nextFree() throws InterruptedException {
    byte[] buffer = free.poll();
    if (buffer != null) {
      return buffer;
    }
    if (allocated < buffers) {
      allocated++;
      return new byte[bufferSize];
    }
    return free.take();
  }

  private static IOException rethrow(Throwable t) {
    if (t instanceof IOException e) {
      return e;
    }
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IOException(t);
  }

  /**
   * Ends the reader thread and waits until it has ended (an interrupt of the caller does not cut this short;
   * it is kept). Before the end of the source, the reader is interrupted and the source aborted. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Thread thread = reader;
    if (thread == null) {
      return;
    }
    if (!ended && failure == null) { // the reader may still be reading: stop it
      stopping = true;
      free.add(STOP);
      thread.interrupt();
      if (abortable != null) {
        abortable.abort();
      }
    }
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    filled.clear();
    free.clear();
    current = null;
    position = 0;
    limit = 0;
  }
}
