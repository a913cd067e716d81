package io.github.sparkmesos.executor;

import io.github.sparkmesos.executor.util.Log;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Wall-clock time and one daemon timer thread. */
public final class SystemTimers implements Timers {

  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "timers");
    t.setDaemon(true);
    return t;
  });

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public Scheduled schedule(Duration delay, Runnable action) {
    ScheduledFuture<?> future = thread.schedule(() -> {
      try {
        action.run();
      } catch (RuntimeException e) {
        Log.error("timer failed: " + e);
      }
    }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public void shutdown() {
    thread.shutdownNow();
  }
}
