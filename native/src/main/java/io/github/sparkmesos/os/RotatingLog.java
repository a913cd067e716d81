package io.github.sparkmesos.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A log file that is never larger than {@code maxSize} bytes, in the spirit of Mesos's logrotate container
 * logger: when a write would take {@code name} past its size, it becomes {@code name.1}, {@code name.1}
 * becomes {@code name.2} and so on, and the oldest beyond {@code maxFiles} files in all ({@code name}
 * included) is deleted, so that at most {@code maxSize * maxFiles} bytes stay on disk.
 *
 * <p>A file ends at a line boundary: the bytes up to the last newline that fits stay, the rest starts the
 * next file; a line already partly written when the boundary comes is moved whole into the next file. Only a
 * line longer than {@code maxSize} is cut, at {@code maxSize}. Nothing is buffered here: every byte given to
 * {@link #write} is in the file (the page cache) when it returns. Lines the executor adds through {@link #append}
 * are written through the log open on the file; appends by others count towards the size from the next write.
 */
public final class RotatingLog implements WritableByteChannel {

  private static final int TAIL_COPY = 64 << 10;
  /** The logs open in this JVM, by absolute path: {@link #append} writes through them. */
  private static final Map<Path, RotatingLog> OPEN = new ConcurrentHashMap<>();

  private final Path file;
  private final long maxSize;
  private final int maxFiles;
  private FileChannel channel;
  /** The bytes in the current file, as far as this writer knows. */
  private long size;
  /** Where the line not ended yet begins in the current file ({@code size} when the file ends with a newline). */
  private long lineStart;

  private RotatingLog(Path file, long maxSize, int maxFiles, FileChannel channel) throws IOException {
    this.file = file;
    this.maxSize = maxSize;
    this.maxFiles = maxFiles;
    this.channel = channel;
    this.size = channel.size();
    this.lineStart = size; // what others wrote before counts as whole lines
  }

  /** Appends to {@code file} (created when absent), rotating as above. */
  public static RotatingLog open(Path file, long maxSize, int maxFiles) throws IOException {
    if (maxSize < 1 || maxFiles < 1) {
      throw new IllegalArgumentException("a rotating log needs a size of at least 1 byte and at least 1 file: "
          + maxSize + " bytes, " + maxFiles + " files");
    }
    RotatingLog log = new RotatingLog(file, maxSize, maxFiles, append(file));
    OPEN.putIfAbsent(key(file), log);
    return log;
  }

  /**
   * Appends {@code bytes} to {@code file}: through the rotating log open on it in this JVM, if any, so that they
   * count towards its size and rotation (the executor's own lines in a task's stderr); else straight to the file.
   */
  public static void append(Path file, byte[] bytes) throws IOException {
    RotatingLog log = OPEN.get(key(file));
    if (log == null || !log.writeIfOpen(ByteBuffer.wrap(bytes))) {
      Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  private static Path key(Path file) {
    return file.toAbsolutePath().normalize();
  }

  private synchronized boolean writeIfOpen(ByteBuffer bytes) throws IOException {
    if (!channel.isOpen()) {
      return false;
    }
    write(bytes);
    return true;
  }

  public Path file() {
    return file;
  }

  /** {@code name.index}: the {@code index}th newest rotated file. */
  public Path rotated(int index) {
    return file.resolveSibling(file.getFileName() + "." + index);
  }

  @Override
  public synchronized int write(ByteBuffer src) throws IOException {
    int total = src.remaining();
    long actual = channel.size();
    if (actual != size) { // others appended whole lines (or the file was cut): go on from the real end
      size = actual;
      lineStart = actual;
    }
    while (src.hasRemaining()) {
      long room = maxSize - size;
      if (src.remaining() <= room) {
        writeUpTo(src, src.limit());
        continue;
      }
      int pos = src.position();
      int fits = pos + (int) Math.max(0, room);
      int newline = lastNewline(src, pos, fits);
      if (newline >= 0) {
        writeUpTo(src, newline + 1);
        rotate(false);
      } else if (lineStart > 0) {
        rotate(true); // the line begun here moves whole into the next file
      } else {
        writeUpTo(src, fits); // a single line longer than a file: cut at the size
        rotate(false);
      }
    }
    return total;
  }

  /** Writes {@code src} from its position to {@code end}, keeping track of the size and of the last line. */
  private void writeUpTo(ByteBuffer src, int end) throws IOException {
    int start = src.position();
    int limit = src.limit();
    src.limit(end);
    try {
      while (src.hasRemaining()) {
        channel.write(src);
      }
    } finally {
      src.limit(limit);
    }
    int newline = lastNewline(src, start, end);
    if (newline >= 0) {
      lineStart = size + (newline - start) + 1;
    }
    size += end - start;
  }

  private static int lastNewline(ByteBuffer buffer, int from, int to) {
    for (int i = to - 1; i >= from; i--) {
      if (buffer.get(i) == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * {@code name} becomes {@code name.1} (after the older ones moved up and the oldest went), a new {@code name}
   * is begun; with {@code moveTail}, the unfinished line at the end of the old file is moved into the new one.
   */
  private void rotate(boolean moveTail) throws IOException {
    long tail = moveTail ? size - lineStart : 0;
    Path previous = maxFiles > 1 ? rotated(1) : file.resolveSibling(file.getFileName() + ".rotating");
    if (maxFiles > 1) {
      Files.deleteIfExists(rotated(maxFiles - 1));
      for (int i = maxFiles - 2; i >= 1; i--) {
        if (Files.exists(rotated(i))) {
          Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Files.move(file, previous, StandardCopyOption.REPLACE_EXISTING); // the open channel follows it
    FileChannel next = append(file);
    try {
      if (tail > 0) {
        copy(previous, lineStart, tail, next);
        channel.truncate(lineStart);
      }
      channel.close();
    } catch (IOException e) {
      next.close();
      throw e;
    }
    if (maxFiles == 1) {
      Files.deleteIfExists(previous);
    }
    channel = next;
    size = next.size();
    lineStart = size - tail;
  }

  private static void copy(Path from, long position, long count, FileChannel to) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(TAIL_COPY, count));
    try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ)) {
      long done = 0;
      while (done < count) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
        int n = in.read(buffer, position + done);
        if (n < 0) {
          throw new IOException(from + " ended before the line it was to give to " + to);
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
          to.write(buffer);
        }
        done += n;
      }
    }
  }

  private static FileChannel append(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  @Override
  public synchronized boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public synchronized void close() throws IOException {
    OPEN.remove(key(file), this);
    channel.close();
  }

  @Override
  public String toString() {
    return file + " (rotated at " + maxSize + " bytes, " + maxFiles + " files)";
  }
}
