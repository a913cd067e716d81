package io.github.sparkmesos.fetcher.internal.cache;

import io.github.sparkmesos.fetcher.FetchProgress;
import io.github.sparkmesos.fetcher.FetchRequest;
import io.github.sparkmesos.fetcher.FetcherOptions;
import io.github.sparkmesos.fetcher.internal.Download;
import io.github.sparkmesos.fetcher.internal.FetchPlan;
import io.github.sparkmesos.fetcher.internal.Sources;
import io.github.sparkmesos.fetcher.internal.StepException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The node's fetch cache: one directory shared by every executor (and every thread) on the node. See
 * {@link CachedFetch} for the protocol of one fetch, {@link CacheEntry} for what an entry holds,
 * {@link CacheLocks} for the locking and {@link Eviction} for the size limit.
 */
public final class FetchCache {

  /**
   * What a fetch through the cache produced.
   *
   * @param bytes  the size of the resource (the archive's bytes), whether it was transferred or not
   * @param cached true when nothing was transferred from the source: the entry was there already
   */
  public record Result(Path target, long bytes, boolean extracted, String sha256, boolean cached) {
  }

  private final Path directory;
  private final long maxBytes;
  private final Sources sources;
  private final FetcherOptions options;

  /** A cache in {@code options.cacheDirectory()}, created when first used. */
  public FetchCache(Sources sources, FetcherOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.directory = Objects.requireNonNull(options.cacheDirectory(), "options.cacheDirectory()");
    this.maxBytes = options.cacheMaxBytes();
    this.sources = Objects.requireNonNull(sources, "sources");
  }

  /**
   * Fetches {@code request} (planned as {@code plan}) into the plan's sandbox through the cache. If the
   * cache itself cannot be used (its directory cannot be created, locks are not supported), the URI is
   * fetched directly and {@link CacheEvents#bypassing} says why.
   *
   * @param uri      the URI without user information, for messages and progress
   * @param progress transfer progress; if it also implements {@link CacheEvents}, it gets those events too
   */
  public Result fetch(FetchRequest request, FetchPlan plan, String uri, FetchProgress progress) throws StepException {
    CacheEvents events = progress instanceof CacheEvents e ? e : CacheEvents.NONE;
    CacheLayout layout;
    try {
      layout = CacheLayout.open(directory);
    } catch (IOException e) {
      events.bypassing(uri, "cannot use the cache directory '" + directory + "': " + CacheFiles.messageOf(e));
      return direct(plan, uri, progress);
    }
    return new CachedFetch(this, layout, request, plan, uri, progress, events).run();
  }

  long maxBytes() {
    return maxBytes;
  }

  Sources sources() {
    return sources;
  }

  FetcherOptions options() {
    return options;
  }

  /** The fetch without the cache, exactly as {@link io.github.sparkmesos.fetcher.Fetcher} does it. */
  Result direct(FetchPlan plan, String uri, FetchProgress progress) throws StepException {
    Download.Outcome outcome = Download.run(sources, options, plan, plan.sandbox(), null, uri, progress);
    return new Result(outcome.target(), outcome.bytes(), outcome.extracted(), outcome.sha256(), false);
  }
}
