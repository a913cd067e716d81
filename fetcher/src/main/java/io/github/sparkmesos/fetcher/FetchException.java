package io.github.sparkmesos.fetcher;

import io.github.sparkmesos.fetcher.internal.UriRedactor;

/**
 * A fetch failed. The message always reads {@code Failed to fetch '<uri>': <reason>}; the URI never
 * carries user information (user:password@).
 */
public class FetchException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String uri;
  private final String reason;

  public FetchException(String uri, String reason) {
    this(uri, reason, null);
  }

  public FetchException(String uri, String reason, Throwable cause) {
    super("Failed to fetch '" + UriRedactor.redact(uri) + "': " + reason, cause);
    this.uri = UriRedactor.redact(uri);
    this.reason = reason;
  }

  /** The URI that failed, without user information. */
  public String uri() {
    return uri;
  }

  /** What went wrong, without the URI. */
  public String reason() {
    return reason;
  }
}
