package io.github.sparkmesos.executor.pipeline;

import io.github.sparkmesos.executor.runtime.RunningTask;
import io.github.sparkmesos.os.ExitStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Waits for the command to exit, then for everything it started: what lingers after the command
 * exited is terminated with the task's kill grace. The terminal update waits for "all gone".
 */
final class SuperviseStep {

  private SuperviseStep() {}

  /** @param lingerGrace the grace of a kill already asked for, else the task's */
  static ExitStatus run(RunningTask task, Supplier<Duration> lingerGrace, TaskLog log) {
    ExitStatus exit = join(task.exit());
    if (!task.killRequested() && task.anyAlive()) {
      log.note("the command exited and left processes behind; terminating them");
      task.kill(lingerGrace.get());
    }
    join(task.allGone());
    return exit;
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
