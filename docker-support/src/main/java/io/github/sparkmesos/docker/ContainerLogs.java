package io.github.sparkmesos.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A container's stdout and stderr followed into two files, appended to (the fetcher and others may have
 * written there first). The stream ends by itself when the container stops; {@link #close()} stops following
 * earlier. Written as the engine sends it, without buffering in between.
 *
 * <p>The engine's follow stream is not trusted to be whole: Docker 20.10's json-file reader was seen ending it
 * at line 19,243 of a container's 100,000, and a stream can break. So at the end the last entries of the
 * container's log are read again and compared with the last ones followed; where they differ (or the stream
 * broke, or went silent), the log is read once more without following and only what was not written yet is
 * appended, counted in bytes per stream.
 */
public final class ContainerLogs implements AutoCloseable {

  /** How many of the log's last entries are compared with the last followed. */
  private static final int TAIL_CHECKED = 3;
  private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(2);

  private final DockerEngine engine;
  private final String id;
  private final WritableByteChannel out;
  private final WritableByteChannel err;
  private final Reader follow = new Reader(true);
  /** The current read when none writes: closing a read interrupts its thread, which must not be writing then. */
  private final Reader none = new Reader(false);
  // guarded by this: the read whose frames are written, the bytes written of each stream, the last frames seen
  private Reader current = follow;
  private long outWritten;
  private long errWritten;
  private final ArrayDeque<Frame> lastFrames = new ArrayDeque<>();
  private volatile IOException writeFailure;

  private ContainerLogs(DockerEngine engine, String id, WritableByteChannel out, WritableByteChannel err) {
    this.engine = engine;
    this.id = id;
    this.out = out;
    this.err = err;
  }

  static ContainerLogs follow(DockerEngine engine, String id, Path stdout, Path stderr) throws EngineException {
    FileChannel out = null;
    try {
      out = open(stdout);
      FileChannel err = stdout.equals(stderr) ? out : open(stderr);
      return follow(engine, id, out, err);
    } catch (IOException e) {
      closeQuietly(out);
      throw new EngineException("Failed to open the log files of container " + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * Follows the container's stdout and stderr into two channels (such as rotating files), which the logs own
   * from here on: {@link #close()} closes them, and so does a failure to follow.
   */
  static ContainerLogs follow(DockerEngine engine, String id, WritableByteChannel out, WritableByteChannel err)
      throws EngineException {
    ContainerLogs logs = new ContainerLogs(engine, id, out, err);
    try {
      engine.client().logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
          .exec(logs.follow);
      return logs;
    } catch (RuntimeException e) {
      closeQuietly(out);
      closeQuietly(err);
      throw new EngineException("Failed to follow the logs of container " + id + ": " + Failures.reason(e), e);
    }
  }

  /**
   * Waits until everything the container printed is written, once it has exited: for the engine to end the
   * follow stream, as long as the stream keeps bringing output, then checks the log's last entries against
   * the last ones followed and reads what the stream missed.
   *
   * @param idleLimit how long the stream may bring nothing before it is given up and the log read again
   * @return false if the output could not be completed (what was written stays)
   * @throws IOException if a file could not be written
   */
  public boolean awaitEnd(Duration idleLimit) throws InterruptedException, IOException {
    long progress = -1;
    while (!follow.ended.await(idleLimit.toMillis(), TimeUnit.MILLISECONDS) && written() != progress) {
      progress = written();
    }
    throwWriteFailure();
    boolean whole = follow.ended.getCount() == 0 && follow.failure == null && tailMatches();
    if (!whole) {
      stop(follow);
      whole = catchUp();
      throwWriteFailure();
    }
    return whole;
  }

  /** Stops following and closes the files. */
  @Override
  public void close() throws IOException {
    synchronized (this) {
      current = null;
    }
    follow.close();
    synchronized (this) {
      out.close();
      err.close();
    }
  }

  /**
   * Ends {@code reader}'s writing, then its stream. Closing a stream interrupts the thread that reads it, and an
   * interrupt during a write would close the file channel: the write in progress is waited for (both hold this
   * lock), and no later frame of that read is written.
   */
  private void stop(Reader reader) {
    synchronized (this) {
      if (current == reader) {
        current = none;
      }
    }
    reader.close();
  }

  /** What the engine does when its follow stream ends before the log does: the stream ends. For tests. */
  void endFollowingEarly() {
    stop(follow);
    follow.ended.countDown();
  }

  /** Whether the log's last entries are the last frames followed (a TTY's raw chunks need not be: read again). */
  private boolean tailMatches() {
    Reader tail = new Reader(false);
    try {
      engine.client().logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(TAIL_CHECKED).exec(tail);
      if (!tail.ended.await(CATCH_UP_LIMIT.toMillis(), TimeUnit.MILLISECONDS) || tail.failure != null) {
        return false;
      }
    } catch (RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      tail.close();
    }
    List<Frame> followed;
    synchronized (this) {
      followed = new ArrayList<>(lastFrames);
    }
    if (followed.size() != tail.frames.size()) {
      return false;
    }
    for (int i = 0; i < followed.size(); i++) {
      Frame a = followed.get(i);
      Frame b = tail.frames.get(i);
      if (a.getStreamType() != b.getStreamType() || !Arrays.equals(a.getPayload(), b.getPayload())) {
        return false;
      }
    }
    return true;
  }

  /** Reads the whole log of the exited container, writing only the bytes of each stream not written yet. */
  private boolean catchUp() throws InterruptedException {
    Reader again = new Reader(true);
    synchronized (this) {
      if (current == null) {
        return false; // closed
      }
      current = again;
    }
    try {
      engine.client().logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(false).exec(again);
      return again.ended.await(CATCH_UP_LIMIT.toMillis(), TimeUnit.MILLISECONDS) && again.failure == null;
    } catch (RuntimeException e) {
      return false;
    } finally {
      stop(again);
    }
  }

  private synchronized long written() {
    return outWritten + errWritten;
  }

  private synchronized void deliver(Reader reader, Frame frame) {
    if (reader != current) {
      return; // a read given up on, or the logs closed
    }
    boolean isErr = frame.getStreamType() == StreamType.STDERR;
    if (!isErr && frame.getStreamType() != StreamType.STDOUT && frame.getStreamType() != StreamType.RAW) {
      return;
    }
    lastFrames.addLast(frame);
    if (lastFrames.size() > TAIL_CHECKED) {
      lastFrames.removeFirst();
    }
    byte[] payload = frame.getPayload();
    long seen = isErr ? (reader.errSeen += payload.length) : (reader.outSeen += payload.length);
    long written = isErr ? errWritten : outWritten;
    int skip = (int) Math.max(0, payload.length - (seen - written)); // what an earlier read wrote already
    if (skip >= payload.length) {
      return;
    }
    WritableByteChannel target = isErr ? err : out;
    ByteBuffer bytes = ByteBuffer.wrap(payload, skip, payload.length - skip);
    try {
      while (bytes.hasRemaining()) {
        target.write(bytes);
      }
    } catch (IOException e) {
      writeFailure = e;
      throw new UncheckedIOException(e);
    }
    if (isErr) {
      errWritten = seen;
    } else {
      outWritten = seen;
    }
  }

  private void throwWriteFailure() throws IOException {
    if (writeFailure != null) {
      throw writeFailure;
    }
  }

  private static FileChannel open(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  private static void closeQuietly(WritableByteChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already failing
      }
    }
  }

  /** One read of the log: its frames go to the files while it is the current read, or are kept (the tail). */
  private final class Reader extends ResultCallback.Adapter<Frame> {
    final boolean writes;
    final CountDownLatch ended = new CountDownLatch(1);
    final List<Frame> frames = new ArrayList<>();
    volatile Throwable failure;
    long outSeen;
    long errSeen;

    Reader(boolean writes) {
      this.writes = writes;
    }

    @Override
    public void onNext(Frame frame) {
      if (writes) {
        deliver(this, frame);
      } else {
        synchronized (frames) {
          frames.add(frame);
        }
      }
    }

    @Override
    public void onError(Throwable throwable) {
      failure = throwable;
      ended.countDown();
      super.onError(throwable);
    }

    @Override
    public void onComplete() {
      ended.countDown();
      super.onComplete();
    }

    @Override
    public void close() {
      try {
        super.close();
      } catch (IOException ignored) {
        // the stream is closing anyway
      }
    }
  }
}
