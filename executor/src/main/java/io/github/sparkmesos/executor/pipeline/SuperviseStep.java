package io.github.sparkmesos.executor.pipeline;

import io.github.sparkmesos.executor.runtime.RunningTask;
import io.github.sparkmesos.os.ExitStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Waits for the command to exit, then for everything it started: what lingers after the command
 * exited is terminated with the task's kill grace. The terminal update waits for "all gone".
 */
final class SuperviseStep {

  private SuperviseStep() {}

  /**
   * How long "all gone" may take after the command's exit before what is left is called lingering:
   * the runtime confirms it on its own right after the exit (a process runtime reads /proc then).
   */
  static final Duration SETTLE = Duration.ofMillis(200);

  /** @param lingerGrace the grace of a kill already asked for, else the task's */
  static ExitStatus run(RunningTask task, Supplier<Duration> lingerGrace, TaskLog log) {
    ExitStatus exit = join(task.exit());
    if (!task.killRequested() && !settled(task.allGone()) && task.anyAlive()) {
      log.note("the command exited and left processes behind; terminating them");
      task.kill(lingerGrace.get());
    }
    join(task.allGone());
    return exit;
  }

  private static boolean settled(CompletableFuture<Void> allGone) {
    try {
      allGone.get(SETTLE.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return allGone.isDone();
    }
  }

  /** Waits through interrupts: a kill's interrupt must not cut supervision short. */
  static <T> T join(CompletableFuture<T> future) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
