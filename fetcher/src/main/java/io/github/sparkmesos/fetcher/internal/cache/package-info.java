/**
 * The node-wide fetch cache, a replacement for the Mesos fetcher cache. Not API; may change without notice.
 *
 * <ul>
 *   <li>{@link io.github.sparkmesos.fetcher.internal.cache.FetchCache}: the entry point, one per fetcher</li>
 *   <li>{@link io.github.sparkmesos.fetcher.internal.cache.CachedFetch}: the protocol of one fetch (shared
 *       lock and use; else exclusive lock, fill or repair, publish, use, evict)</li>
 *   <li>{@link io.github.sparkmesos.fetcher.internal.cache.CacheKey}: SHA-256 of URI, user and expected checksum</li>
 *   <li>{@link io.github.sparkmesos.fetcher.internal.cache.CacheLayout},
 *       {@link io.github.sparkmesos.fetcher.internal.cache.CacheEntry},
 *       {@link io.github.sparkmesos.fetcher.internal.cache.TreeList}: what is on disk</li>
 *   <li>{@link io.github.sparkmesos.fetcher.internal.cache.CacheLocks}: in-JVM and cross-process locks</li>
 *   <li>{@link io.github.sparkmesos.fetcher.internal.cache.Materializer}: hard links (or copies) into a sandbox</li>
 *   <li>{@link io.github.sparkmesos.fetcher.internal.cache.Eviction}: least recently used, never an entry in use</li>
 * </ul>
 */
package io.github.sparkmesos.fetcher.internal.cache;
