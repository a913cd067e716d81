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
 * @param sha256    the SHA-256 of the resource's bytes (64 lowercase hex digits), or {@code null} if not computed
 * @param cached    whether the node's fetch cache served it (no transfer from the source)
 */
public record FetchResult(String uri, Path target, long bytes, boolean extracted, Duration elapsed, String sha256,
             boolean cached) {

  public FetchResult(String uri, Path target, long bytes, boolean extracted, Duration elapsed) {
    this(uri, target, bytes, extracted, elapsed, null, false);
  }
}
