package io.github.sparkmesos.tools.bench;

import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.fetcher.FetchException;
import io.github.sparkmesos.fetcher.FetchRequest;
import io.github.sparkmesos.fetcher.FetchResult;
import io.github.sparkmesos.fetcher.Fetcher;
import io.github.sparkmesos.fetcher.FetcherOptions;
import io.github.sparkmesos.os.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code spark-mesos-executor bench-fetch URL [--runs N] [--work DIR]}: times, in one run and against
 * the same server, a cold fetch+extract through the fetcher (cache filled on the way), a cached relaunch
 * into a fresh sandbox, {@code curl -s URL | tar xz} and {@code curl -s URL | gzip -dc > /dev/null},
 * and prints their medians and ratios. bench/fetch-benchmark.sh starts nginx and calls it.
 */
public final class FetchBenchmark {

  private FetchBenchmark() {}

  public static int run(List<String> args) throws IOException, InterruptedException, FetchException {
    Log.component("bench");
    if (args.isEmpty()) {
      System.err.println("usage: spark-mesos-executor bench-fetch URL [--runs N] [--work DIR]");
      return 2;
    }
    String url = args.get(0);
    int runs = 5;
    Path work = Files.createTempDirectory("fetch-bench-");
    for (int i = 1; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--runs" -> runs = Integer.parseInt(args.get(++i));
        case "--work" -> work = Path.of(args.get(++i));
        default -> throw new IllegalArgumentException("unknown option " + args.get(i));
      }
    }
    Files.createDirectories(work);
    List<Long> cold = new ArrayList<>();
    List<Long> warm = new ArrayList<>();
    List<Long> curlTar = new ArrayList<>();
    List<Long> curlGunzip = new ArrayList<>();
    long size = 0;
    // one round first, not counted: class loading and JIT of the fetcher, the server's first read
    for (int round = 0; round <= runs; round++) {
      Path dir = Files.createDirectories(work.resolve("round-" + round));
      long t = shell(dir, "curl -s -f '" + url + "' | tar xzf - -C tar");
      long g = shell(dir, "curl -s -f '" + url + "' | gzip -dc > /dev/null");
      Path cache = dir.resolve("cache");
      try (Fetcher fetcher = new Fetcher(FetcherOptions.DEFAULTS.withCacheDirectory(cache))) {
        FetchRequest request = FetchRequest.of(url).withCache(true);
        long c0 = System.nanoTime();
        FetchResult first = fetcher.fetch(request, Files.createDirectories(dir.resolve("cold")), null);
        long c = System.nanoTime() - c0;
        long w0 = System.nanoTime();
        FetchResult second = fetcher.fetch(request, Files.createDirectories(dir.resolve("warm")), null);
        long w = System.nanoTime() - w0;
        if (first.cached() || !second.cached()) {
          throw new IllegalStateException("expected a cold fetch then a cache hit, got cached=" + first.cached()
              + "," + second.cached());
        }
        size = first.bytes();
        if (round > 0) {
          cold.add(c);
          warm.add(w);
          curlTar.add(t);
          curlGunzip.add(g);
        }
        System.out.printf("round %d%s: curl|tar %d ms, curl|gzip -dc %d ms, cold fetch %d ms, cached %d ms%n", round,
            round == 0 ? " (warm-up, not counted)" : "", t / 1_000_000, g / 1_000_000, c / 1_000_000, w / 1_000_000);
      }
      Command.run(work, "rm", "-rf", dir.toString());
    }
    double mCold = median(cold);
    double mWarm = median(warm);
    double mTar = median(curlTar);
    double mGunzip = median(curlGunzip);
    System.out.printf("%nfetch benchmark: %s (%.1f MiB), %d runs, medians:%n", url, size / 1048576.0, runs);
    System.out.printf("  cold fetch + extract (fills the cache)  %8.0f ms%n", mCold / 1e6);
    System.out.printf("  cached relaunch into a fresh sandbox    %8.0f ms%n", mWarm / 1e6);
    System.out.printf("  curl -s URL | tar xz                    %8.0f ms%n", mTar / 1e6);
    System.out.printf("  curl -s URL | gzip -dc > /dev/null      %8.0f ms%n", mGunzip / 1e6);
    System.out.printf("  ratio cold / (curl | tar xz)            %8.2f   (must be <= 1.00)%n", mCold / mTar);
    System.out.printf("  ratio cached / cold                     %8.3f   (must be <= 0.05)%n", mWarm / mCold);
    System.out.printf("  ratio cold / (curl | gzip -dc)          %8.2f%n", mCold / mGunzip);
    return 0;
  }

  private static long shell(Path dir, String pipeline) throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("tar"));
    long t0 = System.nanoTime();
    Command.Completed done = Command.run(List.of("/bin/sh", "-c", "set -e; " + pipeline),
        Map.of("PATH", "/usr/local/bin:/usr/bin:/bin"), dir, Duration.ofMinutes(10));
    long elapsed = System.nanoTime() - t0;
    if (!done.status().isSuccess()) {
      throw new IOException("'" + pipeline + "' " + done.status().describe() + ": " + done.stderr());
    }
    return elapsed;
  }

  private static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }
}
