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
 */
public record FetcherOptions(
        Duration connectTimeout,
        Duration readTimeout,
        Duration callTimeout,
        long maxArchiveEntries,
        long maxExpandedBytes) {

    /** 10 s connect, 60 s stall, 30 min overall, 1,000,000 entries, 64 GiB expanded. */
    public static final FetcherOptions DEFAULTS = new FetcherOptions(
            Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMinutes(30), 1_000_000L, 64L << 30);

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
    }

    public static FetcherOptions defaults() {
        return DEFAULTS;
    }

    public FetcherOptions withConnectTimeout(Duration value) {
        return new FetcherOptions(value, readTimeout, callTimeout, maxArchiveEntries, maxExpandedBytes);
    }

    public FetcherOptions withReadTimeout(Duration value) {
        return new FetcherOptions(connectTimeout, value, callTimeout, maxArchiveEntries, maxExpandedBytes);
    }

    public FetcherOptions withCallTimeout(Duration value) {
        return new FetcherOptions(connectTimeout, readTimeout, value, maxArchiveEntries, maxExpandedBytes);
    }

    public FetcherOptions withMaxArchiveEntries(long value) {
        return new FetcherOptions(connectTimeout, readTimeout, callTimeout, value, maxExpandedBytes);
    }

    public FetcherOptions withMaxExpandedBytes(long value) {
        return new FetcherOptions(connectTimeout, readTimeout, callTimeout, maxArchiveEntries, value);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
