package io.github.sparkmesos.fetcher;

import static io.github.sparkmesos.fetcher.TestFiles.list;
import static io.github.sparkmesos.fetcher.TestFiles.mode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.testing.LoopbackServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fetches over HTTP from a real server on 127.0.0.1 (faults: {@link HttpResilienceTest}). */
@Timeout(60)
class HttpFetchTest {

  @TempDir
  Path tmp;
  Path sandbox;
  LoopbackServer server;
  Fetcher fetcher;

  @BeforeEach
  void setUp() throws IOException {
    sandbox = Files.createDirectory(tmp.resolve("sandbox"));
    server = new LoopbackServer();
    fetcher = new Fetcher(HttpResilienceTest.QUICK);
  }

  @AfterEach
  void tearDown() {
    fetcher.close();
    server.close();
    Sandboxes.assertNoLeftovers(tmp);
  }

  @Test
  void extractsATarGzWithModesSymlinksHardLinksAndNestedDirectories() throws Exception {
    byte[] tgz = Archives.tar()
        .dir("app/", 0750)
        .dir("app/bin/", 0755)
        .file("app/bin/run.sh", "#!/bin/sh\necho hi\n", 0755)
        .file("app/bin/setuid-tool", "x", 04755)
        .file("app/conf/nested/deep/settings.conf", "a=1\n", 0640)
        .symlink("app/current", "bin/run.sh")
        .hardLink("app/bin/run-again.sh", "app/bin/run.sh")
        .file("README", "hello\n", 0644)
        .tgz();
    server.serve("/dist/app.tgz", tgz);
    List<long[]> progress = new ArrayList<>();

    FetchResult result = fetcher.fetch(FetchRequest.of(server.url("/dist/app.tgz")), sandbox,
        (uri, bytes, total) -> progress.add(new long[] {bytes, total}));

    assertEquals(sandbox, result.target());
    assertTrue(result.extracted());
    assertEquals(tgz.length, result.bytes());
    assertEquals(server.url("/dist/app.tgz"), result.uri());
    assertEquals(List.of("README", "app"), list(sandbox), "no staging directory is left");

    Path app = sandbox.resolve("app");
    assertEquals("#!/bin/sh\necho hi\n", Files.readString(app.resolve("bin/run.sh")));
    assertEquals(0755, mode(app.resolve("bin/run.sh")));
    assertEquals(04755, mode(app.resolve("bin/setuid-tool")));
    assertEquals("a=1\n", Files.readString(app.resolve("conf/nested/deep/settings.conf")));
    assertEquals(0640, mode(app.resolve("conf/nested/deep/settings.conf")));
    assertEquals(0750, mode(app));
    assertEquals(Path.of("bin/run.sh"), Files.readSymbolicLink(app.resolve("current")));
    assertTrue(Files.isSameFile(app.resolve("bin/run.sh"), app.resolve("bin/run-again.sh")));
    assertEquals(0644, mode(sandbox.resolve("README")));
    assertEquals(Archives.MTIME, Files.getLastModifiedTime(app.resolve("bin/run.sh")));
    assertEquals(Archives.MTIME, Files.getLastModifiedTime(app), "directory mtimes are applied last");

    assertEquals("identity", server.requests("/dist/app.tgz").get(0).getFirst("Accept-Encoding"));
    long[] last = progress.get(progress.size() - 1);
    assertArrayEquals(new long[] {tgz.length, tgz.length}, last);
  }

  @Test
  void progressIsReportedAboutEveryMebibyteAndOnceAtTheEnd() throws Exception {
    byte[] data = TestFiles.randomBytes(3 * 1024 * 1024 + 5, 7);
    server.serve("/big.bin", data);
    List<long[]> progress = new ArrayList<>();

    fetcher.fetch(FetchRequest.of(server.url("/big.bin")), sandbox,
        (uri, bytes, total) -> progress.add(new long[] {bytes, total}));

    assertArrayEquals(data, Files.readAllBytes(sandbox.resolve("big.bin")));
    assertTrue(progress.size() >= 2 && progress.size() <= 5, "events: " + progress.size());
    for (int i = 1; i < progress.size(); i++) {
      assertTrue(progress.get(i)[0] > progress.get(i - 1)[0], "progress grows");
      assertEquals(data.length, progress.get(i)[1]);
    }
    assertEquals(data.length, progress.get(progress.size() - 1)[0]);
  }

  @Test
  void notFoundFailsWithTheStatusAndLeavesNothing() {
    server.status("/missing.tgz", 404);

    FetchException e = assertThrows(FetchException.class,
        () -> fetcher.fetch(FetchRequest.of(server.url("/missing.tgz")), sandbox, FetchProgress.NONE));

    assertEquals("Failed to fetch '" + server.url("/missing.tgz") + "': HTTP 404 Not Found", e.getMessage());
    assertEquals("HTTP 404 Not Found", e.reason());
    assertEquals(1, server.requests("/missing.tgz").size(), "a 404 is not retried");
    assertEquals(List.of(), list(sandbox));
  }

  @Test
  void redirectsAreFollowedAndTheNameComesFromTheRequestedUri() throws Exception {
    server.redirect("/latest/tool.txt", "/v2/tool-2.0.txt").serve("/v2/tool-2.0.txt", "v2".getBytes(StandardCharsets.UTF_8));

    FetchResult result = fetcher.fetch(FetchRequest.of(server.url("/latest/tool.txt")), sandbox, FetchProgress.NONE);

    assertEquals(sandbox.resolve("tool.txt"), result.target());
    assertEquals("v2", Files.readString(result.target()));
  }

  @Test
  void userInformationIsSentAsBasicAuthAndNeverShown() throws Exception {
    server.status("/private/missing.txt", 404).serve("/private/ok.txt", "ok".getBytes(StandardCharsets.UTF_8));
    String credentials = "alice:s3cret";
    String base = "http://" + credentials + "@127.0.0.1:" + server.port();

    FetchException e = assertThrows(FetchException.class,
        () -> fetcher.fetch(FetchRequest.of(base + "/private/missing.txt"), sandbox, FetchProgress.NONE));
    FetchResult ok = fetcher.fetch(FetchRequest.of(base + "/private/ok.txt"), sandbox, FetchProgress.NONE);

    assertEquals("Failed to fetch '" + server.url("/private/missing.txt") + "': HTTP 404 Not Found", e.getMessage());
    assertEquals(server.url("/private/ok.txt"), ok.uri());
    assertEquals("Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)),
        server.requests("/private/ok.txt").get(0).getFirst("Authorization"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"app.tar", "app.tar.gz", "app.tgz", "app.tar.bz2", "app.tbz2", "app.tar.xz", "app.txz",
      "APP.TGZ"})
  void everyTarFormatIsExtracted(String name) throws Exception {
    byte[] tar = Archives.tar().dir("app/", 0755).file("app/lib/a.jar", TestFiles.randomBytes(50_000, 5), 0644)
        .file("app/bin/run", "run", 0755).bytes();
    String lower = name.toLowerCase();
    UnaryOperator<byte[]> compress = lower.endsWith(".tar") ? b -> b
        : lower.endsWith("gz") ? Archives::gzip
        : lower.endsWith("bz2") ? Archives::bzip2
        : Archives::xz;
    server.serve("/" + name, compress.apply(tar));

    FetchResult result = fetcher.fetch(FetchRequest.of(server.url("/" + name)), sandbox, FetchProgress.NONE);

    assertTrue(result.extracted());
    assertArrayEquals(TestFiles.randomBytes(50_000, 5), Files.readAllBytes(sandbox.resolve("app/lib/a.jar")));
    assertEquals(0755, mode(sandbox.resolve("app/bin/run")));
    assertEquals(List.of("app"), list(sandbox));
  }

  @Test
  void multiMemberGzipOfATarIsExtractedCompletely() throws Exception {
    Archives.Tar builder = Archives.tar();
    for (int i = 0; i < 8; i++) {
      builder.file("parts/part-" + i + ".bin", TestFiles.randomBytes(40_000, i), 0644);
    }
    byte[] tar = builder.bytes();
    byte[] twoMembers = Archives.gzipTwoMembers(tar, tar.length / 2 + 123);
    byte[] firstMember = Archives.gzip(Arrays.copyOfRange(tar, 0, tar.length / 2 + 123));
    // the member boundary falls on a chunk boundary, flushed on its own
    server.serveChunked("/parts.tgz", List.of(firstMember,
        Arrays.copyOfRange(twoMembers, firstMember.length, twoMembers.length)));

    fetcher.fetch(FetchRequest.of(server.url("/parts.tgz")), sandbox, FetchProgress.NONE);

    for (int i = 0; i < 8; i++) {
      assertArrayEquals(TestFiles.randomBytes(40_000, i),
          Files.readAllBytes(sandbox.resolve("parts/part-" + i + ".bin")), "part " + i);
    }
  }

  @Test
  void plainGzIsDecompressedToTheNameWithoutGz() throws Exception {
    byte[] text = "line 1\nline 2\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    server.serve("/notes.txt.gz", Archives.gzipTwoMembers(text, 100));

    FetchResult result = fetcher.fetch(FetchRequest.of(server.url("/notes.txt.gz")), sandbox, FetchProgress.NONE);

    assertEquals(sandbox.resolve("notes.txt"), result.target());
    assertTrue(result.extracted());
    assertArrayEquals(text, Files.readAllBytes(result.target()));
    assertEquals(List.of("notes.txt"), list(sandbox));
  }

  @Test
  void zipIsExtractedWithModesAndSymlinks() throws Exception {
    byte[] zip = Archives.zip()
        .dir("tool/", 0755)
        .file("tool/run", "#!/bin/sh\n", 0755)
        .file("tool/lib/data.txt", "data", 0600)
        .symlink("tool/latest", "run")
        .bytes();
    server.serve("/tool.zip", zip);

    FetchResult result = fetcher.fetch(FetchRequest.of(server.url("/tool.zip")), sandbox, FetchProgress.NONE);

    assertTrue(result.extracted());
    assertEquals(zip.length, result.bytes());
    assertEquals("#!/bin/sh\n", Files.readString(sandbox.resolve("tool/run")));
    assertEquals(0755, mode(sandbox.resolve("tool/run")));
    assertEquals(0600, mode(sandbox.resolve("tool/lib/data.txt")));
    assertEquals(Path.of("run"), Files.readSymbolicLink(sandbox.resolve("tool/latest")));
    assertEquals(List.of("tool"), list(sandbox), "the spooled zip and the staging directory are gone");
  }

  @Test
  void existingTopLevelNameFailsClearlyAndChangesNothing() throws Exception {
    Files.createDirectories(sandbox.resolve("app"));
    Files.writeString(sandbox.resolve("app/keep.txt"), "mine");
    Map<String, String> before = TreeSnapshot.of(sandbox);
    server.serve("/app.tgz", Archives.tar().file("other.txt", "o", 0644).file("app/new.txt", "n", 0644).tgz());

    FetchException e = assertThrows(FetchException.class,
        () -> fetcher.fetch(FetchRequest.of(server.url("/app.tgz")), sandbox, FetchProgress.NONE));

    assertEquals("Failed to fetch '" + server.url("/app.tgz")
        + "': the archive's top-level entry 'app' already exists in the sandbox", e.getMessage());
    assertEquals(before, TreeSnapshot.of(sandbox));
  }

  @Test
  void corruptArchiveIsReportedAsSuch() {
    server.serve("/broken.tgz", "this is not gzip".getBytes(StandardCharsets.UTF_8));

    FetchException e = assertThrows(FetchException.class,
        () -> fetcher.fetch(FetchRequest.of(server.url("/broken.tgz")), sandbox, FetchProgress.NONE));

    assertTrue(e.getMessage().startsWith("Failed to fetch '" + server.url("/broken.tgz")
        + "': not a valid tar.gz archive: "), e.getMessage());
    assertEquals(List.of(), list(sandbox));
  }

  @Test
  void nonArchiveWithExtractIsWrittenAsIs() throws Exception {
    server.serve("/spark-defaults.conf", "spark.a=b\n".getBytes(StandardCharsets.UTF_8));

    FetchResult result = fetcher.fetch(FetchRequest.of(server.url("/spark-defaults.conf?token=1#frag")), sandbox,
        FetchProgress.NONE);

    assertFalse(result.extracted());
    assertEquals(sandbox.resolve("spark-defaults.conf"), result.target());
    assertTrue(Files.isRegularFile(result.target(), LinkOption.NOFOLLOW_LINKS));
  }
}
