package io.github.sparkmesos.tools.bench;

import io.github.sparkmesos.executor.runtime.LogRotation;
import io.github.sparkmesos.executor.runtime.ProcessRuntime;
import io.github.sparkmesos.executor.runtime.RunningTask;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ExitStatus;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The log benchmark of issue 10: the same program, {@code seq 1 N} writing about 1 GiB of numbered lines to
 * its stdout, run alternately redirected to a file (a child whose stdout is the file: the executor's path
 * without rotation) and through the process runtime with rotation (a pipe, a copier thread, rotating files),
 * each timed from its start to its last byte on disk; prints both medians and the speed ratio (file time /
 * rotating time), which the issue wants at 0.90 or more, and checks what rotation left.
 */
public final class LogBenchmark {

  private LogBenchmark() {}

  public static int run(List<String> args) throws Exception {
    int runs = 5;
    long bytes = 1L << 30;
    LogRotation rotation = new LogRotation(64L << 20, 4);
    Path work = Path.of("build/bench/logs");
    for (int i = 0; i < args.size(); i++) {
      String value = i + 1 < args.size() ? args.get(i + 1) : null;
      switch (args.get(i)) {
        case "--runs" -> runs = Integer.parseInt(require(value, "--runs"));
        case "--bytes" -> bytes = Long.parseLong(require(value, "--bytes"));
        case "--work" -> work = Path.of(require(value, "--work"));
        case "--max-size" -> rotation = new LogRotation(Long.parseLong(require(value, "--max-size")),
            rotation.maxFiles());
        case "--max-files" -> rotation = new LogRotation(rotation.maxSize(),
            Integer.parseInt(require(value, "--max-files")));
        default -> throw new IllegalArgumentException("unknown bench-logs option '" + args.get(i) + "'");
      }
      i++;
    }
    long lines = linesFor(bytes);
    long total = bytesOf(lines);
    List<String> argv = List.of("seq", "1", String.valueOf(lines));
    Map<String, String> env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin");
    System.out.printf("bench-logs: seq 1 %d (%d bytes), %d runs each, alternating; rotation %s; in %s%n",
        lines, total, runs, rotation, work.toAbsolutePath());
    Samples file = new Samples();
    Samples rotated = new Samples();
    long rssBefore = rssKib();
    for (int run = 0; run < runs; run++) {
      for (int which = 0; which < 2; which++) { // alternating which goes first, so neither always follows
        boolean rotating = (which == 0) == (run % 2 == 0);
        Path dir = fresh(work.resolve(rotating ? "rotated" : "file"));
        long start = System.nanoTime();
        if (rotating) {
          RunningTask task = new ProcessRuntime(env, rotation).start(plan(dir, argv));
          check(task.exit().get(10, TimeUnit.MINUTES));
          task.allGone().get(10, TimeUnit.MINUTES);
        } else {
          ChildProcess child = ProcessLauncher.spawn(ProcessSpec.of(argv, env, dir)
              .withOutput(dir.resolve("stdout"), dir.resolve("stderr")));
          check(child.onExit().get(10, TimeUnit.MINUTES));
          child.onGroupGone().get(10, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        (rotating ? rotated : file).add(seconds);
        verify(dir, rotating ? rotation : null, lines, total);
        System.out.printf("  run %d %-28s %6.2f s  %6.0f MB/s%n", run + 1,
            rotating ? "through the rotating path" : "redirected to a file", seconds, total / seconds / 1e6);
      }
    }
    double ratio = file.median() / rotated.median();
    System.out.printf("redirected to a file:      median %.2f s, p90 %.2f s%n", file.median(), file.p90());
    System.out.printf("through the rotating path: median %.2f s, p90 %.2f s%n", rotated.median(), rotated.p90());
    System.out.printf("speed ratio (file / rotating): %.2f   target >= 0.90: %s%n", ratio,
        ratio >= 0.90 ? "met" : "NOT met");
    System.out.printf("this JVM's resident set: %d MiB before, %d MiB after%n", rssBefore >> 10, rssKib() >> 10);
    fresh(work);
    return 0;
  }

  private static String require(String value, String option) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  private static LaunchPlan plan(Path dir, List<String> argv) {
    return new LaunchPlan("bench-logs", dir, false, List.of(), argv, Map.of(), Optional.empty(),
        LaunchPlan.Containerizer.MESOS, List.of(), List.of(), List.of(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Set.of(), List.of(), LaunchPlan.Resources.NONE, false, List.of(), Map.of(), Optional.empty());
  }

  private static void check(ExitStatus exit) {
    if (!exit.equals(ExitStatus.exited(0))) {
      throw new IllegalStateException("seq ended with " + exit);
    }
  }

  /** The file holds every byte; rotated files are within their bounds and end with the last line. */
  private static void verify(Path dir, LogRotation rotation, long lines, long total) throws IOException {
    Path stdout = dir.resolve("stdout");
    if (rotation == null) {
      if (Files.size(stdout) != total) {
        throw new IllegalStateException(stdout + " holds " + Files.size(stdout) + " bytes, not " + total);
      }
      return;
    }
    long onDisk = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("stdout")).toList()) {
        long size = Files.size(f);
        if (size > rotation.maxSize()) {
          throw new IllegalStateException(f + " holds " + size + " bytes, more than " + rotation.maxSize());
        }
        onDisk += size;
      }
    }
    if (onDisk > rotation.maxSize() * rotation.maxFiles()) {
      throw new IllegalStateException(onDisk + " bytes of stdout on disk");
    }
    String end = lines + "\n";
    try (RandomAccessFile in = new RandomAccessFile(stdout.toFile(), "r")) {
      byte[] tail = new byte[end.length() + 1];
      in.seek(in.length() - tail.length);
      in.readFully(tail);
      if (!new String(tail, java.nio.charset.StandardCharsets.US_ASCII).equals("\n" + end)) {
        throw new IllegalStateException(stdout + " does not end with the last line, " + lines);
      }
    }
  }

  /** The bytes {@code seq 1 n} writes. */
  static long bytesOf(long n) {
    long total = 0;
    long low = 1;
    for (int digits = 1; low <= n; digits++, low *= 10) {
      long high = Math.min(n, low * 10 - 1);
      total += (high - low + 1) * (digits + 1);
    }
    return total;
  }

  /** The smallest n for which {@code seq 1 n} writes at least {@code bytes}. */
  static long linesFor(long bytes) {
    long lo = 1;
    long hi = bytes;
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (bytesOf(mid) >= bytes) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  private static Path fresh(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(dir);
  }

  private static long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }
}
