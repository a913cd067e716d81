package io.github.sparkmesos.executor.task;

import io.github.sparkmesos.fetcher.FetchException;
import io.github.sparkmesos.fetcher.FetchRequest;
import io.github.sparkmesos.fetcher.Fetcher;
import io.github.sparkmesos.fetcher.internal.UriRedactor;
import org.apache.mesos.v1.Protos.CommandInfo;

/**
 * One URI to fetch into the task's directory, with Mesos's CommandInfo.URI options.
 *
 * @param field where the task gave it, for error messages
 */
public record FetchUri(String value, boolean extract, boolean executable, boolean cache, String outputFile,
    String field) {

  public static FetchUri archive(String value, boolean cache, String field) {
    return new FetchUri(value, true, false, cache, null, field);
  }

  /** A {@code CommandInfo.URI} with its Mesos defaults (extract true, executable and cache false). */
  public static FetchUri of(CommandInfo.URI uri, String field) {
    return new FetchUri(uri.getValue(), uri.getExtract(), uri.getExecutable(), uri.getCache(),
        uri.hasOutputFile() ? uri.getOutputFile() : null, field);
  }

  /** The fetcher's request for it, on behalf of {@code user} (the node cache keeps users apart). */
  public FetchRequest request(String user) {
    return new FetchRequest(value, extract, executable, outputFile, cache, null, user);
  }

  /** The fetcher's own checks (scheme, syntax, {@code #sha256=}, output_file), before anything is fetched. */
  void validate() throws InvalidTaskException {
    try {
      Fetcher.check(request(null));
    } catch (IllegalArgumentException e) {
      throw new InvalidTaskException(field, e.getMessage());
    } catch (FetchException e) {
      throw new InvalidTaskException(field, "'" + e.uri() + "': " + e.reason());
    }
  }

  /** Never shows the URI's user information. */
  @Override
  public String toString() {
    return UriRedactor.redact(value) + (outputFile == null ? "" : " -> " + outputFile);
  }
}
