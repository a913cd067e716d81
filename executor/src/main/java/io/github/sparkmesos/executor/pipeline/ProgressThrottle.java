package io.github.sparkmesos.executor.pipeline;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How often a slow stage speaks: a line in the task's stderr every {@link #NOTE_EVERY}, a
 * TASK_STARTING update at most every {@link #UPDATE_EVERY}. The agent checkpoints every update and
 * forwards one at a time to the framework, so a stream of them would delay TASK_RUNNING there.
 */
public final class ProgressThrottle {

  static final Duration NOTE_EVERY = Duration.ofSeconds(2);
  static final Duration UPDATE_EVERY = Duration.ofSeconds(30);

  private final LongSupplier nanoTime;
  private final long[] lastNote = new long[1];
  private final long[] lastUpdate = new long[1];

  /** Counts from now: the stage's first TASK_STARTING has just been sent. */
  public ProgressThrottle(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    lastNote[0] = nanoTime.getAsLong();
    lastUpdate[0] = lastNote[0];
  }

  public boolean noteDue() {
    return due(lastNote, NOTE_EVERY);
  }

  public boolean updateDue() {
    return due(lastUpdate, UPDATE_EVERY);
  }

  /** Whether {@code every} has passed since {@code last}, which then becomes now. */
  private boolean due(long[] last, Duration every) {
    long now = nanoTime.getAsLong();
    if (now - last[0] < every.toNanos()) {
      return false;
    }
    last[0] = now;
    return true;
  }
}
