package io.github.sparkmesos.fetcher;

import static io.github.sparkmesos.fetcher.TestFiles.list;
import static io.github.sparkmesos.fetcher.TestFiles.mode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** file: URIs and local paths; the rules about names that do not depend on the transport. */
class LocalFetchTest {

  @TempDir
  Path tmp;
  Path sandbox;
  Path source;
  Fetcher fetcher;

  @BeforeEach
  void setUp() throws IOException {
    sandbox = Files.createDirectory(tmp.resolve("sandbox"));
    source = Files.createDirectory(tmp.resolve("source"));
    fetcher = new Fetcher();
  }

  @AfterEach
  void tearDown() {
    fetcher.close();
  }

  @Test
  void absoluteLocalPathIsCopied() throws Exception {
    byte[] data = TestFiles.randomBytes(10_000, 1);
    Path file = Files.write(source.resolve("data.bin"), data);

    FetchResult result = fetcher.fetch(FetchRequest.of(file.toString()), sandbox, FetchProgress.NONE);

    assertArrayEquals(data, Files.readAllBytes(sandbox.resolve("data.bin")));
    assertEquals(0644, mode(sandbox.resolve("data.bin")));
    assertEquals(sandbox.resolve("data.bin"), result.target());
    assertEquals(10_000, result.bytes());
    assertEquals(Sandboxes.sha256(data), result.sha256());
    assertFalse(result.extracted());
    assertEquals(file.toString(), result.uri());
    assertEquals(List.of("data.bin"), list(sandbox));
  }

  @Test
  void fileUriArchiveIsExtracted() throws Exception {
    Path archive = Files.write(source.resolve("bundle.tgz"),
        Archives.tar().file("bundle/hello.txt", "hello\n", 0644).tgz());

    FetchResult result = fetcher.fetch(FetchRequest.of(archive.toUri().toString()), sandbox, FetchProgress.NONE);

    assertTrue(result.extracted());
    assertEquals(sandbox, result.target());
    assertEquals("hello\n", Files.readString(sandbox.resolve("bundle/hello.txt")));
    assertEquals(List.of("bundle"), list(sandbox));
  }

  @Test
  void fileUriWithLocalhostIsLocal() throws Exception {
    Path file = Files.writeString(source.resolve("a.txt"), "a");
    fetcher.fetch(FetchRequest.of("file://localhost" + file), sandbox, FetchProgress.NONE);
    assertEquals("a", Files.readString(sandbox.resolve("a.txt")));
  }

  @Test
  void outputFileAndExecutable() throws Exception {
    Path script = Files.writeString(source.resolve("tool.sh"), "#!/bin/sh\n");

    FetchResult result = fetcher.fetch(new FetchRequest(script.toString(), true, true, "bin/tools/run"),
        sandbox, FetchProgress.NONE);

    Path run = sandbox.resolve("bin/tools/run");
    assertEquals(run, result.target());
    assertEquals("#!/bin/sh\n", Files.readString(run));
    assertEquals(0755, mode(run));
    assertEquals(List.of("bin"), list(sandbox));
    assertEquals(List.of("run"), list(sandbox.resolve("bin/tools")));
  }

  @Test
  void executableWinsOverExtractAsInMesos() throws Exception {
    byte[] tgz = Archives.tar().file("x.txt", "x", 0644).tgz();
    Path archive = Files.write(source.resolve("bundle.tgz"), tgz);

    FetchResult result = fetcher.fetch(new FetchRequest(archive.toString(), true, true, null), sandbox,
        FetchProgress.NONE);

    assertFalse(result.extracted());
    assertArrayEquals(tgz, Files.readAllBytes(sandbox.resolve("bundle.tgz")));
    assertEquals(0755, mode(sandbox.resolve("bundle.tgz")));
  }

  @Test
  void extractFalseKeepsTheArchive() throws Exception {
    byte[] tgz = Archives.tar().file("x.txt", "x", 0644).tgz();
    Path archive = Files.write(source.resolve("bundle.tgz"), tgz);

    fetcher.fetch(FetchRequest.of(archive.toString()).withExtract(false), sandbox, FetchProgress.NONE);

    assertEquals(List.of("bundle.tgz"), list(sandbox));
    assertArrayEquals(tgz, Files.readAllBytes(sandbox.resolve("bundle.tgz")));
  }

  @Test
  void existingFileIsReplaced() throws Exception {
    Files.writeString(sandbox.resolve("conf.txt"), "old");
    Path file = Files.writeString(source.resolve("conf.txt"), "new");

    fetcher.fetch(FetchRequest.of(file.toString()), sandbox, FetchProgress.NONE);

    assertEquals("new", Files.readString(sandbox.resolve("conf.txt")));
    assertEquals(List.of("conf.txt"), list(sandbox));
  }

  @Test
  void relativePathIsAnError() {
    FetchException e = assertThrows(FetchException.class,
        () -> fetcher.fetch(FetchRequest.of("relative/app.tgz"), sandbox, FetchProgress.NONE));
    assertEquals("Failed to fetch 'relative/app.tgz': 'relative/app.tgz' is a relative path; use an absolute"
        + " path or a URI with a scheme (supported: http, https, file and local paths; through a Hadoop client:"
        + " hdfs, webhdfs, swebhdfs, viewfs, har, s3a, s3n, s3, gs, wasb, wasbs, abfs, abfss, adl, oss, cosn,"
        + " obs, o3fs, ofs, ftp)", e.getMessage());
  }

  @Test
  void unsupportedSchemeIsNamed() {
    FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(
        FetchRequest.of("gopher://spark:pw@example.invalid/app.tgz"), sandbox, FetchProgress.NONE));
    assertTrue(e.getMessage().startsWith("Failed to fetch 'gopher://example.invalid/app.tgz': unsupported URI"
        + " scheme 'gopher' (supported: http, https, file and local paths; through a Hadoop client: hdfs,"),
        e.getMessage());
  }

  @Test
  void fileUriWithARemoteHostIsAnError() {
    FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(
        FetchRequest.of("file://fileserver/srv/app.tgz"), sandbox, FetchProgress.NONE));
    assertEquals("Failed to fetch 'file://fileserver/srv/app.tgz': file URIs with a host ('fileserver') are not"
        + " supported; use file:///absolute/path", e.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    Path missing = source.resolve("missing.tgz");
    FetchException e = assertThrows(FetchException.class,
        () -> fetcher.fetch(FetchRequest.of(missing.toString()), sandbox, FetchProgress.NONE));
    assertEquals("Failed to fetch '" + missing + "': no such file '" + missing + "'", e.getMessage());
    assertEquals(List.of(), list(sandbox));
  }

  @Test
  void directoryIsNotAFile() {
    FetchException e = assertThrows(FetchException.class,
        () -> fetcher.fetch(FetchRequest.of(source.toString()), sandbox, FetchProgress.NONE));
    assertEquals("Failed to fetch '" + source + "': '" + source + "' is a directory", e.getMessage());
  }

  @Test
  void uriWithoutAFileNameNeedsOutputFile() {
    FetchException e = assertThrows(FetchException.class,
        () -> fetcher.fetch(FetchRequest.of("http://127.0.0.1:9/"), sandbox, FetchProgress.NONE));
    assertEquals("Failed to fetch 'http://127.0.0.1:9/': cannot derive a file name from the URI (its path has"
        + " no last segment); set output_file", e.getMessage());
  }

  @Test
  void encodedSlashInTheLastSegmentIsNotAFileName() {
    FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(
        FetchRequest.of("http://127.0.0.1:9/x/..%2F..%2Fetc%2Fpasswd"), sandbox, FetchProgress.NONE));
    assertTrue(e.getMessage().endsWith("is not a usable file name; set output_file"), e.getMessage());
  }

  @Test
  void outputFileThroughASymlinkIsRefused() throws Exception {
    Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
    Files.createSymbolicLink(sandbox.resolve("lib"), elsewhere);
    Path file = Files.writeString(source.resolve("x.jar"), "jar");

    FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(
        FetchRequest.of(file.toString()).withOutputFile("lib/x.jar"), sandbox, FetchProgress.NONE));

    assertEquals("Failed to fetch '" + file + "': the output file 'lib/x.jar' goes through the symlink 'lib'",
        e.getMessage());
    assertEquals(List.of(), list(elsewhere));
    assertEquals(List.of("lib"), list(sandbox));
  }

  @Test
  void sandboxMustExist() {
    Path missing = tmp.resolve("no-sandbox");
    FetchException e = assertThrows(FetchException.class,
        () -> fetcher.fetch(FetchRequest.of("/x"), missing, FetchProgress.NONE));
    assertEquals("Failed to fetch '/x': the sandbox directory '" + missing + "' does not exist", e.getMessage());
  }
}
