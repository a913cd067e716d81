package io.github.sparkmesos.executor.mesos;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Mesos (stout) duration strings, as the agent writes them: {@code 5secs}, {@code 15mins}, {@code 1.5secs}. */
public final class Durations {

  private static final Pattern FORMAT = Pattern.compile("^(\\d*\\.?\\d+)(ns|us|ms|secs|mins|hrs|days|weeks)$");

  private Durations() {}

  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration such as 5secs, 500ms or 15mins"
          + " (a number followed by ns, us, ms, secs, mins, hrs, days or weeks)");
    }
    long unitNanos = switch (m.group(2)) {
      case "ns" -> 1L;
      case "us" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "secs" -> 1_000_000_000L;
      case "mins" -> 60_000_000_000L;
      case "hrs" -> 3_600_000_000_000L;
      case "days" -> 86_400_000_000_000L;
      default -> 604_800_000_000_000L;
    };
    return Duration.ofNanos(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos)).longValue());
  }

  /** Formats as the agent does: the largest unit that gives a whole number. */
  public static String format(Duration d) {
    long nanos = d.toNanos();
    String[] units = {"weeks", "days", "hrs", "mins", "secs", "ms", "us"};
    long[] sizes = {604_800_000_000_000L, 86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L,
        1_000_000_000L, 1_000_000L, 1_000L};
    for (int i = 0; i < units.length; i++) {
      if (nanos != 0 && nanos % sizes[i] == 0) {
        return (nanos / sizes[i]) + units[i];
      }
    }
    return nanos + "ns";
  }
}
