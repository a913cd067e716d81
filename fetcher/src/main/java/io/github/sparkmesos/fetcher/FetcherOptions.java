package io.github.sparkmesos.fetcher;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timeouts of a {@link Fetcher}.
 *
 * @param connectTimeout    how long to wait for a TCP and TLS connection
 * @param readTimeout       the stall timeout: how long a read may wait for the next bytes
 * @param callTimeout       the overall limit of one HTTP fetch, from the request to the last byte
 * @param maxArchiveEntries an archive with more entries is refused
 * @param maxExpandedBytes  an archive (or a {@code .gz}) that expands to more bytes is refused
 * @param maxAttempts       tries of one download (connection errors, 5xx, truncated bodies) before failing
 * @param initialBackoff    the wait before the second try; doubled each try, with jitter
 * @param maxBackoff        the longest wait between tries
 * @param cacheDirectory    the node's fetch cache, shared by every executor on the node; {@code null}: none
 * @param cacheMaxBytes     the cache is kept under this size by evicting the least recently used entries
 */
public record FetcherOptions(
    Duration connectTimeout,
    Duration readTimeout,
    Duration callTimeout,
    long maxArchiveEntries,
    long maxExpandedBytes,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    java.nio.file.Path cacheDirectory,
    long cacheMaxBytes) {

  /** 10 s connect, 60 s stall, 30 min overall, 1,000,000 entries, 64 GiB expanded, 5 tries from 500 ms to 10 s, no cache (10 GiB when set). */
  public static final FetcherOptions DEFAULTS = new FetcherOptions(
      Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMinutes(30), 1_000_000L, 64L << 30,
      5, Duration.ofMillis(500), Duration.ofSeconds(10), null, 10L << 30);

  public FetcherOptions(Duration connectTimeout, Duration readTimeout, Duration callTimeout, long maxArchiveEntries,
             long maxExpandedBytes) {
    this(connectTimeout, readTimeout, callTimeout, maxArchiveEntries, maxExpandedBytes, DEFAULTS.maxAttempts,
        DEFAULTS.initialBackoff, DEFAULTS.maxBackoff, null, DEFAULTS.cacheMaxBytes);
  }

  public FetcherOptions {
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(readTimeout, "readTimeout");
    requirePositive(callTimeout, "callTimeout");
    if (maxArchiveEntries <= 0) {
      throw new IllegalArgumentException("maxArchiveEntries must be positive, got " + maxArchiveEntries);
    }
    if (maxExpandedBytes <= 0) {
      throw new IllegalArgumentException("maxExpandedBytes must be positive, got " + maxExpandedBytes);
    }
    if (maxAttempts <= 0) {
      throw new IllegalArgumentException("maxAttempts must be positive, got " + maxAttempts);
    }
    requirePositive(initialBackoff, "initialBackoff");
    requirePositive(maxBackoff, "maxBackoff");
    if (cacheMaxBytes <= 0) {
      throw new IllegalArgumentException("cacheMaxBytes must be positive, got " + cacheMaxBytes);
    }
  }

  public static FetcherOptions defaults() {
    return DEFAULTS;
  }

  public FetcherOptions withConnectTimeout(Duration value) {
    return new FetcherOptions(value, readTimeout, callTimeout, maxArchiveEntries, maxExpandedBytes, maxAttempts, initialBackoff, maxBackoff, cacheDirectory, cacheMaxBytes);
  }

  public FetcherOptions withReadTimeout(Duration value) {
    return new FetcherOptions(connectTimeout, value, callTimeout, maxArchiveEntries, maxExpandedBytes, maxAttempts, initialBackoff, maxBackoff, cacheDirectory, cacheMaxBytes);
  }

  public FetcherOptions withCallTimeout(Duration value) {
    return new FetcherOptions(connectTimeout, readTimeout, value, maxArchiveEntries, maxExpandedBytes, maxAttempts, initialBackoff, maxBackoff, cacheDirectory, cacheMaxBytes);
  }

  public FetcherOptions withMaxArchiveEntries(long value) {
    return new FetcherOptions(connectTimeout, readTimeout, callTimeout, value, maxExpandedBytes, maxAttempts, initialBackoff, maxBackoff, cacheDirectory, cacheMaxBytes);
  }

  public FetcherOptions withMaxExpandedBytes(long value) {
    return new FetcherOptions(connectTimeout, readTimeout, callTimeout, maxArchiveEntries, value, maxAttempts, initialBackoff, maxBackoff, cacheDirectory, cacheMaxBytes);
  }

  public FetcherOptions withMaxAttempts(int value) {
    return new FetcherOptions(connectTimeout, readTimeout, callTimeout, maxArchiveEntries, maxExpandedBytes, value, initialBackoff, maxBackoff, cacheDirectory, cacheMaxBytes);
  }

  public FetcherOptions withInitialBackoff(Duration value) {
    return new FetcherOptions(connectTimeout, readTimeout, callTimeout, maxArchiveEntries, maxExpandedBytes, maxAttempts, value, maxBackoff, cacheDirectory, cacheMaxBytes);
  }

  public FetcherOptions withMaxBackoff(Duration value) {
    return new FetcherOptions(connectTimeout, readTimeout, callTimeout, maxArchiveEntries, maxExpandedBytes, maxAttempts, initialBackoff, value, cacheDirectory, cacheMaxBytes);
  }

  public FetcherOptions withCacheDirectory(java.nio.file.Path value) {
    return new FetcherOptions(connectTimeout, readTimeout, callTimeout, maxArchiveEntries, maxExpandedBytes, maxAttempts, initialBackoff, maxBackoff, value, cacheMaxBytes);
  }

  public FetcherOptions withCacheMaxBytes(long value) {
    return new FetcherOptions(connectTimeout, readTimeout, callTimeout, maxArchiveEntries, maxExpandedBytes, maxAttempts, initialBackoff, maxBackoff, cacheDirectory, value);
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
