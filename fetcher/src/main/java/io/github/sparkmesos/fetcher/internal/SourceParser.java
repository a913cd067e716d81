package io.github.sparkmesos.fetcher.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Credentials;
import okhttp3.HttpUrl;

/** Parses the URI of a request into a {@link SourceLocation}. Messages never repeat user information. */
final class SourceParser {

  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");

  /**
   * Schemes fetched through a Hadoop client (the FileSystem API, else the {@code hadoop} CLI), as the Mesos
   * fetcher sends every scheme it does not know to {@code hadoop fs -copyToLocal}. A list rather than
   * "everything else", so that a typo gets "unsupported URI scheme" instead of a Hadoop error:
   * HDFS and its gateways ({@code hdfs}, {@code webhdfs}, {@code swebhdfs}, {@code viewfs}, {@code har}),
   * object stores ({@code s3a}, {@code s3n}, {@code s3} (EMRFS, or old Hadoop), {@code gs}, {@code wasb},
   * {@code wasbs}, {@code abfs}, {@code abfss}, {@code adl}, {@code oss}, {@code cosn}, {@code obs}), Ozone
   * ({@code o3fs}, {@code ofs}), and {@code ftp} (Hadoop's FTPFileSystem; Mesos uses curl for it, which
   * this fetcher does not have). {@code ftps} and {@code sftp} are not supported.
   */
  static final List<String> HADOOP_SCHEMES = List.of("hdfs", "webhdfs", "swebhdfs", "viewfs", "har", "s3a", "s3n",
      "s3", "gs", "wasb", "wasbs", "abfs", "abfss", "adl", "oss", "cosn", "obs", "o3fs", "ofs", "ftp");

  static final String SUPPORTED = "supported: http, https, file and local paths; through a Hadoop client: "
      + String.join(", ", HADOOP_SCHEMES);

  private SourceParser() {
  }

  static SourceLocation parse(String rawUri) throws StepException {
    String uri = rawUri.strip();
    if (uri.startsWith("/")) {
      return local(uri);
    }
    Matcher m = SCHEME.matcher(uri);
    if (!m.lookingAt()) {
      throw new StepException("'" + Names.display(uri) + "' is a relative path; use an absolute path or a URI"
          + " with a scheme (" + SUPPORTED + ")");
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "http":
      case "https":
        return http(uri);
      case "file":
        return file(uri);
      default:
        if (HADOOP_SCHEMES.contains(scheme)) {
          return hadoop(uri, scheme);
        }
        throw new StepException("unsupported URI scheme '" + Names.display(scheme) + "' (" + SUPPORTED + ")");
    }
  }

  private static SourceLocation http(String uri) throws StepException {
    HttpUrl parsed = HttpUrl.parse(uri);
    if (parsed == null) {
      throw new StepException("malformed URL");
    }
    String authorization = null;
    if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
      authorization = Credentials.basic(parsed.username(), parsed.password());
      parsed = parsed.newBuilder().username("").password("").build();
    }
    List<String> segments = parsed.pathSegments();
    String last = segments.isEmpty() ? "" : segments.get(segments.size() - 1);
    return new SourceLocation.Http(parsed, authorization, last.isEmpty() ? null : last);
  }

  private static SourceLocation hadoop(String uri, String scheme) throws StepException {
    int fragment = uri.indexOf('#');
    String withoutFragment = fragment >= 0 ? uri.substring(0, fragment) : uri;
    URI parsed;
    try {
      parsed = new URI(withoutFragment);
    } catch (URISyntaxException e) {
      // the exception's message repeats the input (maybe with credentials): do not chain it
      throw new StepException("malformed " + scheme + " URI (" + e.getReason() + "); percent-encode spaces"
          + " and special characters");
    }
    String path = parsed.getPath();
    if (parsed.isOpaque() || path == null || path.isEmpty()) {
      throw new StepException("malformed " + scheme + " URI (missing path), for example " + scheme
          + "://host/path/file.tgz");
    }
    String last = path.substring(path.lastIndexOf('/') + 1);
    return new SourceLocation.Hadoop(parsed, scheme, last.isEmpty() ? null : last);
  }

  private static SourceLocation file(String uri) throws StepException {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      // the exception's message repeats the input: do not chain it
      throw new StepException("malformed file URI (" + e.getReason() + "); percent-encode spaces and"
          + " special characters, for example file:///path/my%20file.tgz");
    }
    String authority = parsed.getRawAuthority();
    if (authority != null && !authority.isEmpty()) {
      String host = authority.substring(authority.lastIndexOf('@') + 1); // never show user information
      if (!host.equalsIgnoreCase("localhost")) {
        throw new StepException("file URIs with a host ('" + Names.display(host)
            + "') are not supported; use file:///absolute/path");
      }
    }
    String path = parsed.getPath();
    if (path == null || !path.startsWith("/")) {
      throw new StepException("a file URI needs an absolute path, for example file:///absolute/path");
    }
    return local(path);
  }

  private static SourceLocation local(String path) throws StepException {
    Path p;
    try {
      p = Path.of(path).normalize();
    } catch (InvalidPathException e) {
      throw new StepException("invalid local path: " + e.getReason());
    }
    Path name = p.getFileName();
    return new SourceLocation.Local(p, name == null ? null : name.toString());
  }
}
