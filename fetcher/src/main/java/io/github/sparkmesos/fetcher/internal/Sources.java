package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.FetchProgress;
import io.github.sparkmesos.fetcher.FetcherOptions;
import okhttp3.OkHttpClient;

/** Opens the bytes of a {@link SourceLocation}; one source class per kind of location. */
public final class Sources {

    private final HttpSource http;
    private final LocalFileSource local = new LocalFileSource();

    public Sources(OkHttpClient client, FetcherOptions options) {
        this.http = new HttpSource(client, options);
    }

    public TransferStream open(SourceLocation location, String uri, FetchProgress progress) throws StepException {
        if (location instanceof SourceLocation.Http h) {
            return http.open(h, uri, progress);
        }
        return local.open((SourceLocation.Local) location, uri, progress);
    }
}
