package io.github.sparkmesos.fetcher.internal;

import java.util.Objects;
import okhttp3.Response;

/**
 * What identifies the version of an HTTP resource, taken from the first response of a download: a strong
 * {@code ETag} (a weak one does not promise the same bytes), {@code Last-Modified} and the length. A resume
 * sends {@code If-Range} with the ETag, else with Last-Modified; without either it cannot resume.
 *
 * @param etag         the strong entity tag, or null
 * @param lastModified the Last-Modified header as sent, or null
 * @param length       the Content-Length, or -1
 */
record Validators(String etag, String lastModified, long length) {

  static Validators of(Response response) {
    String etag = response.header("ETag");
    if (etag != null && (etag.isBlank() || etag.startsWith("W/"))) {
      etag = null;
    }
    String lastModified = response.header("Last-Modified");
    if (lastModified != null && lastModified.isBlank()) {
      lastModified = null;
    }
    return new Validators(etag, lastModified, response.body().contentLength());
  }

  /** The value for {@code If-Range}, or null when there is nothing to resume with. */
  String ifRange() {
    return etag != null ? etag : lastModified;
  }

  boolean canResume() {
    return ifRange() != null;
  }

  /** Whether a full (200) response is the same version: same validator, same length when both are known. */
  boolean sameVersion(Response response) {
    if (!canResume()) {
      return false;
    }
    if (etag != null ? !etag.equals(response.header("ETag"))
        : !lastModified.equals(response.header("Last-Modified"))) {
      return false;
    }
    long other = response.body().contentLength();
    return length < 0 || other < 0 || length == other;
  }

  /** Whether a partial (206) response comes from the same version, as far as its headers tell. */
  boolean samePartialVersion(Response response) {
    String otherEtag = response.header("ETag");
    if (etag != null && otherEtag != null) {
      return etag.equals(otherEtag);
    }
    String otherModified = response.header("Last-Modified");
    return etag != null || lastModified == null || otherModified == null || lastModified.equals(otherModified);
  }

  /** What differs in {@code response}, for a message: {@code ETag "a" -> "b"}. */
  String change(Response response) {
    String otherEtag = response.header("ETag");
    if (etag != null && !etag.equals(otherEtag)) {
      return "ETag " + etag + " -> " + Objects.toString(otherEtag, "none");
    }
    String otherModified = response.header("Last-Modified");
    if (lastModified != null && !lastModified.equals(otherModified)) {
      return "Last-Modified " + lastModified + " -> " + Objects.toString(otherModified, "none");
    }
    long other = response.body().contentLength();
    if (length != other) {
      return "length " + length + " -> " + other + " bytes";
    }
    return "its validators changed";
  }
}
