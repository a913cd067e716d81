package io.github.sparkmesos.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A pipe whose reading end becomes a child's stdin ({@link ProcessLauncher#spawn(ProcessSpec,
 * StdinPipe)}) and whose writing end this JVM keeps. The kernel closes the writing end when this JVM
 * ends, however it ends (SIGKILL included), so the child reads end of file: a child can tell that
 * its parent is gone without polling. Both ends are close-on-exec, so no other child inherits them.
 */
public final class StdinPipe implements AutoCloseable {

  private int readingEnd;
  private int writingEnd;

  private StdinPipe(int readingEnd, int writingEnd) {
    this.readingEnd = readingEnd;
    this.writingEnd = writingEnd;
  }

  public static StdinPipe open() throws IOException {
    Pointer fds = Memory.allocateDirect(LibC.runtime(), 8);
    if (LibC.INSTANCE.pipe2(fds, LibC.O_CLOEXEC) != 0) {
      throw new IOException("pipe2: " + LibC.INSTANCE.strerror(LibC.errno()));
    }
    return new StdinPipe(fds.getInt(0), fds.getInt(4));
  }

  synchronized int readingEnd() {
    if (readingEnd < 0) {
      throw new IllegalStateException("the reading end was already given to a child");
    }
    return readingEnd;
  }

  synchronized void closeReadingEnd() {
    if (readingEnd >= 0) {
      LibC.INSTANCE.close(readingEnd);
      readingEnd = -1;
    }
  }

  /**
   * Writes {@code text} (UTF-8) to the child's stdin, whole or not at all when it is short enough for
   * one pipe write (at most 4096 bytes). Returns false when the pipe is closed or the reader is gone.
   */
  public synchronized boolean write(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (writingEnd < 0 || bytes.length == 0) {
      return writingEnd >= 0;
    }
    if (bytes.length > 4096) {
      throw new IllegalArgumentException("at most 4096 bytes in one write");
    }
    Pointer buf = Memory.allocateDirect(LibC.runtime(), bytes.length);
    buf.put(0, bytes, 0, bytes.length);
    long written;
    do {
      written = LibC.INSTANCE.write(writingEnd, buf, bytes.length);
    } while (written < 0 && LibC.errno() == LibC.EINTR);
    return written == bytes.length; // EPIPE once the reader is gone: the JVM ignores SIGPIPE
  }

  /** Closes this JVM's ends: the child reads end of file. */
  @Override
  public synchronized void close() {
    closeReadingEnd();
    if (writingEnd >= 0) {
      LibC.INSTANCE.close(writingEnd);
      writingEnd = -1;
    }
  }
}
