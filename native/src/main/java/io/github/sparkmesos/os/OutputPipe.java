package io.github.sparkmesos.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A pipe whose writing end becomes a child's stdout or stderr ({@link ProcessLauncher#spawn(ProcessSpec,
 * StdinPipe, OutputPipe, OutputPipe)}) and whose reading end this JVM copies into a sink, one thread per pipe
 * ({@link #copyTo}). The pipe is enlarged (up to 1 MiB where the kernel allows) so that a chatty child rarely
 * waits for the copier; the copy buffer is the only memory it holds. Both ends are close-on-exec.
 */
public final class OutputPipe implements AutoCloseable {

  /** What the pipe asks the kernel for ({@code /proc/sys/fs/pipe-max-size} is 1 MiB by default). */
  static final int PIPE_CAPACITY = 1 << 20;
  /** One read of the copier: large enough to keep the system calls per byte few, small beside the pipe. */
  static final int COPY_BUFFER = 256 << 10;
  /**
   * After a read that found the pipe less than half a buffer full, the copier lets the pipe fill this long
   * before it reads again, rather than wake up for every small write of the child (a 4 KiB stdio buffer): a
   * chatty child then costs a few hundred wake-ups a second instead of hundreds of thousands, and a line
   * reaches its file at most this much later. An idle child costs nothing: the read blocks.
   */
  static final long BATCH_NANOS = 1_000_000;

  private final FileChannel reading;
  private final int capacity;
  private int writingEnd;

  private OutputPipe(FileChannel reading, int writingEnd, int capacity) {
    this.reading = reading;
    this.writingEnd = writingEnd;
    this.capacity = capacity;
  }

  public static OutputPipe open() throws IOException {
    LibC libc = LibC.INSTANCE;
    Pointer fds = Memory.allocateDirect(LibC.runtime(), 8);
    if (libc.pipe2(fds, LibC.O_CLOEXEC) != 0) {
      throw new IOException("pipe2: " + libc.strerror(LibC.errno()));
    }
    int readingEnd = fds.getInt(0);
    int writing = fds.getInt(4);
    // best effort: the default 64 KiB works too, with more waits of the child
    int capacity = Math.max(libc.fcntl(readingEnd, LibC.F_SETPIPE_SZ, PIPE_CAPACITY), 0);
    try {
      // the same pipe, opened again through procfs, as a channel a close unblocks
      FileChannel channel = FileChannel.open(Path.of("/proc/self/fd/" + readingEnd), StandardOpenOption.READ);
      return new OutputPipe(channel, writing, capacity);
    } catch (IOException e) {
      libc.close(writing);
      throw e;
    } finally {
      libc.close(readingEnd);
    }
  }

  /** The pipe's size as the kernel set it (0 if it kept its default). */
  int capacity() {
    return capacity;
  }

  synchronized int writingEnd() {
    if (writingEnd < 0) {
      throw new IllegalStateException("the writing end was already given to a child");
    }
    return writingEnd;
  }

  /** Once the child has it: the copy then ends when the child's side (and all it passed it to) closed it. */
  synchronized void closeWritingEnd() {
    if (writingEnd >= 0) {
      LibC.INSTANCE.close(writingEnd);
      writingEnd = -1;
    }
  }

  /**
   * Copies everything written to the pipe into {@code sink} on a daemon thread named {@code name}, until every
   * writer has closed it or {@link #close()} is called. When the sink fails, what follows is read and dropped
   * (a writer is never blocked by a full pipe), and the future completes with the failure at the end.
   *
   * @return completes once the last byte read was written to the sink
   */
  public CompletableFuture<Void> copyTo(WritableByteChannel sink, String name) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread copier = new Thread(() -> copy(sink, done), name);
    copier.setDaemon(true);
    copier.start();
    return done;
  }

  private void copy(WritableByteChannel sink, CompletableFuture<Void> done) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(COPY_BUFFER);
    IOException failure = null;
    try {
      for (int n = reading.read(buffer); n >= 0; n = reading.read(buffer)) {
        buffer.flip();
        if (failure == null) {
          try {
            while (buffer.hasRemaining()) {
              sink.write(buffer);
            }
          } catch (IOException e) {
            failure = e;
          }
        }
        buffer.clear();
        if (n < COPY_BUFFER / 2) {
          LockSupport.parkNanos(BATCH_NANOS);
        }
      }
    } catch (ClosedChannelException e) {
      // closed by close(): stop here
    } catch (IOException e) {
      failure = failure == null ? e : failure;
    }
    if (failure == null) {
      done.complete(null);
    } else {
      done.completeExceptionally(failure);
    }
  }

  /** Closes both of this JVM's ends: a copy in progress stops. */
  @Override
  public void close() throws IOException {
    closeWritingEnd();
    reading.close();
  }
}
