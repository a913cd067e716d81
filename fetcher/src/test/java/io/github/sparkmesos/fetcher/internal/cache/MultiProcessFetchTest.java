package io.github.sparkmesos.fetcher.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.fetcher.cli.FetchCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight executors on one node (eight JVMs running the fetch command) ask for one uncached URI at the same
 * time: the server holds the first response until the seven others report that they wait for the entry's
 * lock (bounded), so the fetches really overlap; exactly one download happens.
 */
class MultiProcessFetchTest {

  private static final int PROCESSES = 8;

  @TempDir
  Path tmp;

  @Test
  @Timeout(180)
  void eightProcessesFetchingOneUriDownloadItOnce() throws Exception {
    TestTree tree = TestTree.sample();
    byte[] tgz = tree.tgz();
    Path cache = tmp.resolve("cache");
    CountDownLatch othersWaiting = new CountDownLatch(PROCESSES - 1);
    List<Process> processes = new ArrayList<>();
    List<Path> sandboxes = new ArrayList<>();
    List<List<String>> stdout = new ArrayList<>();
    List<List<String>> stderr = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    try (CacheServer server = new CacheServer()) {
      server.serve("/dist/app.tgz", tgz).holdFirst("/dist/app.tgz", othersWaiting, Duration.ofSeconds(90), null);
      String url = server.url("/dist/app.tgz");
      for (int i = 0; i < PROCESSES; i++) {
        Path sandbox = Files.createDirectory(tmp.resolve("sandbox" + i));
        sandboxes.add(sandbox);
        Process process = new ProcessBuilder(javaCommand(FetchCommand.class.getName(), "--cache", cache.toString(),
            "--sandbox", sandbox.toString(), url)).start();
        processes.add(process);
        List<String> out = new CopyOnWriteArrayList<>();
        List<String> err = new CopyOnWriteArrayList<>();
        stdout.add(out);
        stderr.add(err);
        readers.add(drain(process.inputReader(), out, null));
        readers.add(drain(process.errorReader(), err, othersWaiting));
      }
      for (Process process : processes) {
        assertTrue(process.waitFor(150, TimeUnit.SECONDS), "a fetch process did not finish");
      }
      for (Thread reader : readers) {
        reader.join(TimeUnit.SECONDS.toMillis(10));
      }

      Pattern line = Pattern.compile("Fetched " + Pattern.quote(url) + " \\(\\S+ \\S+, sha256 "
          + TestTree.sha256(tgz) + "\\) in \\d+ ms from (source|cache)");
      int fromSource = 0;
      for (int i = 0; i < PROCESSES; i++) {
        String context = "process " + i + ": stdout " + stdout.get(i) + ", stderr " + stderr.get(i);
        assertEquals(0, processes.get(i).exitValue(), context);
        assertEquals(1, stdout.get(i).size(), context);
        assertTrue(line.matcher(stdout.get(i).get(0)).matches(), context);
        fromSource += stdout.get(i).get(0).endsWith("from source") ? 1 : 0;
        assertEquals(tree.expectLinked(), TestTree.snapshot(sandboxes.get(i)), context);
      }
      assertEquals(0, othersWaiting.getCount(), "seven fetches waited for the first: stderr " + stderr);
      assertEquals(1, server.gets("/dist/app.tgz"), "one download");
      assertEquals(1, fromSource);
    } finally {
      processes.forEach(Process::destroyForcibly);
    }
  }

  /** {@code java -cp <the test class path> <main> <args>}, a quickly starting small JVM. */
  static List<String> javaCommand(String main, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-cp",
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), main));
    command.addAll(List.of(args));
    return command;
  }

  /** Reads lines into {@code lines}; the first "Waiting for" line counts {@code waiting} down once. */
  private static Thread drain(BufferedReader reader, List<String> lines, CountDownLatch waiting) {
    Thread thread = new Thread(() -> {
      boolean counted = false;
      try (reader) {
        String line;
        while ((line = reader.readLine()) != null) {
          lines.add(line);
          if (waiting != null && !counted && line.startsWith("Waiting for ")) {
            counted = true;
            waiting.countDown();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "fetch-process-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
