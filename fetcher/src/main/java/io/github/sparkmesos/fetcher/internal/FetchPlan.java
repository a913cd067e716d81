package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.FetchRequest;
import io.github.sparkmesos.fetcher.FetcherOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The first step: everything decided before a byte is transferred. Where the bytes come from, the
 * sandbox, the file name (output_file, else the last segment of the URI path) and what to do with the
 * file, and the expected SHA-256 (from the request or a {@code #sha256=} fragment of the URI). As in Mesos,
 * {@code executable} wins over {@code extract}.
 */
public final class FetchPlan {

  static final int FILE_MODE = 0644;
  static final int EXECUTABLE_MODE = 0755;

  private final SourceLocation location;
  private final Path sandbox;
  private final String fileName;
  private final ArchiveFormat format;
  private final boolean executable;
  private final String expectedSha256;

  private FetchPlan(SourceLocation location, Path sandbox, String fileName, ArchiveFormat format,
           boolean executable, String expectedSha256) {
    this.location = location;
    this.sandbox = sandbox;
    this.fileName = fileName;
    this.format = format;
    this.executable = executable;
    this.expectedSha256 = expectedSha256;
  }

  public static FetchPlan of(FetchRequest request, Path sandbox) throws StepException {
    return plan(request, checkSandbox(sandbox));
  }

  /** Checks what can be checked before a sandbox exists: scheme, URI syntax, checksum, file name. */
  public static void check(FetchRequest request) throws StepException {
    plan(request, null);
  }

  private static FetchPlan plan(FetchRequest request, Path box) throws StepException {
    Checksums.Split split = Checksums.split(request.uri().strip());
    String expectedSha256 = Checksums.expected(request.sha256(), split.sha256());
    SourceLocation location = SourceParser.parse(split.uri());
    String fileName = request.outputFile() != null ? request.outputFile() : fileNameFrom(location);
    ArchiveFormat format = request.extract() && !request.executable()
        ? ArchiveFormat.detect(fileName) : ArchiveFormat.NONE;
    return new FetchPlan(location, box, fileName, format, request.executable(), expectedSha256);
  }

  public SourceLocation location() {
    return location;
  }

  public Path sandbox() {
    return sandbox;
  }

  public String fileName() {
    return fileName;
  }

  public ArchiveFormat format() {
    return format;
  }

  /** The SHA-256 the resource's bytes must have (64 lowercase hex digits), or null when none was given. */
  public String expectedSha256() {
    return expectedSha256;
  }

  /** The step that writes or extracts the source. */
  public FetchStep step(FetcherOptions options) {
    if (format == ArchiveFormat.NONE) {
      return new WriteFileStep(fileName, false, executable ? EXECUTABLE_MODE : FILE_MODE, Long.MAX_VALUE);
    }
    if (format == ArchiveFormat.GZIP) {
      return new WriteFileStep(ArchiveFormat.withoutGzipExtension(fileName), true, FILE_MODE,
          options.maxExpandedBytes());
    }
    if (format == ArchiveFormat.ZIP) {
      return new ExtractZipStep(options);
    }
    return new ExtractTarStep(format, options);
  }

  private static Path checkSandbox(Path sandbox) throws StepException {
    Path box = sandbox.toAbsolutePath().normalize();
    try {
      if (!Files.readAttributes(box, BasicFileAttributes.class).isDirectory()) {
        throw new StepException("the sandbox '" + box + "' is not a directory");
      }
    } catch (NoSuchFileException e) {
      throw new StepException("the sandbox directory '" + box + "' does not exist", e);
    } catch (IOException e) {
      throw new StepException("cannot use the sandbox '" + box + "': " + TransferStream.messageOf(e), e);
    }
    return box;
  }

  private static String fileNameFrom(SourceLocation location) throws StepException {
    String segment = location.lastSegment();
    if (segment == null) {
      throw new StepException("cannot derive a file name from the URI (its path has no last segment);"
          + " set output_file");
    }
    if (segment.equals(".") || segment.equals("..") || segment.indexOf('/') >= 0 || segment.indexOf('\0') >= 0) {
      throw new StepException("the last segment of the URI path ('" + Names.display(segment)
          + "') is not a usable file name; set output_file");
    }
    return segment;
  }
}
