package io.github.sparkmesos.executor;

import java.time.Duration;
import java.time.Instant;

/**
 * The executor's clock and timers, injected so that every timeout (registration, recovery, backoff,
 * the terminal-acknowledgement fail-safe) can be driven by a test without waiting.
 */
public interface Timers {

  /** A scheduled action that may be called off. */
  interface Scheduled {
    void cancel();
  }

  Instant now();

  /** Runs {@code action} once {@code delay} has passed, on a timer thread. */
  Scheduled schedule(Duration delay, Runnable action);

  /** Stops every timer; nothing scheduled runs after this. */
  void shutdown();
}
