package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.OutputPipe;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import io.github.sparkmesos.os.RotatingLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A process task's stdout and stderr through pipes into {@link RotatingLog}s in its directory: one copier
 * thread per stream (its 1 MiB buffer is all the memory it holds). The task is "all gone" only once both
 * copies have written their last byte, so its terminal update follows its last line; a process that escaped
 * the task's session and still holds a pipe gets {@link #DRAIN} to let go, then the copy stops.
 */
final class RotatedOutput {

  /** How long the copies may go on after the task's processes are gone. */
  static final Duration DRAIN = Duration.ofSeconds(10);

  private final OutputPipe outPipe;
  private final OutputPipe errPipe;
  private final RotatingLog out;
  private final RotatingLog err;

  private RotatedOutput(OutputPipe outPipe, OutputPipe errPipe, RotatingLog out, RotatingLog err) {
    this.outPipe = outPipe;
    this.errPipe = errPipe;
    this.out = out;
    this.err = err;
  }

  /** Starts {@code spec} with its output rotated into {@code directory}'s stdout and stderr as {@code rotation} says. */
  static Started spawn(ProcessSpec spec, Path directory, TaskLogRotation rotation) throws IOException {
    RotatedOutput output = open(directory, rotation);
    ChildProcess child;
    try {
      child = ProcessLauncher.spawn(spec.withOutput(null, null), null, output.outPipe, output.errPipe);
    } catch (IOException | RuntimeException e) {
      output.closeQuietly();
      throw e;
    }
    CompletableFuture<Void> copied = CompletableFuture.allOf(
        output.outPipe.copyTo(output.out, "stdout-" + child.pid()),
        output.errPipe.copyTo(output.err, "stderr-" + child.pid()));
    CompletableFuture<Void> gone = child.onGroupGone().thenCompose(ignored -> copied
        .completeOnTimeout(null, DRAIN.toMillis(), TimeUnit.MILLISECONDS)
        .handle((ok, failure) -> {
          if (failure != null) {
            Log.warn("process " + child.pid() + ": its output could not all be written: " + failure.getMessage());
          }
          output.closeQuietly();
          return null;
        }));
    return new Started(child, gone);
  }

  private static RotatedOutput open(Path directory, TaskLogRotation rotation) throws IOException {
    RotatingLog out = null;
    RotatingLog err = null;
    OutputPipe outPipe = null;
    try {
      out = rotation.openStdout(directory);
      err = rotation.openStderr(directory);
      outPipe = OutputPipe.open();
      return new RotatedOutput(outPipe, OutputPipe.open(), out, err);
    } catch (IOException | RuntimeException e) {
      for (AutoCloseable c : new AutoCloseable[] {outPipe, err, out}) {
        if (c != null) {
          try {
            c.close();
          } catch (Exception ignored) {
            // already failing
          }
        }
      }
      throw e;
    }
  }

  private void closeQuietly() {
    for (AutoCloseable c : List.of(outPipe, errPipe, out, err)) {
      try {
        c.close();
      } catch (Exception e) {
        Log.warn("closing a task's output: " + e.getMessage());
      }
    }
  }

  /** The child, and when both it (with its session) and its output are done. */
  record Started(ChildProcess child, CompletableFuture<Void> allGone) {}

  /** A task whose "all gone" also waits for its output: the rest is the process task's own. */
  static final class Task extends WrappedTask {
    private final CompletableFuture<Void> allGone;

    Task(RunningTask task, CompletableFuture<Void> allGone) {
      super(task);
      this.allGone = allGone;
    }

    @Override
    public CompletableFuture<Void> allGone() {
      return allGone;
    }
  }
}
