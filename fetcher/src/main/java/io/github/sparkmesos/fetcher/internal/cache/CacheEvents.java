package io.github.sparkmesos.fetcher.internal.cache;

/**
 * What the cache tells the caller besides transfer progress. A {@link io.github.sparkmesos.fetcher.FetchProgress}
 * passed to {@link io.github.sparkmesos.fetcher.Fetcher#fetch} that also implements this interface receives
 * these calls (the command line prints them); any other progress listener does not.
 */
public interface CacheEvents {

  /** Receives nothing. */
  CacheEvents NONE = new CacheEvents() { };

  /**
   * Another fetch (a thread or another process on this node) holds the cache entry of {@code uri}, for
   * example because it is downloading it: this fetch waits for it and then uses the entry.
   */
  default void waiting(String uri) {
  }

  /** The cache cannot be used for {@code uri} ({@code reason}); it is fetched directly into the sandbox. */
  default void bypassing(String uri, String reason) {
  }
}
