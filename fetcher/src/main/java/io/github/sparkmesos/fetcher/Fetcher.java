package io.github.sparkmesos.fetcher;

import io.github.sparkmesos.fetcher.internal.Download;
import io.github.sparkmesos.fetcher.internal.FetchPlan;
import io.github.sparkmesos.fetcher.internal.HttpClients;
import io.github.sparkmesos.fetcher.internal.Sources;
import io.github.sparkmesos.fetcher.internal.StepException;
import io.github.sparkmesos.fetcher.internal.UriRedactor;
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
 */
public final class Fetcher implements AutoCloseable {

    private final FetcherOptions options;
    private final OkHttpClient http;
    private final Sources sources;

    /** A fetcher with {@link FetcherOptions#DEFAULTS}. */
    public Fetcher() {
        this(FetcherOptions.DEFAULTS);
    }

    public Fetcher(FetcherOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.http = HttpClients.create(options);
        this.sources = new Sources(http, options);
    }

    public FetcherOptions options() {
        return options;
    }

    /**
     * Fetches {@code request} into {@code sandbox}, an existing directory.
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
            Download.Outcome outcome = Download.run(sources, options, plan, plan.sandbox(), null, uri, listener);
            return new FetchResult(uri, outcome.target(), outcome.bytes(), outcome.extracted(),
                    Duration.ofNanos(System.nanoTime() - started), outcome.sha256(), false);
        } catch (StepException e) {
            throw new FetchException(uri, e.getMessage(), e.getCause());
        }
    }

    /** Releases pooled connections and threads of the HTTP client. */
    @Override
    public void close() {
        HttpClients.shutdown(http);
    }
}
