package io.github.sparkmesos.fetcher;

import static io.github.sparkmesos.fetcher.FaultServer.serve;
import static io.github.sparkmesos.fetcher.FaultServer.truncatedAfter;
import static io.github.sparkmesos.fetcher.Sandboxes.sha256;
import static io.github.sparkmesos.fetcher.TestFiles.list;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.fetcher.FaultServer.Resource;
import io.github.sparkmesos.fetcher.internal.Download;
import io.github.sparkmesos.fetcher.internal.FetchPlan;
import io.github.sparkmesos.fetcher.internal.HttpClients;
import io.github.sparkmesos.fetcher.internal.Sources;
import io.github.sparkmesos.fetcher.internal.StepException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link Download#run} as the cache uses it: extracting into one directory and keeping the raw bytes in a file. */
@Timeout(60)
class DownloadTest {

  @TempDir
  Path tmp;
  Path into;
  Path keep;
  FaultServer server;
  OkHttpClient client;
  Sources sources;

  @BeforeEach
  void setUp() throws IOException {
    into = Files.createDirectory(tmp.resolve("entry"));
    keep = Files.createDirectory(tmp.resolve("archives"));
    server = new FaultServer();
    client = HttpClients.create(HttpResilienceTest.QUICK);
    sources = new Sources(client, HttpResilienceTest.QUICK);
  }

  @AfterEach
  void tearDown() {
    HttpClients.shutdown(client);
    server.close();
    Sandboxes.assertNoLeftovers(tmp);
  }

  private Download.Outcome run(FetchRequest request, Path archiveCopy) throws StepException {
    FetchPlan plan = FetchPlan.of(request, into);
    return Download.run(sources, HttpResilienceTest.QUICK, plan, into, archiveCopy, request.uri(), FetchProgress.NONE);
  }

  @Test
  void theRawBytesAreKeptBesideTheExtractedTree() throws Exception {
    byte[] content = TestFiles.randomBytes(100_000, 31);
    byte[] tgz = Archives.tar().file("app/lib.jar", content, 0644).tgz();
    server.on("/app.tgz", serve(Resource.of(tgz, "\"a\"")));

    Download.Outcome outcome = run(FetchRequest.of(server.url("/app.tgz")), keep.resolve("app.tgz"));

    assertTrue(outcome.extracted());
    assertEquals(sha256(tgz), outcome.sha256());
    assertArrayEquals(content, Files.readAllBytes(into.resolve("app/lib.jar")));
    assertArrayEquals(tgz, Files.readAllBytes(keep.resolve("app.tgz")));
    assertEquals(List.of("app.tgz"), list(keep));
    assertEquals(List.of("app"), list(into));
  }

  @Test
  void aRestartedTransferKeepsOnlyTheNewVersion() throws Exception {
    byte[] v1 = TestFiles.randomBytes(50_000, 32);
    byte[] v2 = TestFiles.randomBytes(40_000, 33);
    server.on("/data.bin", truncatedAfter(Resource.of(v1, "\"v1\""), 10_000), serve(Resource.of(v2, "\"v2\"")));

    Download.Outcome outcome = run(FetchRequest.of(server.url("/data.bin")), keep.resolve("data.bin"));

    assertEquals(sha256(v2), outcome.sha256());
    assertArrayEquals(v2, Files.readAllBytes(keep.resolve("data.bin")));
    assertArrayEquals(v2, Files.readAllBytes(into.resolve("data.bin")));
    assertEquals(List.of("data.bin"), list(keep));
  }

  @Test
  void aChecksumMismatchKeepsNoCopy() throws Exception {
    byte[] tgz = Archives.tar().file("a.txt", "a", 0644).tgz();
    server.on("/app.tgz", serve(Resource.of(tgz, "\"a\"")));

    StepException e = assertThrows(StepException.class, () -> run(
        FetchRequest.of(server.url("/app.tgz")).withSha256("1".repeat(64)), keep.resolve("app.tgz")));

    assertEquals("checksum mismatch: expected sha256 " + "1".repeat(64) + ", got " + sha256(tgz), e.getMessage());
    assertEquals(List.of(), list(keep));
    assertEquals(List.of(), list(into));
  }

  @Test
  void aFailureAfterTheCopyIsCommittedRemovesItAgain() throws Exception {
    Files.createDirectory(into.resolve("app"));
    byte[] tgz = Archives.tar().file("app/new.txt", "n", 0644).tgz();
    server.on("/app.tgz", serve(Resource.of(tgz, "\"a\"")));

    StepException e = assertThrows(StepException.class,
        () -> run(FetchRequest.of(server.url("/app.tgz")), keep.resolve("app.tgz")));

    assertEquals("the archive's top-level entry 'app' already exists in the sandbox", e.getMessage());
    assertEquals(List.of(), list(keep));
    assertEquals(List.of("app"), list(into));
  }
}
