package io.github.sparkmesos.fetcher;

/**
 * Receives progress of a transfer: at most about once per MiB, and once at the end.
 * Called on the thread that runs {@link Fetcher#fetch}, one call at a time, never from the thread that reads
 * the source ahead of the extractor; an exception thrown here aborts the fetch.
 */
@FunctionalInterface
public interface FetchProgress {

  /** Ignores progress. */
  FetchProgress NONE = (uri, bytes, total) -> { };

  /**
   * @param uri           the URI being fetched, without user information
   * @param bytes         bytes transferred from the source so far
   * @param totalOrMinus1 the size announced by the source, or -1 when unknown
   */
  void onProgress(String uri, long bytes, long totalOrMinus1);
}
