package io.github.sparkmesos.fetcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.fetcher.internal.cache.CacheServer;
import io.github.sparkmesos.fetcher.internal.cache.TestTree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code fetch} command line, run in this JVM. */
@Timeout(60)
class FetchCommandTest {

  @TempDir
  Path tmp;
  Path sandbox;
  Path cache;
  CacheServer server;
  TestTree tree;
  byte[] tgz;

  @BeforeEach
  void setUp() throws IOException {
    sandbox = Files.createDirectory(tmp.resolve("sandbox"));
    cache = tmp.resolve("cache");
    server = new CacheServer();
    tree = TestTree.sample();
    tgz = tree.tgz();
    server.serve("/dist/app.tgz", tgz);
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  /** What a run printed and returned. */
  private record Run(int status, List<String> out, String err) {
  }

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
       PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = FetchCommand.run(List.of(args), o, e);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    return new Run(status, printed.isEmpty() ? List.of() : List.of(printed.split("\n")),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void printsOneLinePerUriFromTheSourceThenFromTheCache() throws Exception {
    String url = server.url("/dist/app.tgz");
    Path second = Files.createDirectory(tmp.resolve("second"));

    Run first = run("--sandbox", sandbox.toString(), "--cache", cache.toString(), url);
    Run again = run("fetch", "--sandbox", second.toString(), "--cache", cache.toString(), url);

    String prefix = "Fetched " + Pattern.quote(url) + " \\(" + Pattern.quote(io.github.sparkmesos.fetcher.ProgressText.size(tgz.length))
        + ", sha256 " + TestTree.sha256(tgz) + "\\) in \\d+ ms from ";
    assertEquals(0, first.status(), first.err());
    assertEquals(1, first.out().size(), first.out().toString());
    assertTrue(first.out().get(0).matches(prefix + "source"), first.out().get(0));
    assertEquals(0, again.status(), again.err());
    assertTrue(again.out().get(0).matches(prefix + "cache"), again.out().get(0));
    assertEquals(tree.expectLinked(), TestTree.snapshot(sandbox));
    assertEquals(tree.expectLinked(), TestTree.snapshot(second));
    assertEquals(1, server.gets("/dist/app.tgz"));
  }

  @Test
  void withoutACacheEveryUriComesFromTheSource() throws Exception {
    byte[] data = TestTree.random(3_000, 1);
    server.serve("/files/data.bin", data);

    Run run = run("--sandbox", sandbox.toString(), server.url("/dist/app.tgz"), server.url("/files/data.bin"));

    assertEquals(0, run.status(), run.err());
    assertEquals(2, run.out().size(), run.out().toString());
    assertTrue(run.out().get(0).matches("Fetched " + Pattern.quote(server.url("/dist/app.tgz")) + " \\("
        + Pattern.quote(io.github.sparkmesos.fetcher.ProgressText.size(tgz.length)) + ", sha256 " + TestTree.sha256(tgz)
        + "\\) in \\d+ ms from source"), run.out().get(0));
    assertTrue(run.out().get(1).matches("Fetched " + Pattern.quote(server.url("/files/data.bin"))
        + " \\(2\\.9 KiB, sha256 " + TestTree.sha256(data) + "\\) in \\d+ ms from source"),
        run.out().get(1));
    assertEquals(tree.expectCopied(), TestTree.snapshot(sandbox).entrySet().stream()
        .filter(e -> !e.getKey().equals("data.bin"))
        .collect(Collectors.toMap(e -> e.getKey(), e -> e.getValue(), (a, b) -> a, java.util.TreeMap::new)));
    assertTrue(Files.exists(sandbox.resolve("data.bin")));
  }

  @Test
  void aFailureExitsWithOneAndTheReason() {
    String url = server.url("/missing.tgz");

    Run run = run("--sandbox", sandbox.toString(), "--cache", cache.toString(), url);

    assertEquals(1, run.status());
    assertEquals(List.of(), run.out());
    assertTrue(run.err().contains("Failed to fetch '" + url + "': HTTP 404"), run.err());
    assertEquals(List.of(), names(sandbox));
  }

  @Test
  void aChecksumMismatchExitsWithOneAndShowsBothSums() {
    String wrong = "ab".repeat(32);

    Run run = run("--sandbox", sandbox.toString(), "--cache", cache.toString(), "--sha256", wrong,
        server.url("/dist/app.tgz"));

    assertEquals(1, run.status());
    assertEquals(List.of(), run.out());
    assertTrue(run.err().contains(wrong) && run.err().contains(TestTree.sha256(tgz)), run.err());
    assertEquals(List.of(), names(sandbox));
    assertEquals(List.of(), names(cache.resolve("entries")));
  }

  @Test
  void aFailureRemovesWhatTheRunFetchedBefore() {
    Run run = run("--sandbox", sandbox.toString(), server.url("/dist/app.tgz"), server.url("/missing.bin"));

    assertEquals(1, run.status());
    assertEquals(List.of(), run.out());
    assertTrue(run.err().contains("Failed to fetch '" + server.url("/missing.bin") + "': HTTP 404"), run.err());
    assertEquals(List.of(), names(sandbox), run.err());
  }

  @Test
  void badCommandLinesExitWithOneAndTheUsage() throws IOException {
    for (List<String> args : List.of(List.<String>of(), List.of("--sandbox"), List.of("--frobnicate", "x"),
        List.of("--sha256", "xyz", "/some/file"), List.of("--sha256", "ab".repeat(32), "/a", "/b"))) {
      Run run = run(args.toArray(new String[0]));
      assertEquals(1, run.status(), args.toString());
      assertTrue(run.err().startsWith("fetch: ") && run.err().contains(FetchCommand.USAGE), run.err());
    }
    Run missingSandbox = run("--sandbox", tmp.resolve("nowhere").toString(), server.url("/dist/app.tgz"));
    assertEquals(1, missingSandbox.status());
    assertTrue(missingSandbox.err().contains("does not exist"), missingSandbox.err());
    Run help = run("--help");
    assertEquals(0, help.status());
    assertTrue(help.out().get(0).equals(FetchCommand.USAGE));
  }

  private static List<String> names(Path dir) {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toCollection(ArrayList::new));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
