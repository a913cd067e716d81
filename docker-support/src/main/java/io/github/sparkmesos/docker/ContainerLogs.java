package io.github.sparkmesos.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A container's stdout and stderr followed into two files, appended to (the fetcher and others may have
 * written there first). The stream ends by itself when the container stops; {@link #close()} stops following
 * earlier. Written as the engine sends it, without buffering in between.
 */
public final class ContainerLogs implements AutoCloseable {

  private final WritableByteChannel out;
  private final WritableByteChannel err;
  private final Callback callback = new Callback();
  private volatile IOException writeFailure;

  private ContainerLogs(WritableByteChannel out, WritableByteChannel err) {
    this.out = out;
    this.err = err;
  }

  static ContainerLogs follow(DockerEngine engine, String id, Path stdout, Path stderr) throws EngineException {
    FileChannel out = null;
    try {
      out = open(stdout);
      FileChannel err = stdout.equals(stderr) ? out : open(stderr);
      ContainerLogs logs = new ContainerLogs(out, err);
      engine.client().logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
          .exec(logs.callback);
      return logs;
    } catch (IOException e) {
      closeQuietly(out);
      throw new EngineException("Failed to open the log files of container " + id + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(out);
      throw new EngineException("Failed to follow the logs of container " + id + ": " + Failures.reason(e), e);
    }
  }

  /**
   * Follows the container's stdout and stderr into two channels (such as rotating files), which the logs own
   * from here on: {@link #close()} closes them, and so does a failure to follow.
   */
  static ContainerLogs follow(DockerEngine engine, String id, WritableByteChannel out, WritableByteChannel err)
      throws EngineException {
    ContainerLogs logs = new ContainerLogs(out, err);
    try {
      engine.client().logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
          .exec(logs.callback);
      return logs;
    } catch (RuntimeException e) {
      closeQuietly(out);
      closeQuietly(err);
      throw new EngineException("Failed to follow the logs of container " + id + ": " + Failures.reason(e), e);
    }
  }

  /**
   * Waits until the engine ends the stream (the container stopped and all its output is written).
   *
   * @return false if {@code limit} passed first
   * @throws IOException if a file could not be written
   */
  public boolean awaitEnd(Duration limit) throws InterruptedException, IOException {
    boolean ended = callback.awaitCompletion(limit.toMillis(), TimeUnit.MILLISECONDS);
    if (writeFailure != null) {
      throw writeFailure;
    }
    return ended;
  }

  /** Stops following and closes the files. */
  @Override
  public void close() throws IOException {
    callback.close();
    synchronized (this) {
      out.close();
      err.close();
    }
  }

  private synchronized void write(Frame frame) {
    WritableByteChannel target = switch (frame.getStreamType()) {
      case STDERR -> err;
      case STDOUT, RAW -> out;
      default -> null;
    };
    if (target == null || !target.isOpen()) {
      return;
    }
    ByteBuffer bytes = ByteBuffer.wrap(frame.getPayload());
    try {
      while (bytes.hasRemaining()) {
        target.write(bytes);
      }
    } catch (IOException e) {
      writeFailure = e;
      throw new UncheckedIOException(e);
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

  private final class Callback extends ResultCallback.Adapter<Frame> {
    @Override
    public void onNext(Frame frame) {
      write(frame);
    }
  }
}
