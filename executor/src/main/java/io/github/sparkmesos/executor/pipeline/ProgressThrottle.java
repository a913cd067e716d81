package io.github.sparkmesos.executor.pipeline;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How often a slow stage speaks: a line in the task's stderr every {@link #NOTE_EVERY}, a
 * TASK_STARTING update at most every {@link #UPDATE_EVERY}. The agent checkpoints every update and
 * forwards one at a time to the framework, so a stream of them would delay TASK_RUNNING there.
 */
final class ProgressThrottle {

  static final Duration NOTE_EVERY = Duration.ofSeconds(2);
  static final Duration UPDATE_EVERY = Duration.ofSeconds(30);

  private final LongSupplier nanoTime;
  private long lastNote;
  private long lastUpdate;

  /** Counts from now: the stage's first TASK_STARTING has just been sent. */
  ProgressThrottle(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.lastNote = nanoTime.getAsLong();
    this.lastUpdate = lastNote;
  }

  boolean noteDue() {
    long now = nanoTime.getAsLong();
    if (now - lastNote < NOTE_EVERY.toNanos()) {
      return false;
    }
    lastNote = now;
    return true;
  }

  boolean updateDue() {
    long now = nanoTime.getAsLong();
    if (now - lastUpdate < UPDATE_EVERY.toNanos()) {
      return false;
    }
    lastUpdate = now;
    return true;
  }
}
