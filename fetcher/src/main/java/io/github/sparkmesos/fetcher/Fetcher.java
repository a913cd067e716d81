package io.github.sparkmesos.fetcher;

import io.github.sparkmesos.fetcher.internal.Download;
import io.github.sparkmesos.fetcher.internal.FetchPlan;
import io.github.sparkmesos.fetcher.internal.HttpClients;
import io.github.sparkmesos.fetcher.internal.Sources;
import io.github.sparkmesos.fetcher.internal.StepException;
import io.github.sparkmesos.fetcher.internal.UriRedactor;
import io.github.sparkmesos.fetcher.internal.cache.FetchCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * Fetches URIs into sandboxes. One instance holds one HTTP client (connection pool, TLS verification
 * always on) and is safe to share between threads; {@link #close()} releases its connections.
 *
 * <p>A fetch runs three steps: plan (parse the URI, choose the file name and what to do with it), open the
 * source, then write the file or extract the archive in one pass from the stream. A failure at any step
 * removes everything this fetch wrote.
 *
 * <p>With a {@linkplain FetcherOptions#cacheDirectory() cache directory}, requests with
 * {@link FetchRequest#cache()} go through the node's fetch cache, shared by every fetcher of the node
 * (threads and processes): a URI is downloaded once however many fetches ask for it at the same time, and
 * later fetches materialise the kept content without a transfer and without extracting again. Cached files
 * are hard links to read-only files of the cache (mode 0444, or 0555 for executable ones; copies with the
 * archive's modes when the sandbox is on another file system); directories and symlinks are the sandbox's
 * own; an executable (non-archive) file is a private copy with mode 0755. The cache keeps the raw archive
 * beside the extracted tree and rebuilds a tree that a task changed through its links. See
 * {@link io.github.sparkmesos.fetcher.internal.cache.FetchCache} for the protocol.
 */
public final class Fetcher implements AutoCloseable {

  private final FetcherOptions options;
  private final OkHttpClient http;
  private final Sources sources;
  private final FetchCache cache;

  /** A fetcher with {@link FetcherOptions#DEFAULTS}. */
  public Fetcher() {
    this(FetcherOptions.DEFAULTS);
  }

  public Fetcher(FetcherOptions options) {
    this(options, CommandRunner.processBuilder());
  }

  /**
   * @param commandRunner runs the {@code hadoop} CLI; a program that reaps its own children must pass one
   *                      backed by its own process launcher
   */
  public Fetcher(FetcherOptions options, CommandRunner commandRunner) {
    this.options = Objects.requireNonNull(options, "options");
    this.http = HttpClients.create(options);
    this.sources = new Sources(http, options, Objects.requireNonNull(commandRunner, "commandRunner"));
    this.cache = options.cacheDirectory() == null ? null : new FetchCache(sources, options);
  }

  public FetcherOptions options() {
    return options;
  }

  /**
   * Fetches {@code request} into {@code sandbox}, an existing directory.
   *
   * <p>A request with {@link FetchRequest#cache()} goes through the cache when this fetcher has one; the
   * result is then {@linkplain FetchResult#cached() cached} when nothing was transferred, its
   * {@linkplain FetchResult#bytes() bytes} are the size of the resource, and its sha256 is always set.
   *
   * @param progress receives transfer progress; {@code null} means {@link FetchProgress#NONE}
   * @throws FetchException if anything fails; nothing of this fetch is then left in the sandbox
   */
  public FetchResult fetch(FetchRequest request, Path sandbox, FetchProgress progress) throws FetchException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(sandbox, "sandbox");
    FetchProgress listener = progress == null ? FetchProgress.NONE : progress;
    String uri = UriRedactor.redact(request.uri().strip());
    long started = System.nanoTime();
    try {
      FetchPlan plan = FetchPlan.of(request, sandbox);
      if (request.cache() && cache != null) {
        FetchCache.Result cached = cache.fetch(request, plan, uri, listener);
        return new FetchResult(uri, cached.target(), cached.bytes(), cached.extracted(),
            Duration.ofNanos(System.nanoTime() - started), cached.sha256(), cached.cached());
      }
      Download.Outcome outcome = Download.run(sources, options, plan, plan.sandbox(), null, uri, listener);
      return new FetchResult(uri, outcome.target(), outcome.bytes(), outcome.extracted(),
          Duration.ofNanos(System.nanoTime() - started), outcome.sha256(), false);
    } catch (StepException e) {
      throw new FetchException(uri, e.getMessage(), e.getCause());
    }
  }

  /**
   * Checks {@code request} as {@link #fetch} would before transferring anything (scheme, URI syntax,
   * checksum, the file name it writes), with no sandbox and no I/O: a task is refused before it starts.
   */
  public static void check(FetchRequest request) throws FetchException {
    try {
      FetchPlan.check(request);
    } catch (StepException e) {
      throw new FetchException(UriRedactor.redact(request.uri().strip()), e.getMessage(), e.getCause());
    }
  }

  /** Releases pooled connections and threads of the HTTP client. */
  @Override
  public void close() {
    HttpClients.shutdown(http);
  }
}
