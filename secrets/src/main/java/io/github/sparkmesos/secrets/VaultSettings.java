package io.github.sparkmesos.secrets;

import java.time.Duration;

/**
 * How {@link VaultKv2Resolver} talks to Vault: the connect and read timeouts of one request, how many requests
 * one read may make (a connection error, a timeout and a 5xx are retried; a 4xx is not), and the backoff between
 * them (full jitter: a random wait up to {@code min(maxBackoff, initialBackoff * 2^retries)}).
 */
public record VaultSettings(Duration connectTimeout, Duration readTimeout, int maxAttempts,
    Duration initialBackoff, Duration maxBackoff) {

  public VaultSettings {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /** 5 s to connect, 10 s to read, 4 attempts, backoff from 200 ms up to 2 s. */
  public static VaultSettings defaults() {
    return new VaultSettings(Duration.ofSeconds(5), Duration.ofSeconds(10), 4, Duration.ofMillis(200),
        Duration.ofSeconds(2));
  }
}
