package io.github.sparkmesos.fetcher;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a successful fetch produced.
 *
 * @param uri       the fetched URI, without user information
 * @param target    the fetched file; for an extracted archive, the sandbox directory; for a decompressed
 *                  {@code .gz}, the decompressed file
 * @param bytes     bytes transferred from the source (compressed bytes for an archive)
 * @param extracted whether the file was extracted (an archive) or decompressed (a plain {@code .gz})
 * @param elapsed   wall-clock time of the whole fetch
 */
public record FetchResult(String uri, Path target, long bytes, boolean extracted, Duration elapsed) {
}
