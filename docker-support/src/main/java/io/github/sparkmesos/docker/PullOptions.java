package io.github.sparkmesos.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link PullStep} pulls.
 *
 * @param forcePull      pull even when the image is present (the registry decides whether anything changed)
 * @param dockerConfig   a Docker {@code config.json} whose {@code auths} entry for the image's registry gives
 *                       the credentials, or null for anonymous pulls
 * @param maxAttempts    pulls tried at most, transient failures only (connection refused, 5xx, timeouts)
 * @param initialBackoff the longest wait before the first retry; each retry doubles it (full jitter)
 * @param maxBackoff     the longest wait between two attempts
 * @param timeout        the overall time all attempts share
 */
public record PullOptions(boolean forcePull, Path dockerConfig, int maxAttempts, Duration initialBackoff,
    Duration maxBackoff, Duration timeout) {

  public PullOptions {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(timeout, "timeout");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.isNegative() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("backoffs must not be negative and the timeout must be positive");
    }
  }

  /** Pull only when absent, anonymously, 5 attempts, 1 s to 30 s backoff, 10 minutes overall. */
  public static PullOptions defaults() {
    return new PullOptions(false, null, 5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(10));
  }

  public PullOptions withForcePull(boolean force) {
    return new PullOptions(force, dockerConfig, maxAttempts, initialBackoff, maxBackoff, timeout);
  }

  public PullOptions withDockerConfig(Path configJson) {
    return new PullOptions(forcePull, configJson, maxAttempts, initialBackoff, maxBackoff, timeout);
  }

  public PullOptions withRetries(int attempts, Duration initial, Duration max) {
    return new PullOptions(forcePull, dockerConfig, attempts, initial, max, timeout);
  }

  public PullOptions withTimeout(Duration overall) {
    return new PullOptions(forcePull, dockerConfig, maxAttempts, initialBackoff, maxBackoff, overall);
  }
}
