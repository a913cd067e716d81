package io.github.sparkmesos.fetcher;

import io.github.sparkmesos.fetcher.internal.UriRedactor;
import java.util.Objects;

/**
 * One thing to fetch into a sandbox; mirrors Mesos's {@code CommandInfo.URI}.
 *
 * @param uri        an {@code http}, {@code https} or {@code file} URI, or an absolute local path
 * @param extract    extract the file if its name ends with a supported archive extension ({@code true}
 *                   by default in Mesos); ignored when {@code executable} is set, as in Mesos
 * @param executable make the fetched file executable (mode 0755); an executable is never extracted
 * @param outputFile the file's path relative to the sandbox, or {@code null} to use the last path
 *                   segment of the URI (without query or fragment)
 * @param cache      serve it from (and keep it in) the node's fetch cache, when the fetcher has one
 * @param sha256     the expected SHA-256 of the resource's bytes (64 hex digits), or {@code null}; a
 *                   {@code #sha256=<hex>} fragment on the URI says the same. Verified before anything
 *                   fetched becomes visible in the sandbox
 * @param user       whose fetch this is (part of the cache key: users never share entries), or {@code null}
 */
public record FetchRequest(String uri, boolean extract, boolean executable, String outputFile, boolean cache,
              String sha256, String user) {

  /** Validates {@code uri} (present), {@code outputFile} (a relative path that stays in the sandbox), {@code sha256}. */
  public FetchRequest {
    Objects.requireNonNull(uri, "uri");
    if (uri.isBlank()) {
      throw new IllegalArgumentException("uri must not be empty");
    }
    if (outputFile != null) {
      validateOutputFile(outputFile);
    }
    if (sha256 != null) {
      if (!sha256.matches("[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException("sha256 must be 64 hexadecimal digits, got '" + sha256 + "'");
      }
      sha256 = sha256.toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Not cached, no expected checksum, no user. */
  public FetchRequest(String uri, boolean extract, boolean executable, String outputFile) {
    this(uri, extract, executable, outputFile, false, null, null);
  }

  /** The Mesos defaults: extract, not executable, file name taken from the URI, not cached. */
  public static FetchRequest of(String uri) {
    return new FetchRequest(uri, true, false, null);
  }

  public FetchRequest withExtract(boolean extract) {
    return new FetchRequest(uri, extract, executable, outputFile, cache, sha256, user);
  }

  public FetchRequest withExecutable(boolean executable) {
    return new FetchRequest(uri, extract, executable, outputFile, cache, sha256, user);
  }

  public FetchRequest withOutputFile(String outputFile) {
    return new FetchRequest(uri, extract, executable, outputFile, cache, sha256, user);
  }

  public FetchRequest withCache(boolean cache) {
    return new FetchRequest(uri, extract, executable, outputFile, cache, sha256, user);
  }

  public FetchRequest withSha256(String sha256) {
    return new FetchRequest(uri, extract, executable, outputFile, cache, sha256, user);
  }

  public FetchRequest withUser(String user) {
    return new FetchRequest(uri, extract, executable, outputFile, cache, sha256, user);
  }

  /** Never shows user information (user:password@) of the URI. */
  @Override
  public String toString() {
    return "FetchRequest[uri=" + UriRedactor.redact(uri) + ", extract=" + extract
        + ", executable=" + executable + ", outputFile=" + outputFile + ", cache=" + cache
        + ", sha256=" + sha256 + ", user=" + user + "]";
  }

  private static void validateOutputFile(String outputFile) {
    if (outputFile.isEmpty()) {
      throw new IllegalArgumentException("output_file must not be empty");
    }
    if (outputFile.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("output_file must not contain a NUL character");
    }
    if (outputFile.startsWith("/")) {
      throw new IllegalArgumentException(
          "output_file must be a path relative to the sandbox, got '" + outputFile + "'");
    }
    boolean namesAFile = false;
    for (String segment : outputFile.split("/", -1)) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException(
            "output_file must not contain '..' segments, got '" + outputFile + "'");
      }
      namesAFile = !segment.isEmpty() && !segment.equals(".");
    }
    if (!namesAFile) {
      throw new IllegalArgumentException(
          "output_file must name a file inside the sandbox, got '" + outputFile + "'");
    }
  }
}
