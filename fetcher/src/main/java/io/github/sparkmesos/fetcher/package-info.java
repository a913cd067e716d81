/**
 * Turns URIs into files in a task sandbox.
 *
 * <p>The public API is small: build one {@link io.github.sparkmesos.fetcher.Fetcher} (it owns the HTTP
 * client and its connection pool), then call {@link io.github.sparkmesos.fetcher.Fetcher#fetch} once per
 * {@link io.github.sparkmesos.fetcher.FetchRequest}. Every failure is a
 * {@link io.github.sparkmesos.fetcher.FetchException} whose message names the URI (without user
 * information) and what went wrong, and a failed fetch leaves nothing behind in the sandbox.
 *
 * <p>Everything in {@code io.github.sparkmesos.fetcher.internal} is an implementation detail.
 */
package io.github.sparkmesos.fetcher;
