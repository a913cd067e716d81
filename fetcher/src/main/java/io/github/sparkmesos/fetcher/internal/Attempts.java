package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.FetcherOptions;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The attempts of one download, shared by every request it makes (the first, resumes and restarts): how many
 * were made and how many resumed, the wait before the next (exponential backoff with full jitter: a random
 * time between 0 and {@code min(maxBackoff, initialBackoff * 2^(tries - 1))}), and the overall deadline
 * ({@code callTimeout}) that all of them share. An attempt is one request to the source.
 */
public final class Attempts {

  private final int maxAttempts;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;
  private final Duration overall;
  private final long deadline;
  private int made;
  private int resumed;
  private String lastFailure;

  /** Starts the clock of the overall timeout. */
  public Attempts(FetcherOptions options) {
    this.maxAttempts = options.maxAttempts();
    this.initialBackoffNanos = options.initialBackoff().toNanos();
    this.maxBackoffNanos = options.maxBackoff().toNanos();
    this.overall = options.callTimeout();
    this.deadline = System.nanoTime() + saturatedNanos(options.callTimeout());
  }

  /** Counts a request about to be made. */
  void begin() {
    made++;
  }

  /** Counts a transfer continued after a failure. */
  void resumed() {
    resumed++;
  }

  /** Remembers why the last attempt failed, for the final message. */
  void failed(String reason) {
    lastFailure = reason;
  }

  String lastFailure() {
    return lastFailure;
  }

  int made() {
    return made;
  }

  /** Whether another request may be made: attempts left and time left. */
  boolean canRetry() {
    return made < maxAttempts && !expired();
  }

  boolean expired() {
    return remainingNanos() <= 0;
  }

  long remainingNanos() {
    return deadline - System.nanoTime();
  }

  Duration remaining() {
    return Duration.ofNanos(Math.max(0, remainingNanos()));
  }

  /**
   * Waits before the next request, at least {@code retryAfter} (the server's Retry-After, capped at the
   * maximum backoff) when given.
   *
   * @throws TransferFailure if the wait would end after the overall deadline, or the thread is interrupted
   */
  void pause(Duration retryAfter) throws TransferFailure {
    long cap = backoffCap();
    long wait = cap == 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
    if (retryAfter != null) {
      wait = Math.max(wait, Math.min(saturatedNanos(retryAfter), maxBackoffNanos));
    }
    if (wait >= remainingNanos()) {
      throw TransferFailure.fatal(lastFailure + suffix(true) + noTimeLeft(), null); // attempts are left
    }
    try {
      TimeUnit.NANOSECONDS.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TransferFailure.fatal("interrupted", e);
    }
  }

  /** {@code initialBackoff * 2^(retries so far)}, capped; the first retry waits up to initialBackoff. */
  private long backoffCap() {
    int retries = Math.max(0, made - 1);
    if (retries >= 62 || initialBackoffNanos > (maxBackoffNanos >> retries)) {
      return maxBackoffNanos;
    }
    return Math.min(maxBackoffNanos, initialBackoffNanos << retries);
  }

  /**
   * The final message of a download that gives up on {@code reason}: with the attempts made, and, when a
   * retryable failure is not retried although attempts are left, why (the overall timeout).
   */
  String giveUp(String reason, boolean retryable) {
    return reason + suffix(retryable) + (retryable && made < maxAttempts ? noTimeLeft() : "");
  }

  private String noTimeLeft() {
    return "; the overall timeout of " + HttpSource.format(overall) + " leaves no time for another attempt";
  }

  /**
   * What ends a final failure message: {@code " after 3 attempts (resumed twice)"}. Empty for a failure that
   * is not retried when it happened on the first attempt (a 404 says just that).
   */
  private String suffix(boolean retryable) {
    if (!retryable && made <= 1) {
      return "";
    }
    String text = " after " + made + (made == 1 ? " attempt" : " attempts");
    if (resumed == 1) {
      text += " (resumed once)";
    } else if (resumed == 2) {
      text += " (resumed twice)";
    } else if (resumed > 2) {
      text += " (resumed " + resumed + " times)";
    }
    return text;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }
}
