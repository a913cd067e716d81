package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.CommandRunner;
import io.github.sparkmesos.fetcher.FetchProgress;
import io.github.sparkmesos.fetcher.FetcherOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import okhttp3.OkHttpClient;

/** Opens the bytes of a {@link SourceLocation}; one source class per kind of location. */
public final class Sources {

  private final FetcherOptions options;
  private final HttpSource http;
  private final LocalFileSource local = new LocalFileSource();
  private final HadoopSource hadoop;

  /** Runs the {@code hadoop} CLI (when needed) with {@link CommandRunner#processBuilder()}. */
  public Sources(OkHttpClient client, FetcherOptions options) {
    this(client, options, CommandRunner.processBuilder());
  }

  /**
   * @param commandRunner runs the {@code hadoop} CLI for Hadoop-scheme URIs when the Hadoop client classes
   *                      are not on the classpath; it gets this JVM's environment
   */
  public Sources(OkHttpClient client, FetcherOptions options, CommandRunner commandRunner) {
    this(client, options, commandRunner, System.getenv(), Sources.class.getClassLoader());
  }

  /**
   * @param environment   the environment of the {@code hadoop} command, and where it is looked for
   *                      ({@code HADOOP_HOME}, {@code PATH})
   * @param hadoopClasses where {@code org.apache.hadoop.fs.FileSystem} is looked for, or null for nowhere
   */
  Sources(OkHttpClient client, FetcherOptions options, CommandRunner commandRunner, Map<String, String> environment,
      ClassLoader hadoopClasses) {
    this.options = Objects.requireNonNull(options, "options");
    this.http = new HttpSource(client, options);
    this.hadoop = new HadoopSource(Objects.requireNonNull(commandRunner, "commandRunner"), Map.copyOf(environment),
        hadoopClasses);
  }

  /** Opens with a fresh {@link Attempts}; a Hadoop CLI copy goes to the temporary directory. */
  public TransferStream open(SourceLocation location, String uri, FetchProgress progress) throws StepException {
    return open(location, uri, progress, new Attempts(options), Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * @param attempts the attempts of the whole download, shared with earlier and later opens of it
   * @param scratch  a directory for a temporary copy (the Hadoop CLI writes the file there first)
   */
  TransferStream open(SourceLocation location, String uri, FetchProgress progress, Attempts attempts, Path scratch)
      throws StepException {
    if (location instanceof SourceLocation.Http h) {
      return http.open(h, uri, progress, attempts);
    }
    if (location instanceof SourceLocation.Hadoop h) {
      return hadoop.open(h, uri, progress, attempts, scratch);
    }
    return local.open((SourceLocation.Local) location, uri, progress);
  }
}
