package io.github.sparkmesos.fetcher.internal;

import java.nio.file.Path;
import okhttp3.HttpUrl;

/** Where the bytes come from, as parsed by {@link SourceParser}. */
public sealed interface SourceLocation {

    /** The last path segment of the URI (decoded), or {@code null} when the path has none. */
    String lastSegment();

    /**
     * An http or https URL.
     *
     * @param url           the URL without user information
     * @param authorization a Basic {@code Authorization} header built from the URL's user information, or null
     */
    record Http(HttpUrl url, String authorization, String lastSegment) implements SourceLocation {
        @Override
        public String toString() {
            return "Http[" + url + (authorization == null ? "" : ", with credentials") + "]";
        }
    }

    /** A file on this host, from a {@code file:} URI or an absolute path. */
    record Local(Path path, String lastSegment) implements SourceLocation {
    }
}
