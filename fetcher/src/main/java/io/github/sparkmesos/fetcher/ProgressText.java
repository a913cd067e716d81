package io.github.sparkmesos.fetcher;

import io.github.sparkmesos.fetcher.internal.UriRedactor;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Human-readable progress of a fetch, for the sandbox's {@code stderr} and the {@code TASK_STARTING} message:
 *
 * <pre>
 * spark-3.5.9-bin-sme.tgz: 48.2 MiB of 161.1 MiB (30%) at 112.4 MiB/s, 1s left
 * Fetched https://repo/spark-3.5.9-bin-sme.tgz (161.1 MiB, sha256 9b23...38b5) in 1433 ms from source
 * </pre>
 *
 * Sizes are binary (KiB, MiB, GiB, TiB) with one decimal. URIs never show user information.
 */
public final class ProgressText {

  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private ProgressText() {
  }

  /**
   * One progress line: {@code <name>: <bytes> of <total> (<percent>) at <rate>, <time> left}. Without a total
   * ({@code total < 0}) there is no {@code of}, percentage or time left; without elapsed time, no rate.
   *
   * @param uri     the URI being fetched; its last path segment (without query or fragment) names it
   * @param bytes   bytes transferred so far
   * @param total   the announced size, or -1
   * @param elapsed time since the transfer started
   */
  public static String progress(String uri, long bytes, long total, Duration elapsed) {
    Objects.requireNonNull(elapsed, "elapsed");
    StringBuilder line = new StringBuilder(name(uri)).append(": ").append(size(bytes));
    if (total >= 0) {
      line.append(" of ").append(size(total)).append(" (").append(percent(bytes, total)).append("%)");
    }
    double seconds = elapsed.toNanos() / 1e9;
    if (seconds > 0 && bytes > 0) {
      double rate = bytes / seconds;
      line.append(" at ").append(size(rate)).append("/s");
      if (total > bytes) {
        line.append(", ").append(duration(Math.max(1, Math.round((total - bytes) / rate)))).append(" left");
      }
    }
    return line.toString();
  }

  /**
   * The line that ends a fetch: {@code Fetched <uri> (<size>, sha256 <hex>) in <ms> ms from <source|cache>}
   * (without the sha256 part when it is unknown).
   */
  public static String fetched(String uri, long bytes, String sha256, Duration elapsed, boolean cached) {
    return "Fetched " + UriRedactor.redact(uri) + " (" + size(bytes) + (sha256 == null ? "" : ", sha256 " + sha256)
        + ") in " + elapsed.toMillis() + " ms from " + (cached ? "cache" : "source");
  }

  /** {@link #fetched(String, long, String, Duration, boolean)} of a result. */
  public static String fetched(FetchResult result) {
    return fetched(result.uri(), result.bytes(), result.sha256(), result.elapsed(), result.cached());
  }

  /** {@code 512 B}, {@code 1.5 KiB}, {@code 161.1 MiB}. */
  public static String size(long bytes) {
    return size((double) bytes);
  }

  private static String size(double bytes) {
    if (bytes < 1024) {
      return Math.round(bytes) + " B";
    }
    double value = bytes / 1024;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }

  /** Rounded, but never 100 before the end. */
  private static long percent(long bytes, long total) {
    if (total == 0 || bytes >= total) {
      return 100;
    }
    return Math.min(99, Math.round(100.0 * bytes / total));
  }

  /** {@code 45s}, {@code 3m 05s}, {@code 2h 07m}. */
  static String duration(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, seconds % 3600 / 60);
  }

  /** The last path segment of the URI, without query and fragment; the whole (redacted) URI if it has none. */
  private static String name(String uri) {
    String shown = UriRedactor.redact(uri == null ? "" : uri.strip());
    String path = shown;
    int cut = indexOfAny(path, '?', '#');
    if (cut >= 0) {
      path = path.substring(0, cut);
    }
    String segment = path.substring(path.lastIndexOf('/') + 1);
    return segment.isEmpty() ? shown : segment;
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}
