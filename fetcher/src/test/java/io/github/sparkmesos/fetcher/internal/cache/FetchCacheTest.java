package io.github.sparkmesos.fetcher.internal.cache;

import static io.github.sparkmesos.fetcher.internal.cache.TestTree.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.fetcher.FetchException;
import io.github.sparkmesos.fetcher.FetchProgress;
import io.github.sparkmesos.fetcher.FetchRequest;
import io.github.sparkmesos.fetcher.FetchResult;
import io.github.sparkmesos.fetcher.Fetcher;
import io.github.sparkmesos.fetcher.FetcherOptions;
import io.github.sparkmesos.testing.Skips;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The node-wide fetch cache, through {@link Fetcher}, against a real HTTP server on 127.0.0.1. */
@Timeout(60)
class FetchCacheTest {

  private static final List<String> SAMPLE_FILES =
      List.of("README", "app/bin/run.sh", "app/conf.txt", "app/private.key", "app/lib/big.bin");

  @TempDir
  Path tmp;
  Path cacheDir;
  CacheServer server;
  final List<Fetcher> fetchers = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    cacheDir = tmp.resolve("cache");
    server = new CacheServer();
  }

  @AfterEach
  void tearDown() {
    fetchers.forEach(Fetcher::close);
    server.close();
  }

  @Test
  void hitsAreHardLinksToReadOnlyFilesOfOneDownload() throws Exception {
    TestTree tree = TestTree.sample();
    byte[] tgz = tree.tgz();
    server.serve("/dist/app.tgz", tgz);
    Fetcher fetcher = fetcher(1L << 30);

    List<FetchResult> results = new ArrayList<>();
    List<Path> sandboxes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sandboxes.add(sandbox("sandbox" + i));
      results.add(fetcher.fetch(cached("/dist/app.tgz"), sandboxes.get(i), FetchProgress.NONE));
    }

    assertEquals(1, server.gets("/dist/app.tgz"));
    assertFalse(results.get(0).cached());
    assertTrue(results.get(1).cached());
    assertTrue(results.get(2).cached());
    for (int i = 0; i < 3; i++) {
      FetchResult result = results.get(i);
      assertEquals(sha256(tgz), result.sha256());
      assertEquals(tgz.length, result.bytes());
      assertTrue(result.extracted());
      assertEquals(sandboxes.get(i), result.target());
      assertEquals(tree.expectLinked(), TestTree.snapshot(sandboxes.get(i)));
      for (String file : SAMPLE_FILES) {
        Path linked = sandboxes.get(i).resolve(file);
        // the same inode for every sandbox: linking (which changes the inode's ctime) triggers no rebuild
        assertTrue(Files.isSameFile(cacheFile(file), linked), file);
        assertEquals(TestTree.MTIME, Files.getLastModifiedTime(linked, LinkOption.NOFOLLOW_LINKS));
      }
    }
    assertEquals(List.of(), list(cacheDir.resolve("staging")));
    assertEquals(sha256(tgz), sha256(Files.readAllBytes(archive())));
  }

  @Test
  void aTaskWritingThroughItsLinksCannotCorruptTheNextSandbox() throws Exception {
    TestTree tree = TestTree.sample();
    byte[] tgz = tree.tgz();
    server.serve("/dist/app.tgz", tgz);
    Fetcher fetcher = fetcher(1L << 30);
    Path first = sandbox("first");
    fetcher.fetch(cached("/dist/app.tgz"), first, FetchProgress.NONE);

    // as root: make the link writable and rewrite the file in place (open with truncate, other bytes)
    Path victim = first.resolve("app/conf.txt");
    Files.setAttribute(victim, "unix:mode", 0644);
    try (OutputStream out = Files.newOutputStream(victim, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write("setting=evil\n".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals("setting=evil\n", Files.readString(cacheFile("app/conf.txt")), "the cache's inode changed with it");

    Path second = sandbox("second");
    FetchResult result = fetcher.fetch(cached("/dist/app.tgz"), second, FetchProgress.NONE);

    assertTrue(result.cached(), "rebuilt from the kept archive, not downloaded again");
    assertEquals(1, server.gets("/dist/app.tgz"));
    assertEquals(tree.expectLinked(), TestTree.snapshot(second));
    assertEquals(sha256(tgz), sha256(Files.readAllBytes(archive())), "the archive is intact");
    assertEquals("setting=evil\n", Files.readString(victim), "the task keeps what it wrote");
    assertFalse(Files.isSameFile(victim, second.resolve("app/conf.txt")));
    assertTrue(Files.isSameFile(cacheFile("app/conf.txt"), second.resolve("app/conf.txt")));

    // a rewrite of the same length, without touching the mode (root may write a 0444 file)
    Path other = second.resolve("app/bin/run.sh");
    byte[] original = Files.readAllBytes(other);
    byte[] sameLength = original.clone();
    sameLength[sameLength.length - 2] ^= 1;
    try (OutputStream out = Files.newOutputStream(other, StandardOpenOption.WRITE)) {
      out.write(sameLength);
    }
    Path third = sandbox("third");
    fetcher.fetch(cached("/dist/app.tgz"), third, FetchProgress.NONE);
    assertEquals(tree.expectLinked(), TestTree.snapshot(third));
    assertArrayEquals(original, Files.readAllBytes(third.resolve("app/bin/run.sh")));

    // only the mode changed: the shared inode would hand a writable file to the next task
    Files.setAttribute(third.resolve("README"), "unix:mode", 0666);
    Path fourth = sandbox("fourth");
    fetcher.fetch(cached("/dist/app.tgz"), fourth, FetchProgress.NONE);
    assertEquals(tree.expectLinked(), TestTree.snapshot(fourth));
    assertEquals(1, server.gets("/dist/app.tgz"));
    assertEquals(List.of(), list(cacheDir.resolve("staging")));
  }

  @Test
  void aPlainFileIsALinkToTheArchiveAndAChangedArchiveIsFetchedAgain() throws Exception {
    byte[] data = TestTree.random(50_000, 3);
    server.serve("/files/data.bin", data);
    Fetcher fetcher = fetcher(1L << 30);
    Path first = sandbox("first");

    FetchResult result = fetcher.fetch(cached("/files/data.bin"), first, FetchProgress.NONE);

    Path file = first.resolve("data.bin");
    assertEquals(file, result.target());
    assertFalse(result.extracted());
    assertArrayEquals(data, Files.readAllBytes(file));
    assertEquals(0444, mode(file));
    assertTrue(Files.isSameFile(archive(), file));

    Files.write(file, "overwritten".getBytes(StandardCharsets.UTF_8), StandardOpenOption.TRUNCATE_EXISTING);
    Path second = sandbox("second");
    FetchResult again = fetcher.fetch(cached("/files/data.bin"), second, FetchProgress.NONE);

    assertFalse(again.cached(), "the archive itself changed: nothing to rebuild from");
    assertEquals(2, server.gets("/files/data.bin"));
    assertArrayEquals(data, Files.readAllBytes(second.resolve("data.bin")));
    assertEquals(sha256(data), again.sha256());
    assertEquals(1, list(cacheDir.resolve("entries")).size());
  }

  @Test
  void anExecutableIsAPrivateCopyAndAGzIsDecompressedOnce() throws Exception {
    byte[] tool = "#!/bin/sh\necho tool\n".getBytes(StandardCharsets.UTF_8);
    byte[] text = "line\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    server.serve("/bin/tool", tool).serve("/docs/notes.txt.gz", gzip(text));
    Fetcher fetcher = fetcher(1L << 30);
    Path first = sandbox("first");
    Path second = sandbox("second");

    fetcher.fetch(cached("/bin/tool").withExecutable(true), first, FetchProgress.NONE);
    FetchResult hit = fetcher.fetch(cached("/bin/tool").withExecutable(true), second, FetchProgress.NONE);
    assertTrue(hit.cached());
    for (Path sandbox : List.of(first, second)) {
      assertArrayEquals(tool, Files.readAllBytes(sandbox.resolve("tool")));
      assertEquals(0755, mode(sandbox.resolve("tool")));
    }
    assertFalse(Files.isSameFile(first.resolve("tool"), second.resolve("tool")));

    FetchResult gz = fetcher.fetch(cached("/docs/notes.txt.gz"), first, FetchProgress.NONE);
    FetchResult gzHit = fetcher.fetch(cached("/docs/notes.txt.gz"), second, FetchProgress.NONE);
    assertTrue(gz.extracted());
    assertTrue(gzHit.cached());
    assertEquals(second.resolve("notes.txt"), gzHit.target());
    assertArrayEquals(text, Files.readAllBytes(second.resolve("notes.txt")));
    assertEquals(0444, mode(second.resolve("notes.txt")));
    assertTrue(Files.isSameFile(first.resolve("notes.txt"), second.resolve("notes.txt")));
    assertEquals(1, server.gets("/bin/tool"));
    assertEquals(1, server.gets("/docs/notes.txt.gz"));
  }

  @Test
  void anEntryKeptWithoutExtractionIsExtractedFromItsArchiveLater() throws Exception {
    TestTree tree = TestTree.sample();
    byte[] tgz = tree.tgz();
    server.serve("/dist/app.tgz", tgz);
    Fetcher fetcher = fetcher(1L << 30);
    Path first = sandbox("first");
    Path second = sandbox("second");

    fetcher.fetch(cached("/dist/app.tgz").withExtract(false), first, FetchProgress.NONE);
    FetchResult extracted = fetcher.fetch(cached("/dist/app.tgz"), second, FetchProgress.NONE);

    assertArrayEquals(tgz, Files.readAllBytes(first.resolve("app.tgz")));
    assertTrue(extracted.cached());
    assertEquals(tree.expectLinked(), TestTree.snapshot(second));
    assertEquals(1, server.gets("/dist/app.tgz"));
  }

  @Test
  void leastRecentlyUsedEntriesAreEvicted() throws Exception {
    for (String name : List.of("a", "b", "c")) {
      server.serve("/" + name + ".bin", TestTree.random(10_000, name.charAt(0)));
    }
    Fetcher fetcher = fetcher(25_000);

    fetcher.fetch(cached("/a.bin"), sandbox("a1"), FetchProgress.NONE);
    fetcher.fetch(cached("/b.bin"), sandbox("b1"), FetchProgress.NONE);
    assertTrue(fetcher.fetch(cached("/a.bin"), sandbox("a2"), FetchProgress.NONE).cached()); // a: used after b
    fetcher.fetch(cached("/c.bin"), sandbox("c1"), FetchProgress.NONE); // 30,000 bytes > 25,000: evict b

    assertEquals(2, list(cacheDir.resolve("entries")).size());
    assertTrue(fetcher.fetch(cached("/a.bin"), sandbox("a3"), FetchProgress.NONE).cached());
    assertTrue(fetcher.fetch(cached("/c.bin"), sandbox("c2"), FetchProgress.NONE).cached());
    assertFalse(fetcher.fetch(cached("/b.bin"), sandbox("b2"), FetchProgress.NONE).cached());
    assertEquals(1, server.gets("/a.bin"));
    assertEquals(2, server.gets("/b.bin"));
    assertEquals(1, server.gets("/c.bin"));
    // the sandboxes keep their files: eviction only removes the cache's names
    assertArrayEquals(TestTree.random(10_000, 'b'), Files.readAllBytes(tmp.resolve("b1/b.bin")));
  }

  @Test
  @SuppressWarnings("try")
  void anEntryInUseIsNotEvicted() throws Exception {
    for (String name : List.of("a", "b", "c")) {
      server.serve("/" + name + ".bin", TestTree.random(10_000, name.charAt(0)));
    }
    Fetcher fetcher = fetcher(25_000);
    fetcher.fetch(cached("/a.bin"), sandbox("a1"), FetchProgress.NONE);
    fetcher.fetch(cached("/b.bin"), sandbox("b1"), FetchProgress.NONE);
    // another thread uses a (the shared lock a materialisation holds): a is the least recently used, but busy
    Path lockFile = cacheDir.toRealPath().resolve("locks").resolve(CacheKey.of(cached("/a.bin"), null) + ".lock");
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService user = Executors.newSingleThreadExecutor();
    Future<?> holder = user.submit(() -> {
      try (CacheLocks.Lease lease = CacheLocks.shared(lockFile, () -> { })) {
        held.countDown();
        release.await();
      }
      return null;
    });
    try {
      assertTrue(held.await(10, TimeUnit.SECONDS));
      fetcher.fetch(cached("/c.bin"), sandbox("c1"), FetchProgress.NONE);
    } finally {
      release.countDown();
      holder.get(10, TimeUnit.SECONDS);
      user.shutdown();
    }

    assertTrue(fetcher.fetch(cached("/a.bin"), sandbox("a2"), FetchProgress.NONE).cached(), "a was in use");
    assertTrue(fetcher.fetch(cached("/c.bin"), sandbox("c2"), FetchProgress.NONE).cached());
    assertFalse(fetcher.fetch(cached("/b.bin"), sandbox("b2"), FetchProgress.NONE).cached(), "b went instead");
    assertEquals(1, server.gets("/a.bin"));
  }

  @Test
  void anEntryBiggerThanTheWholeCacheIsFetchedWithoutCaching() throws Exception {
    TestTree tree = TestTree.sample();
    byte[] tgz = tree.tgz();
    server.serve("/dist/app.tgz", tgz);
    Fetcher fetcher = fetcher(1_000);
    Path first = sandbox("first");

    FetchResult result = fetcher.fetch(cached("/dist/app.tgz"), first, FetchProgress.NONE);
    fetcher.fetch(cached("/dist/app.tgz"), sandbox("second"), FetchProgress.NONE);

    assertFalse(result.cached());
    assertEquals(sha256(tgz), result.sha256());
    assertEquals(tree.expectCopied(), TestTree.snapshot(first), "private files with the archive's modes");
    assertEquals(2, server.gets("/dist/app.tgz"));
    assertEquals(List.of(), list(cacheDir.resolve("entries")));
    assertEquals(List.of(), list(cacheDir.resolve("staging")));
  }

  @Test
  void aFailedDownloadLeavesNoEntryAndNoStagingAndTheNextFetchSucceeds() throws Exception {
    TestTree tree = TestTree.sample();
    byte[] tgz = tree.tgz();
    server.status("/dist/app.tgz", 500);
    Fetcher fetcher = fetcher(1L << 30);
    Path sandbox = sandbox("sandbox");

    FetchException e = assertThrows(FetchException.class,
        () -> fetcher.fetch(cached("/dist/app.tgz"), sandbox, FetchProgress.NONE));

    assertTrue(e.getMessage().contains("500"), e.getMessage());
    assertEquals(List.of(), list(cacheDir.resolve("entries")));
    assertEquals(List.of(), list(cacheDir.resolve("staging")));
    assertEquals(List.of(), list(sandbox));

    server.serve("/dist/app.tgz", tgz);
    FetchResult result = fetcher.fetch(cached("/dist/app.tgz"), sandbox, FetchProgress.NONE);
    assertFalse(result.cached());
    assertEquals(tree.expectLinked(), TestTree.snapshot(sandbox));
  }

  @Test
  void aChecksumMismatchLeavesNoEntryAndNoStaging() throws Exception {
    TestTree tree = TestTree.sample();
    byte[] tgz = tree.tgz();
    server.serve("/dist/app.tgz", tgz);
    Fetcher fetcher = fetcher(1L << 30);
    Path sandbox = sandbox("sandbox");
    String wrong = "0123456789abcdef".repeat(4);

    FetchException e = assertThrows(FetchException.class,
        () -> fetcher.fetch(cached("/dist/app.tgz").withSha256(wrong), sandbox, FetchProgress.NONE));

    assertTrue(e.getMessage().contains(wrong) && e.getMessage().contains(sha256(tgz)), e.getMessage());
    assertEquals(List.of(), list(cacheDir.resolve("entries")));
    assertEquals(List.of(), list(cacheDir.resolve("staging")));
    assertEquals(List.of(), list(sandbox));

    FetchResult result = fetcher.fetch(cached("/dist/app.tgz").withSha256(sha256(tgz)), sandbox,
        FetchProgress.NONE);
    assertEquals(sha256(tgz), result.sha256());
    assertEquals(tree.expectLinked(), TestTree.snapshot(sandbox));
  }

  @Test
  void usersAndExpectedChecksumsGetTheirOwnEntries() throws Exception {
    byte[] data = TestTree.random(1_000, 5);
    server.serve("/data.bin", data);
    Fetcher fetcher = fetcher(1L << 30);

    assertFalse(fetcher.fetch(cached("/data.bin").withUser("alice"), sandbox("a1"), FetchProgress.NONE).cached());
    assertFalse(fetcher.fetch(cached("/data.bin").withUser("bob"), sandbox("b1"), FetchProgress.NONE).cached());
    assertTrue(fetcher.fetch(cached("/data.bin").withUser("alice"), sandbox("a2"), FetchProgress.NONE).cached());
    assertEquals(2, server.gets("/data.bin"));
    assertEquals(2, list(cacheDir.resolve("entries")).size());
    assertFalse(Files.isSameFile(tmp.resolve("a1/data.bin"), tmp.resolve("b1/data.bin")));

    assertFalse(fetcher.fetch(cached("/data.bin").withUser("alice").withSha256(sha256(data)), sandbox("a3"),
        FetchProgress.NONE).cached());
    assertTrue(fetcher.fetch(cached("/data.bin").withUser("alice").withSha256(sha256(data)), sandbox("a4"),
        FetchProgress.NONE).cached());
    assertEquals(3, server.gets("/data.bin"));
    assertEquals(3, list(cacheDir.resolve("entries")).size());
  }

  @Test
  void credentialsArePartOfTheKeyButNeverStored() throws Exception {
    byte[] data = TestTree.random(1_000, 9);
    server.serve("/private/data.bin", data);
    Fetcher fetcher = fetcher(1L << 30);
    String withSecret = server.url("/private/data.bin").replace("http://", "http://deploy:s3cr3t-pw@");
    String otherSecret = server.url("/private/data.bin").replace("http://", "http://deploy:0ther-pw@");

    FetchResult result = fetcher.fetch(FetchRequest.of(withSecret).withCache(true), sandbox("one"),
        FetchProgress.NONE);
    fetcher.fetch(FetchRequest.of(otherSecret).withCache(true), sandbox("two"), FetchProgress.NONE);

    assertEquals(server.url("/private/data.bin"), result.uri());
    assertEquals(2, server.gets("/private/data.bin"));
    try (Stream<Path> files = Files.walk(cacheDir)) {
      for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertFalse(content.contains("s3cr3t-pw") || content.contains("0ther-pw"), file.toString());
        assertFalse(file.toString().contains("s3cr3t-pw"), file.toString());
      }
    }
  }

  @Test
  void whatACrashedFillLeftIsCleanedUp() throws Exception {
    TestTree tree = TestTree.sample();
    byte[] tgz = tree.tgz();
    server.serve("/dist/app.tgz", tgz);
    Fetcher fetcher = fetcher(1L << 30);
    String key = CacheKey.of(cached("/dist/app.tgz"), null);
    // a fill that died half-way, and an entry directory without its properties
    Path stale = Files.createDirectories(cacheDir.resolve("staging").resolve(key + ".12345").resolve("tree-TAR_GZIP/app"));
    Files.write(stale.resolve("half"), new byte[100]);
    Files.setAttribute(stale, "unix:mode", 0555);
    Path broken = Files.createDirectories(cacheDir.resolve("entries").resolve(key).resolve("tree-TAR_GZIP"));
    Files.write(broken.resolve("junk"), new byte[10]);

    Path sandbox = sandbox("sandbox");
    FetchResult result = fetcher.fetch(cached("/dist/app.tgz"), sandbox, FetchProgress.NONE);

    assertFalse(result.cached());
    assertEquals(tree.expectLinked(), TestTree.snapshot(sandbox));
    assertEquals(List.of(), list(cacheDir.resolve("staging")));
    assertEquals(List.of(), list(cacheDir.resolve("trash")));
    assertFalse(Files.exists(cacheDir.resolve("entries").resolve(key).resolve("tree-TAR_GZIP/junk")));
    assertTrue(fetcher.fetch(cached("/dist/app.tgz"), sandbox("again"), FetchProgress.NONE).cached());
  }

  @Test
  void concurrentFetchesInOneProcessDownloadOnce() throws Exception {
    TestTree tree = TestTree.sample();
    byte[] tgz = tree.tgz();
    int fetches = 8;
    CountDownLatch othersWaiting = new CountDownLatch(fetches - 1);
    server.serve("/dist/app.tgz", tgz).holdFirst("/dist/app.tgz", othersWaiting, Duration.ofSeconds(20), null);
    Fetcher one = fetcher(1L << 30);
    Fetcher two = fetcher(1L << 30); // two fetchers of one JVM share the in-JVM half of the locks
    ExecutorService pool = Executors.newFixedThreadPool(fetches);
    List<Future<FetchResult>> results = new ArrayList<>();
    List<Path> sandboxes = new ArrayList<>();
    try {
      for (int i = 0; i < fetches; i++) {
        Path sandbox = sandbox("sandbox" + i);
        sandboxes.add(sandbox);
        Fetcher fetcher = i % 2 == 0 ? one : two;
        results.add(pool.submit(() -> fetcher.fetch(cached("/dist/app.tgz"), sandbox, new Waiting(othersWaiting))));
      }
      int downloaded = 0;
      for (Future<FetchResult> result : results) {
        downloaded += result.get(30, TimeUnit.SECONDS).cached() ? 0 : 1;
      }
      assertEquals(1, downloaded);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, othersWaiting.getCount(), "the others waited for the first");
    assertEquals(1, server.gets("/dist/app.tgz"));
    for (Path sandbox : sandboxes) {
      assertEquals(tree.expectLinked(), TestTree.snapshot(sandbox));
    }
  }

  @Test
  void aSandboxOnAnotherFileSystemGetsCopies() throws Exception {
    Path shm = Path.of("/dev/shm");
    Skips.require(Files.isDirectory(shm) && Files.isWritable(shm), "no writable /dev/shm: cannot test copies");
    Skips.require(!Files.getAttribute(shm, "unix:dev").equals(Files.getAttribute(tmp, "unix:dev")),
        "/dev/shm and the temporary directory are on one file system: nothing to test");
    TestTree tree = TestTree.sample();
    byte[] tgz = tree.tgz();
    server.serve("/dist/app.tgz", tgz);
    Fetcher fetcher = fetcher(1L << 30);
    Path first = Files.createTempDirectory(shm, "fetch-cache-test-");
    Path second = Files.createTempDirectory(shm, "fetch-cache-test-");
    try {
      assertFalse(fetcher.fetch(cached("/dist/app.tgz"), first, FetchProgress.NONE).cached());
      assertTrue(fetcher.fetch(cached("/dist/app.tgz"), second, FetchProgress.NONE).cached());

      for (Path sandbox : List.of(first, second)) {
        assertEquals(tree.expectCopied(), TestTree.snapshot(sandbox), "copies keep the archive's modes");
        for (String file : SAMPLE_FILES) {
          assertFalse(Files.isSameFile(cacheFile(file), sandbox.resolve(file)));
          assertEquals(TestTree.MTIME, Files.getLastModifiedTime(sandbox.resolve(file)));
        }
      }
      assertEquals(1, server.gets("/dist/app.tgz"));
    } finally {
      CacheFiles.deleteTree(first);
      CacheFiles.deleteTree(second);
    }
  }

  @Test
  void aNameTakenInTheSandboxFailsTheMaterialisationButKeepsTheEntry() throws Exception {
    TestTree tree = TestTree.sample();
    server.serve("/dist/app.tgz", tree.tgz());
    Fetcher fetcher = fetcher(1L << 30);
    Path busy = sandbox("busy");
    Files.writeString(busy.resolve("README"), "mine");

    FetchException e = assertThrows(FetchException.class,
        () -> fetcher.fetch(cached("/dist/app.tgz"), busy, FetchProgress.NONE));

    assertTrue(e.getMessage().contains("'README' already exists in the sandbox"), e.getMessage());
    assertEquals(List.of("README"), list(busy));
    assertEquals("mine", Files.readString(busy.resolve("README")));
    Path free = sandbox("free");
    assertTrue(fetcher.fetch(cached("/dist/app.tgz"), free, FetchProgress.NONE).cached());
    assertEquals(tree.expectLinked(), TestTree.snapshot(free));
  }

  @Test
  void aCacheThatCannotBeUsedIsBypassed() throws Exception {
    TestTree tree = TestTree.sample();
    server.serve("/dist/app.tgz", tree.tgz());
    Files.writeString(cacheDir, "a file where the cache directory should be");
    Fetcher fetcher = fetcher(1L << 30);
    Path sandbox = sandbox("sandbox");
    List<String> reasons = new ArrayList<>();
    FetchProgress listener = new Waiting(new CountDownLatch(0)) {
      @Override
      public void bypassing(String uri, String reason) {
        reasons.add(reason);
      }
    };

    FetchResult result = fetcher.fetch(cached("/dist/app.tgz"), sandbox, listener);

    assertFalse(result.cached());
    assertEquals(tree.expectCopied(), TestTree.snapshot(sandbox), "fetched directly");
    assertEquals(1, reasons.size());
    assertTrue(reasons.get(0).startsWith("cannot use the cache directory"), reasons.get(0));
  }

  /** Counts down when the cache reports that this fetch waits for another one. */
  private static class Waiting implements FetchProgress, CacheEvents {
    private final CountDownLatch latch;

    Waiting(CountDownLatch latch) {
      this.latch = latch;
    }

    @Override
    public void onProgress(String uri, long bytes, long totalOrMinus1) {
    }

    @Override
    public void waiting(String uri) {
      latch.countDown();
    }
  }

  private Fetcher fetcher(long maxBytes) {
    Fetcher fetcher = new Fetcher(FetcherOptions.DEFAULTS.withCacheDirectory(cacheDir).withCacheMaxBytes(maxBytes)
        .withMaxAttempts(1).withReadTimeout(Duration.ofSeconds(30)));
    fetchers.add(fetcher);
    return fetcher;
  }

  private FetchRequest cached(String path) {
    return FetchRequest.of(server.url(path)).withCache(true);
  }

  private Path sandbox(String name) throws IOException {
    return Files.createDirectory(tmp.resolve(name));
  }

  /** The file {@code relative} of the (only) extracted tree in the cache. */
  private Path cacheFile(String relative) throws IOException {
    List<String> entries = list(cacheDir.resolve("entries"));
    assertEquals(1, entries.size(), "entries: " + entries);
    return cacheDir.resolve("entries").resolve(entries.get(0)).resolve("tree-TAR_GZIP").resolve(relative);
  }

  /** The kept archive of the (only) entry. */
  private Path archive() throws IOException {
    List<String> entries = list(cacheDir.resolve("entries"));
    assertEquals(1, entries.size(), "entries: " + entries);
    return cacheDir.resolve("entries").resolve(entries.get(0)).resolve("archive");
  }

  static List<String> list(Path dir) {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int mode(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

}
