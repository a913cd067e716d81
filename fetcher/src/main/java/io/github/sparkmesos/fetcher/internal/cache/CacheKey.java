package io.github.sparkmesos.fetcher.internal.cache;

import io.github.sparkmesos.fetcher.FetchRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The key of a cache entry: the SHA-256 of the whole URI (user information included, so that different
 * credentials never share an entry; the URI itself is never stored in clear), the user the fetch is for,
 * and the expected checksum (from the request or the URI's {@code #sha256=} fragment). Each field is
 * length-prefixed, so no two different triples hash the same input.
 */
final class CacheKey {

  private static final String VERSION = "spark-mesos-fetch-cache/1";

  private CacheKey() {
  }

  static String of(FetchRequest request, String expectedSha256) {
    MessageDigest digest = CacheFiles.newSha256();
    field(digest, VERSION);
    field(digest, request.uri().strip());
    field(digest, request.user());
    field(digest, expectedSha256);
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void field(MessageDigest digest, String value) {
    if (value == null) {
      digest.update((byte) 0);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    digest.update((byte) 1);
    digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
    digest.update(bytes);
  }
}
