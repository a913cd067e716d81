package io.github.sparkmesos.fetcher;

import static io.github.sparkmesos.fetcher.FaultServer.serve;
import static io.github.sparkmesos.fetcher.Sandboxes.sha256;
import static io.github.sparkmesos.fetcher.TestFiles.list;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sparkmesos.fetcher.FaultServer.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SHA-256 of every fetch, computed while streaming, and checked against the request's or the URI fragment's
 * expected sum before anything becomes visible.
 */
@Timeout(60)
class ChecksumTest {

  static final String WRONG = "0".repeat(64);

  @TempDir
  Path tmp;
  Path sandbox;
  FaultServer server;
  Fetcher fetcher;

  @BeforeEach
  void setUp() throws IOException {
    sandbox = Files.createDirectory(tmp.resolve("sandbox"));
    server = new FaultServer();
    fetcher = new Fetcher(HttpResilienceTest.QUICK);
  }

  @AfterEach
  void tearDown() {
    fetcher.close();
    server.close();
    Sandboxes.assertNoLeftovers(tmp);
  }

  /** What each name is served as, and what the sandbox holds afterwards. */
  private static byte[] served(String name) {
    byte[] content = TestFiles.randomBytes(150_000, 21);
    if (name.endsWith(".tgz")) {
      return Archives.tar().file("payload.bin", content, 0644).tgz();
    }
    if (name.endsWith(".zip")) {
      return Archives.zip().file("payload.bin", content, 0644).bytes();
    }
    if (name.endsWith(".gz")) {
      return Archives.gzip(content);
    }
    return content;
  }

  private static String resultName(String name) {
    return name.endsWith(".tgz") || name.endsWith(".zip") ? "payload.bin"
        : name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
  }

  @ParameterizedTest
  @ValueSource(strings = {"payload.bin", "payload.tgz", "payload.zip", "payload.bin.gz"})
  void theSha256IsReturnedAndAMatchingExpectedSumPasses(String name) throws Exception {
    byte[] bytes = served(name);
    server.on("/" + name, serve(Resource.of(bytes, "\"x\"")));

    FetchResult result = fetcher.fetch(FetchRequest.of(server.url("/" + name)).withSha256(sha256(bytes)),
        sandbox, FetchProgress.NONE);

    assertEquals(sha256(bytes), result.sha256());
    assertArrayEquals(TestFiles.randomBytes(150_000, 21), Files.readAllBytes(sandbox.resolve(resultName(name))));
    assertEquals(List.of(resultName(name)), list(sandbox));
  }

  @ParameterizedTest
  @ValueSource(strings = {"payload.bin", "payload.tgz", "payload.zip", "payload.bin.gz"})
  void aMismatchRemovesEverythingAndNamesBothSums(String name) throws Exception {
    byte[] bytes = served(name);
    server.on("/" + name, serve(Resource.of(bytes, "\"x\"")));
    Files.writeString(sandbox.resolve("keep.txt"), "mine");
    Map<String, String> before = TreeSnapshot.of(tmp);

    FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(
        FetchRequest.of(server.url("/" + name)).withSha256(WRONG), sandbox, FetchProgress.NONE));

    assertEquals("Failed to fetch '" + server.url("/" + name) + "': checksum mismatch: expected sha256 " + WRONG
        + ", got " + sha256(bytes), e.getMessage());
    assertEquals(before, TreeSnapshot.of(tmp));
    assertEquals(1, server.requests("/" + name).size(), "a mismatch is not retried");
  }

  @Test
  void aChecksumFragmentIsCheckedAndNeverSent() throws Exception {
    byte[] bytes = served("payload.tgz");
    server.on("/payload.tgz", serve(Resource.of(bytes, "\"x\"")));
    String uri = server.url("/payload.tgz") + "#sha256=" + sha256(bytes).toUpperCase();

    FetchResult result = fetcher.fetch(FetchRequest.of(uri), sandbox, FetchProgress.NONE);

    assertEquals(sha256(bytes), result.sha256());
    assertEquals(List.of("payload.bin"), list(sandbox));
  }

  @Test
  void aWrongChecksumFragmentFails() throws Exception {
    byte[] bytes = served("payload.bin");
    server.on("/payload.bin", serve(Resource.of(bytes, "\"x\"")));

    FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(
        FetchRequest.of(server.url("/payload.bin") + "#sha256=" + WRONG), sandbox, FetchProgress.NONE));

    assertEquals("checksum mismatch: expected sha256 " + WRONG + ", got " + sha256(bytes), e.reason());
    assertEquals(List.of(), list(sandbox));
  }

  @Test
  void aRequestSumAndAFragmentSumThatDifferFailBeforeAnyRequest() {
    String other = "a".repeat(64);
    server.on("/payload.bin", serve(Resource.of(new byte[10], "\"x\"")));

    FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(
        FetchRequest.of(server.url("/payload.bin") + "#sha256=" + other).withSha256(WRONG), sandbox,
        FetchProgress.NONE));

    assertEquals("the expected sha256 of the request (" + WRONG + ") differs from the one in the URI fragment ("
        + other + ")", e.reason());
    assertEquals(0, server.requests("/payload.bin").size());
    assertEquals(List.of(), list(sandbox));
  }

  @Test
  void aMalformedChecksumFragmentIsAnError() {
    FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(
        FetchRequest.of(server.url("/payload.bin") + "#sha256=abc"), sandbox, FetchProgress.NONE));

    assertEquals("the URI fragment '#sha256=abc' must be 64 hexadecimal digits", e.reason());
  }

  @Test
  void localFilesAreCheckedToo() throws Exception {
    byte[] bytes = TestFiles.randomBytes(5000, 22);
    Path source = Files.write(tmp.resolve("local.bin"), bytes);

    FetchResult ok = fetcher.fetch(FetchRequest.of(source + "#sha256=" + sha256(bytes)), sandbox,
        FetchProgress.NONE);
    FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(
        FetchRequest.of(source.toUri().toString()).withOutputFile("copy.bin").withSha256(WRONG), sandbox,
        FetchProgress.NONE));

    assertEquals(sha256(bytes), ok.sha256());
    assertEquals(sandbox.resolve("local.bin"), ok.target());
    assertEquals("checksum mismatch: expected sha256 " + WRONG + ", got " + sha256(bytes), e.reason());
    assertEquals(List.of("local.bin"), list(sandbox));
  }
}
