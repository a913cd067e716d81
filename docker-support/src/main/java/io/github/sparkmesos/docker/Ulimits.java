package io.github.sparkmesos.docker;

import java.util.Set;

/**
 * {@code --ulimit} values as the docker CLI reads them (go-units {@code ParseUlimit}): {@code name=soft[:hard]}
 * with a known resource name; the hard limit is the soft one when absent, and must not be below it.
 */
public final class Ulimits {

  /** The names the engine knows (go-units {@code ulimitNameMapping}). */
  public static final Set<String> NAMES = Set.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
      "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

  /** One parsed limit. */
  public record Ulimit(String name, long soft, long hard) {}

  private Ulimits() {}

  /**
   * The limit of {@code text}.
   *
   * @throws IllegalArgumentException when it is malformed, naming why
   */
  public static Ulimit parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("ulimit '" + text + "' is not name=soft[:hard]");
    }
    String name = text.substring(0, eq);
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("ulimit '" + text + "': unknown resource '" + name + "' (known: "
          + new java.util.TreeSet<>(NAMES) + ")");
    }
    String[] limits = text.substring(eq + 1).split(":", -1);
    if (limits.length > 2) {
      throw new IllegalArgumentException("ulimit '" + text + "' is not name=soft[:hard]");
    }
    long soft;
    long hard;
    try {
      soft = Long.parseLong(limits[0]);
      hard = limits.length == 2 ? Long.parseLong(limits[1]) : soft;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("ulimit '" + text + "': the limits are not integers");
    }
    if (limits.length == 2 && soft > hard) {
      throw new IllegalArgumentException("ulimit '" + text + "': the soft limit " + soft + " is above the hard limit "
          + hard);
    }
    return new Ulimit(name, soft, hard);
  }
}
