package io.github.sparkmesos.fetcher;

import static io.github.sparkmesos.fetcher.FaultServer.brokenChunkedAfter;
import static io.github.sparkmesos.fetcher.FaultServer.resetAfter;
import static io.github.sparkmesos.fetcher.FaultServer.serve;
import static io.github.sparkmesos.fetcher.FaultServer.serveIgnoringRange;
import static io.github.sparkmesos.fetcher.FaultServer.stalledAfter;
import static io.github.sparkmesos.fetcher.FaultServer.status;
import static io.github.sparkmesos.fetcher.FaultServer.truncatedAfter;
import static io.github.sparkmesos.fetcher.Sandboxes.sha256;
import static io.github.sparkmesos.fetcher.TestFiles.list;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.fetcher.FaultServer.Resource;
import io.github.sparkmesos.testing.Waits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retries, resumes and restarts against {@link FaultServer}, a real server on 127.0.0.1 that breaks the ways
 * networks do. After every test the sandbox holds no partial file and no staging directory; each test checks
 * that it holds exactly what it should.
 */
@Timeout(60)
class HttpResilienceTest {

  /** Tiny backoffs: the tests wait for nothing but the faults themselves. */
  static final FetcherOptions QUICK = FetcherOptions.DEFAULTS.withReadTimeout(Duration.ofSeconds(20))
      .withInitialBackoff(Duration.ofMillis(1)).withMaxBackoff(Duration.ofMillis(10));

  static final String ETAG = "\"v1\"";

  @TempDir
  Path tmp;
  Path sandbox;
  FaultServer server;

  @BeforeEach
  void setUp() throws IOException {
    sandbox = Files.createDirectory(tmp.resolve("sandbox"));
    server = new FaultServer();
  }

  @AfterEach
  void tearDown() {
    server.close();
    Sandboxes.assertNoLeftovers(tmp);
  }

  private FetchResult fetch(FetcherOptions options, FetchRequest request, FetchProgress progress)
      throws FetchException {
    try (Fetcher fetcher = new Fetcher(options)) {
      return fetcher.fetch(request, sandbox, progress);
    }
  }

  private FetchResult fetch(String path) throws FetchException {
    return fetch(QUICK, FetchRequest.of(server.url(path)), FetchProgress.NONE);
  }

  private FetchException fails(FetcherOptions options, String path) {
    return assertThrows(FetchException.class, () -> fetch(options, FetchRequest.of(server.url(path)), FetchProgress.NONE));
  }

  private String failure(String path, String reason) {
    return "Failed to fetch '" + server.url(path) + "': " + reason;
  }

  private static byte[] tgzOf(String name, byte[] content) {
    return Archives.tar().file(name, content, 0644).tgz();
  }

  // ---- statuses ------------------------------------------------------------------------------------------

  @Test
  void serverErrorsAreRetriedUntilTheDownloadSucceeds() throws Exception {
    byte[] data = TestFiles.randomBytes(100_000, 1);
    server.on("/data.bin", status(500), status(503), status(502), serve(Resource.of(data, ETAG)));

    FetchResult result = fetch("/data.bin");

    assertArrayEquals(data, Files.readAllBytes(sandbox.resolve("data.bin")));
    assertEquals(sha256(data), result.sha256());
    assertEquals(4, server.requests("/data.bin").size());
    assertEquals(List.of("data.bin"), list(sandbox));
  }

  @Test
  void throttlingAndRequestTimeoutsAreRetried() throws Exception {
    byte[] data = TestFiles.randomBytes(10_000, 2);
    server.on("/data.bin", status(429), status(408), serve(Resource.of(data, ETAG)));

    fetch("/data.bin");

    assertArrayEquals(data, Files.readAllBytes(sandbox.resolve("data.bin")));
    assertEquals(3, server.requests("/data.bin").size());
    assertEquals(List.of("data.bin"), list(sandbox));
  }

  @Test
  void aServerThatKeepsFailingFailsAfterMaxAttemptsWithTheCount() {
    server.on("/down.tgz", status(503));

    FetchException e = fails(QUICK.withMaxAttempts(4), "/down.tgz");

    assertEquals(failure("/down.tgz", "HTTP 503 Service Unavailable after 4 attempts"), e.getMessage());
    assertEquals(4, server.requests("/down.tgz").size());
    assertEquals(List.of(), list(sandbox));
  }

  @Test
  void notFoundIsNotRetried() {
    server.on("/missing.tgz", status(404));

    FetchException e = fails(QUICK, "/missing.tgz");

    assertEquals(failure("/missing.tgz", "HTTP 404 Not Found"), e.getMessage());
    assertEquals(1, server.requests("/missing.tgz").size());
    assertEquals(List.of(), list(sandbox));
  }

  @Test
  void notFoundAfterAServerErrorSaysHowManyAttemptsWereMade() {
    server.on("/gone.tgz", status(503), status(404));

    FetchException e = fails(QUICK, "/gone.tgz");

    assertEquals(failure("/gone.tgz", "HTTP 404 Not Found after 2 attempts"), e.getMessage());
    assertEquals(2, server.requests("/gone.tgz").size());
    assertEquals(List.of(), list(sandbox));
  }

  @Test
  void refusedConnectionsAreRetriedAndCounted() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    String uri = "http://127.0.0.1:" + closedPort + "/x.tgz";

    FetchException e = assertThrows(FetchException.class,
        () -> fetch(QUICK.withMaxAttempts(3), FetchRequest.of(uri), FetchProgress.NONE));

    assertTrue(e.getMessage().startsWith("Failed to fetch '" + uri + "': connection failed ("), e.getMessage());
    assertTrue(e.getMessage().endsWith(") after 3 attempts"), e.getMessage());
    assertEquals(List.of(), list(sandbox));
  }

  // ---- resuming ------------------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"/big.bin", "/big.tgz"})
  void aResetInTheMiddleOfTheBodyIsResumedWithARangeRequestUnderTheExtractor(String path) throws Exception {
    byte[] content = TestFiles.randomBytes(3 << 20, 3);
    byte[] served = path.endsWith(".tgz") ? tgzOf("big.bin", content) : content;
    Resource resource = Resource.of(served, ETAG);
    CountDownLatch readOneMebibyte = new CountDownLatch(1);
    server.on(path, resetAfter(resource, 3 << 19, readOneMebibyte), serve(resource));

    FetchResult result = fetch(QUICK, FetchRequest.of(server.url(path)), (uri, bytes, total) -> {
      if (bytes >= 1 << 20) {
        readOneMebibyte.countDown();
      }
    });

    assertArrayEquals(content, Files.readAllBytes(sandbox.resolve("big.bin")));
    assertEquals(sha256(served), result.sha256());
    assertEquals(served.length, result.bytes());
    List<FaultServer.Request> requests = server.requests(path);
    assertEquals(2, requests.size());
    assertNull(requests.get(0).header("Range"));
    String range = requests.get(1).header("Range");
    assertTrue(range != null && range.matches("bytes=\\d+-"), range);
    long offset = Long.parseLong(range.substring(6, range.length() - 1));
    assertTrue(offset >= 1 << 20 && offset <= 3 << 19, range);
    assertEquals(ETAG, requests.get(1).header("If-Range"));
    assertEquals(List.of("big.bin"), list(sandbox));
  }

  @Test
  void aTruncatedBodyIsResumed() throws Exception {
    byte[] data = TestFiles.randomBytes(300_000, 4);
    Resource resource = Resource.of(data, ETAG);
    server.on("/data.bin", truncatedAfter(resource, 100_000), serve(resource));

    FetchResult result = fetch("/data.bin");

    assertArrayEquals(data, Files.readAllBytes(sandbox.resolve("data.bin")));
    assertEquals(sha256(data), result.sha256());
    assertEquals("bytes=100000-", server.requests("/data.bin").get(1).header("Range"));
    assertEquals(List.of("data.bin"), list(sandbox));
  }

  @Test
  void aBrokenChunkedBodyIsResumed() throws Exception {
    byte[] tar = Archives.tar().file("app/lib.jar", TestFiles.randomBytes(200_000, 5), 0644).bytes();
    Resource resource = Resource.of(tar, ETAG);
    server.on("/app.tar", brokenChunkedAfter(resource, 50_000), serve(resource));

    fetch("/app.tar");

    assertArrayEquals(TestFiles.randomBytes(200_000, 5), Files.readAllBytes(sandbox.resolve("app/lib.jar")));
    assertEquals("bytes=50000-", server.requests("/app.tar").get(1).header("Range"));
    assertEquals(List.of("app"), list(sandbox));
  }

  @Test
  void aServerThatIgnoresRangeIsSkippedAheadWhenTheValidatorIsTheSame() throws Exception {
    byte[] content = TestFiles.randomBytes(400_000, 6);
    byte[] tgz = tgzOf("data.bin", content);
    String lastModified = "Tue, 01 Sep 2026 10:00:00 GMT";
    Resource resource = new Resource(tgz, null, lastModified);
    server.on("/data.tgz", truncatedAfter(resource, 100_000), serveIgnoringRange(resource));

    FetchResult result = fetch("/data.tgz");

    assertArrayEquals(content, Files.readAllBytes(sandbox.resolve("data.bin")));
    assertEquals(sha256(tgz), result.sha256());
    FaultServer.Request resume = server.requests("/data.tgz").get(1);
    assertEquals("bytes=100000-", resume.header("Range"));
    assertEquals(lastModified, resume.header("If-Range"));
    assertEquals(List.of("data.bin"), list(sandbox));
  }

  @Test
  void withoutAValidatorTheTransferStartsOverCleanly() throws Exception {
    byte[] content = TestFiles.randomBytes(200_000, 7);
    Resource resource = Resource.withoutValidators(tgzOf("data.bin", content));
    server.on("/data.tgz", truncatedAfter(resource, 100_000), serveIgnoringRange(resource));

    fetch("/data.tgz");

    assertArrayEquals(content, Files.readAllBytes(sandbox.resolve("data.bin")));
    List<FaultServer.Request> requests = server.requests("/data.tgz");
    assertEquals(2, requests.size());
    assertNull(requests.get(1).header("Range"), "no Range without a validator: the whole transfer again");
    assertEquals(List.of("data.bin"), list(sandbox));
  }

  @Test
  void anEtagChangeRestartsTheTransferAndEndsWithTheNewVersion() throws Exception {
    byte[] v1 = Archives.tar().file("old.txt", TestFiles.randomBytes(100_000, 8), 0644).tgz();
    byte[] v2 = Archives.tar().file("new.txt", "version 2", 0644).tgz();
    server.on("/app.tgz", truncatedAfter(Resource.of(v1, "\"v1\""), 60_000), serve(Resource.of(v2, "\"v2\"")));

    FetchResult result = fetch("/app.tgz");

    assertEquals("version 2", Files.readString(sandbox.resolve("new.txt")));
    assertEquals(sha256(v2), result.sha256());
    List<FaultServer.Request> requests = server.requests("/app.tgz");
    assertEquals(3, requests.size(), "the first, the resume answered with v2, the restart");
    assertEquals("\"v1\"", requests.get(1).header("If-Range"));
    assertNull(requests.get(2).header("Range"));
    assertEquals(List.of("new.txt"), list(sandbox), "nothing of v1 is left");
  }

  @Test
  void anEtagChangeWithoutAttemptsLeftFailsClearly() {
    byte[] v1 = TestFiles.randomBytes(100_000, 9);
    server.on("/data.bin", truncatedAfter(Resource.of(v1, "\"v1\""), 1000),
        serve(Resource.of(TestFiles.randomBytes(100_000, 10), "\"v2\"")));

    FetchException e = fails(QUICK.withMaxAttempts(2), "/data.bin");

    assertEquals(failure("/data.bin", "transfer failed after 1000 of 100000 bytes: the resource changed during"
        + " the transfer (ETag \"v1\" -> \"v2\") after 2 attempts"), e.getMessage());
    assertEquals(List.of(), list(sandbox));
  }

  @Test
  void aResourceThatShrankIsAnsweredWith416AndRestarted() throws Exception {
    byte[] shorter = "short now".getBytes(StandardCharsets.UTF_8);
    server.on("/data.bin", truncatedAfter(Resource.of(TestFiles.randomBytes(5000, 11), ETAG), 1000),
        serve(Resource.of(shorter, ETAG)));

    fetch("/data.bin");

    assertEquals("short now", Files.readString(sandbox.resolve("data.bin")));
    assertEquals(3, server.requests("/data.bin").size());
    assertEquals(List.of("data.bin"), list(sandbox));
  }

  @Test
  void aConnectionThatKeepsResettingFailsWithAttemptsAndResumes() {
    Resource resource = Resource.of(TestFiles.randomBytes(1 << 20, 12), ETAG);
    server.on("/data.bin", resetAfter(resource, 64 * 1024));

    FetchException e = fails(QUICK.withMaxAttempts(3), "/data.bin");

    assertTrue(e.getMessage().startsWith(failure("/data.bin", "transfer failed after ")), e.getMessage());
    assertTrue(e.getMessage().endsWith(": connection reset after 3 attempts (resumed twice)"), e.getMessage());
    assertEquals(3, server.requests("/data.bin").size());
    assertEquals(List.of(), list(sandbox));
  }

  @Test
  void aResumeAnsweredWithNotFoundFailsWithTheStatusAndTheCount() {
    server.on("/data.bin", truncatedAfter(Resource.of(TestFiles.randomBytes(5000, 13), ETAG), 1000), status(404));

    FetchException e = fails(QUICK, "/data.bin");

    assertEquals(failure("/data.bin", "transfer failed after 1000 of 5000 bytes: HTTP 404 Not Found after 2 attempts"),
        e.getMessage());
    assertEquals(List.of(), list(sandbox));
  }

  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {
      "/big.bin, null",
      "/big.bin, deep/dir/big.bin",
      "/big.tgz, null",
      "/big.zip, null",
      "/big.bin.gz, null",
  })
  void aBodyThatIsAlwaysTruncatedFailsAfterMaxAttemptsAndLeavesNothing(String path, String outputFile) {
    byte[] content = TestFiles.randomBytes(200_000, 14);
    byte[] full = path.endsWith(".tgz") ? tgzOf("big.bin", content)
        : path.endsWith(".zip") ? Archives.zip().file("big.bin", content, 0644).bytes()
        : path.endsWith(".gz") ? Archives.gzip(content)
        : content;
    server.on(path, truncatedAfter(Resource.of(full, ETAG), 1000));

    FetchException e = assertThrows(FetchException.class, () -> fetch(QUICK.withMaxAttempts(3),
        new FetchRequest(server.url(path), true, false, outputFile), FetchProgress.NONE));

    assertTrue(e.getMessage().startsWith(failure(path, "transfer failed after 3000 of " + full.length
        + " bytes: truncated body (")), e.getMessage());
    assertTrue(e.getMessage().endsWith(") after 3 attempts (resumed twice)"), e.getMessage());
    assertEquals(List.of(), list(sandbox));
  }

  // ---- timeouts ------------------------------------------------------------------------------------------

  @Test
  void aStalledBodyIsRetriedThenFailsSayingItStalled() {
    Resource resource = Resource.of(TestFiles.randomBytes(200_000, 15), ETAG);
    server.on("/slow.bin", stalledAfter(resource, 1000));

    FetchException e = fails(QUICK.withReadTimeout(Duration.ofMillis(500)).withMaxAttempts(2), "/slow.bin");

    assertEquals(failure("/slow.bin", "transfer failed after 2000 of 200000 bytes: stalled: no data for 0.5s"
        + " after 2 attempts (resumed once)"), e.getMessage());
    assertEquals("bytes=1000-", server.requests("/slow.bin").get(1).header("Range"));
    assertEquals(List.of(), list(sandbox));
  }

  @Test
  void theOverallTimeoutEndsATransferThatIsStillReceiving() {
    server.on("/slow.bin", stalledAfter(Resource.of(TestFiles.randomBytes(200_000, 16), ETAG), 1000));

    FetchException e = fails(QUICK.withCallTimeout(Duration.ofMillis(500)), "/slow.bin");

    assertEquals(failure("/slow.bin", "transfer failed after 1000 of 200000 bytes: did not complete within the"
        + " overall timeout of 0.5s"), e.getMessage());
    assertEquals(1, server.requests("/slow.bin").size(), "the overall timeout is not retried");
    assertEquals(List.of(), list(sandbox));
  }

  // ---- the read-ahead thread ------------------------------------------------------------------------------

  private static List<Thread> readAheadThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("fetcher-read-ahead") && t.isAlive()).toList();
  }

  /** Waits (at most 10 s) until a read-ahead thread exists and is blocked in a socket read of the stalled body. */
  private static void awaitReaderOnTheSocket() {
    Waits.awaitCondition(HttpResilienceTest::readerInSocketRead, Duration.ofSeconds(10),
        "the reader blocks on the stalled socket");
    assertEquals(1, readAheadThreads().size(), "a read-ahead thread");
  }

  private static boolean readerInSocketRead() {
    for (Thread t : readAheadThreads()) {
      for (StackTraceElement frame : t.getStackTrace()) {
        if (frame.getClassName().startsWith("sun.nio.ch.") && frame.getMethodName().startsWith("read")) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void anInterruptEndsAStalledTransferAtOnceWithoutLeavingTheReaderThread() throws Exception {
    server.on("/slow.bin", stalledAfter(Resource.of(TestFiles.randomBytes(200_000, 17), ETAG), 1000));
    FetchException[] failure = new FetchException[1];
    boolean[] interruptKept = new boolean[1];
    Thread fetching = new Thread(() -> {
      try {
        fetch("/slow.bin");
      } catch (FetchException e) {
        failure[0] = e;
      }
      interruptKept[0] = Thread.currentThread().isInterrupted();
    }, "fetching");
    fetching.start();
    awaitReaderOnTheSocket();

    long interrupted = System.nanoTime();
    fetching.interrupt();
    fetching.join(Duration.ofSeconds(10).toMillis());

    assertTrue(Duration.ofNanos(System.nanoTime() - interrupted).compareTo(Duration.ofSeconds(5)) < 0,
        "ended long before the read timeout (20 s)");
    assertTrue(!fetching.isAlive() && interruptKept[0]);
    assertEquals(failure("/slow.bin", "transfer failed after 0 of 200000 bytes: interrupted"),
        failure[0].getMessage());
    assertEquals(List.of(), readAheadThreads());
    assertEquals(1, server.requests("/slow.bin").size());
    assertEquals(List.of(), list(sandbox));
  }

  @Test
  void aStepThatFailsEarlyStopsTheReaderBlockedOnTheConnection() throws Exception {
    byte[] tgz = Archives.tar().special("dev/null", TarConstants.LF_CHR)
        .file("big.bin", TestFiles.randomBytes(3 << 20, 18), 0644).tgz();
    server.on("/bad.tgz", stalledAfter(Resource.of(tgz, ETAG), 3 << 19)); // one buffer, then half of one
    long started = System.nanoTime();

    FetchException e = fails(QUICK, "/bad.tgz");

    assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0,
        "ended long before the read timeout (20 s)");
    assertEquals(failure("/bad.tgz", "archive entry 'dev/null' is a character device; device entries are not"
        + " allowed"), e.getMessage());
    assertEquals(List.of(), readAheadThreads());
    assertEquals(List.of(), list(sandbox));
  }

  @Test
  void theOverallTimeoutCoversAllAttempts() {
    server.on("/down.bin", status(503));
    FetcherOptions options = QUICK.withCallTimeout(Duration.ofMillis(300)).withMaxAttempts(10_000)
        .withInitialBackoff(Duration.ofMillis(20)).withMaxBackoff(Duration.ofMillis(40));

    FetchException e = fails(options, "/down.bin");

    // the deadline ends it either between two attempts or during one
    assertTrue(e.getMessage().matches(".*': (HTTP 503 Service Unavailable after \\d+ attempts?; the overall"
        + " timeout of 0\\.3s leaves no time for another attempt|did not complete within the overall timeout"
        + " of 0\\.3s( after \\d+ attempts)?)"), e.getMessage());
    assertTrue(server.requests("/down.bin").size() < 100, "requests: " + server.requests("/down.bin").size());
    assertEquals(List.of(), list(sandbox));
  }
}
