package io.github.sparkmesos.fetcher.cli;

import io.github.sparkmesos.fetcher.FetchException;
import io.github.sparkmesos.fetcher.FetchProgress;
import io.github.sparkmesos.fetcher.FetchRequest;
import io.github.sparkmesos.fetcher.FetchResult;
import io.github.sparkmesos.fetcher.ProgressText;
import io.github.sparkmesos.fetcher.Fetcher;
import io.github.sparkmesos.fetcher.FetcherOptions;
import io.github.sparkmesos.fetcher.internal.cache.CacheEvents;
import io.github.sparkmesos.fetcher.internal.cache.CacheFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code fetch [--sandbox DIR] [--cache DIR] [--sha256 HEX] URI...}: fetches URIs into a sandbox (the
 * current directory by default), through the node's fetch cache with {@code --cache}.
 *
 * <p>While fetching, a progress line about once a second on stderr; at the end, one line per URI on stdout:
 * {@code Fetched <uri> (<size>, sha256 <hex>) in <ms> ms from <source|cache>} (see {@link ProgressText}). Exit status 0, or 1
 * with the reason on stderr; after a failure, whatever this run had put into the sandbox is removed again.
 * URIs are fetched one after the other, in the order given.
 */
public final class FetchCommand {

  static final String USAGE = "usage: fetch [--sandbox DIR] [--cache DIR] [--sha256 HEX] URI...";
  private static final String HELP = USAGE + "\n"
      + "  --sandbox DIR  where to put the files (default: the current directory); it must exist\n"
      + "  --cache DIR    use the node's fetch cache in DIR for every URI (created if missing)\n"
      + "  --sha256 HEX   the expected SHA-256 of the resource (only with a single URI)\n"
      + "URIs: http(s)://..., file:///path or /path. Archives (.tar, .tgz, .tar.gz, .tar.bz2, .tar.xz, .zip)\n"
      + "are extracted, a .gz is decompressed, anything else is copied.";

  private FetchCommand() {
  }

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  /**
   * Runs the command. {@code args} are the arguments after the command name (a leading {@code fetch} is
   * accepted too).
   *
   * @return the exit status: 0 if every URI was fetched, else 1
   */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    Arguments arguments;
    try {
      arguments = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("fetch: " + e.getMessage());
      err.println(USAGE);
      return 1;
    }
    if (arguments.help) {
      out.println(HELP);
      return 0;
    }
    FetcherOptions options = FetcherOptions.DEFAULTS;
    if (arguments.cache != null) {
      options = options.withCacheDirectory(arguments.cache);
    }
    Set<Path> before = list(arguments.sandbox);
    List<String> lines = new ArrayList<>();
    try (Fetcher fetcher = new Fetcher(options); Progress progress = new Progress(err)) {
      for (String uri : arguments.uris) {
        FetchRequest request = FetchRequest.of(uri).withCache(arguments.cache != null)
            .withSha256(arguments.sha256);
        progress.start();
        FetchResult result;
        try {
          result = fetcher.fetch(request, arguments.sandbox, progress);
        } finally {
          progress.stop();
        }
        lines.add(ProgressText.fetched(result));
      }
    } catch (FetchException e) {
      err.println(e.getMessage());
      removeNew(arguments.sandbox, before, err);
      return 1;
    } catch (IllegalArgumentException e) {
      err.println("fetch: " + e.getMessage());
      removeNew(arguments.sandbox, before, err);
      return 1;
    } catch (RuntimeException e) {
      err.println("fetch: unexpected failure: " + e);
      removeNew(arguments.sandbox, before, err);
      return 1;
    }
    lines.forEach(out::println);
    out.flush();
    return 0;
  }

  /** The parsed command line. */
  private static final class Arguments {
    Path sandbox;
    Path cache;
    String sha256;
    boolean help;
    final List<String> uris = new ArrayList<>();

    static Arguments parse(List<String> args) {
      Arguments a = new Arguments();
      String sandbox = null;
      int i = 0;
      if (!args.isEmpty() && args.get(0).equals("fetch")) {
        i = 1;
      }
      boolean options = true;
      for (; i < args.size(); i++) {
        String arg = args.get(i);
        if (options && arg.equals("--")) {
          options = false;
        } else if (options && (arg.equals("-h") || arg.equals("--help"))) {
          a.help = true;
        } else if (options && arg.startsWith("--")) {
          int eq = arg.indexOf('=');
          String name = eq < 0 ? arg : arg.substring(0, eq);
          String value;
          if (eq >= 0) {
            value = arg.substring(eq + 1);
          } else if (i + 1 < args.size()) {
            value = args.get(++i);
          } else {
            throw new IllegalArgumentException(name + " needs a value");
          }
          switch (name) {
            case "--sandbox" -> sandbox = value;
            case "--cache" -> a.cache = path(value, name);
            case "--sha256" -> {
              if (!value.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("--sha256 needs 64 hexadecimal digits, got '"
                    + value + "'");
              }
              a.sha256 = value.toLowerCase(Locale.ROOT);
            }
            default -> throw new IllegalArgumentException("unknown option " + name);
          }
        } else {
          if (arg.isBlank()) {
            throw new IllegalArgumentException("an empty URI");
          }
          a.uris.add(arg);
        }
      }
      if (a.help) {
        return a;
      }
      if (a.uris.isEmpty()) {
        throw new IllegalArgumentException("no URI given");
      }
      if (a.sha256 != null && a.uris.size() > 1) {
        throw new IllegalArgumentException("--sha256 applies to a single URI, got " + a.uris.size());
      }
      a.sandbox = (sandbox == null ? Path.of("") : path(sandbox, "--sandbox")).toAbsolutePath().normalize();
      return a;
    }

    private static Path path(String value, String option) {
      if (value.isEmpty()) {
        throw new IllegalArgumentException(option + " needs a directory");
      }
      try {
        return Path.of(value);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(option + ": invalid path '" + value + "'");
      }
    }
  }

  /**
   * Progress on stderr: the cache's events when they happen, and the state of the current fetch about once
   * a second (bytes so far, or how long it has been waiting for another fetch of the same URI).
   */
  private static final class Progress implements FetchProgress, CacheEvents, AutoCloseable {

    private final PrintStream err;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fetch-progress");
      t.setDaemon(true);
      return t;
    });
    private String uri; // guarded by this
    private long bytes = -1; // guarded by this
    private long total = -1; // guarded by this
    private long waitingSince = -1; // guarded by this
    private boolean active; // guarded by this
    private long startedNanos; // guarded by this

    Progress(PrintStream err) {
      this.err = err;
      ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    synchronized void start() {
      uri = null;
      bytes = -1;
      total = -1;
      waitingSince = -1;
      startedNanos = System.nanoTime();
      active = true;
    }

    synchronized void stop() {
      active = false;
    }

    @Override
    public synchronized void onProgress(String uri, long bytes, long totalOrMinus1) {
      this.uri = uri;
      this.bytes = bytes;
      this.total = totalOrMinus1;
      this.waitingSince = -1;
    }

    @Override
    public synchronized void waiting(String uri) {
      this.uri = uri;
      this.waitingSince = System.nanoTime();
      err.println("Waiting for " + uri + ": another fetch on this node is fetching it into the cache");
    }

    @Override
    public synchronized void bypassing(String uri, String reason) {
      err.println("Not using the cache for " + uri + ": " + reason);
    }

    private synchronized void tick() {
      if (!active || uri == null) {
        return;
      }
      if (waitingSince >= 0) {
        err.println("Waiting for " + uri + " ("
            + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - waitingSince) + " s)");
      } else if (bytes >= 0) {
        err.println("Fetching " + ProgressText.progress(uri, bytes, total,
            java.time.Duration.ofNanos(System.nanoTime() - startedNanos)));
      }
    }

    @Override
    public void close() {
      ticker.shutdownNow();
    }
  }

  private static Set<Path> list(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.collect(Collectors.toCollection(HashSet::new));
    } catch (IOException e) {
      return null; // the fetch reports the problem with the sandbox
    }
  }

  /** After a failure: removes what this run added to the sandbox (top-level names that were not there). */
  private static void removeNew(Path sandbox, Set<Path> before, PrintStream err) {
    if (before == null) {
      return;
    }
    Set<Path> now = list(sandbox);
    if (now == null) {
      return;
    }
    List<Path> added = now.stream().filter(p -> !before.contains(p)).sorted().collect(Collectors.toList());
    for (Path path : added) {
      CacheFiles.deleteTree(path);
    }
    if (!added.isEmpty()) {
      err.println("fetch: removed what this run had fetched: " + added.stream()
          .map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")));
    }
  }
}
