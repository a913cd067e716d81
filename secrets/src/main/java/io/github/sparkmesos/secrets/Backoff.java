package io.github.sparkmesos.secrets;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** The wait before retry number {@code n} (from 1): full jitter under an exponentially growing, capped bound. */
final class Backoff {

  private final long initialNanos;
  private final long maxNanos;

  Backoff(Duration initial, Duration max) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
  }

  long capNanos(int retry) {
    int shift = Math.max(0, retry - 1);
    if (shift >= 62 || initialNanos > (maxNanos >> shift)) {
      return maxNanos;
    }
    return Math.min(maxNanos, initialNanos << shift);
  }

  /** Sleeps before retry number {@code retry}. */
  void pause(int retry) throws InterruptedException {
    long cap = capNanos(retry);
    if (cap > 0) {
      TimeUnit.NANOSECONDS.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
    }
  }
}
