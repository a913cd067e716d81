package io.github.sparkmesos.fetcher.internal;

import java.net.URI;
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

  /**
   * A URI of a Hadoop file system ({@link SourceParser#HADOOP_SCHEMES}), fetched through the Hadoop client.
   *
   * @param uri    the URI as given, without fragment (it may hold user information: never print it)
   * @param scheme the scheme, lower case
   */
  record Hadoop(URI uri, String scheme, String lastSegment) implements SourceLocation {
    @Override
    public String toString() {
      return "Hadoop[" + UriRedactor.redact(uri.toString()) + "]";
    }
  }
}
