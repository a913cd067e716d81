package io.github.sparkmesos.os;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The operator's defaults for a task's process: rlimits (open files, processes, core size) and a
 * umask, read from the executor's environment. A variable left unset leaves the executor's own value
 * to the task, as today.
 *
 * @param limits by prlimit(1)'s option name ({@code nofile}, {@code nproc}, {@code core})
 */
public record ResourceLimits(Map<String, Limit> limits, OptionalInt umask) {

  public static final String NOFILE = "SPARK_MESOS_EXECUTOR_TASK_RLIMIT_NOFILE";
  public static final String NPROC = "SPARK_MESOS_EXECUTOR_TASK_RLIMIT_NPROC";
  public static final String CORE = "SPARK_MESOS_EXECUTOR_TASK_RLIMIT_CORE";
  public static final String UMASK = "SPARK_MESOS_EXECUTOR_TASK_UMASK";
  private static final Map<String, String> VARIABLES = Map.of("nofile", NOFILE, "nproc", NPROC, "core", CORE);

  public static final ResourceLimits NONE = new ResourceLimits(Map.of(), OptionalInt.empty());

  /** A soft and a hard limit; -1 is unlimited. */
  public record Limit(long soft, long hard) {
    /** As prlimit(1) takes it: {@code soft:hard}. */
    @Override
    public String toString() {
      return text(soft) + ":" + text(hard);
    }

    private static String text(long value) {
      return value < 0 ? "unlimited" : String.valueOf(value);
    }
  }

  public ResourceLimits {
    limits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(limits));
  }

  /** These limits with {@code more} over them, limit by limit (a task's own over the operator's). */
  public ResourceLimits with(Map<String, Limit> more) {
    if (more.isEmpty()) {
      return this;
    }
    Map<String, Limit> all = new LinkedHashMap<>(limits);
    all.putAll(more);
    return new ResourceLimits(all, umask);
  }

  public boolean isEmpty() {
    return limits.isEmpty() && umask.isEmpty();
  }

  /**
   * Reads the variables: a limit is {@code N} (soft and hard), {@code SOFT:HARD}, each a number or
   * {@code unlimited}; the umask is octal ({@code 027}). A malformed value is an error naming its variable.
   */
  public static ResourceLimits fromEnvironment(Map<String, String> environment) {
    Map<String, Limit> limits = new LinkedHashMap<>();
    for (String name : new String[] {"nofile", "nproc", "core"}) {
      String variable = VARIABLES.get(name);
      String value = environment.get(variable);
      if (value != null && !value.isBlank()) {
        limits.put(name, limit(variable, value.trim()));
      }
    }
    OptionalInt umask = OptionalInt.empty();
    String mask = environment.get(UMASK);
    if (mask != null && !mask.isBlank()) {
      try {
        int parsed = Integer.parseInt(mask.trim(), 8);
        if (parsed < 0 || parsed > 0777) {
          throw new NumberFormatException();
        }
        umask = OptionalInt.of(parsed);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(UMASK + "='" + mask + "': not an octal umask such as 027");
      }
    }
    return new ResourceLimits(limits, umask);
  }

  private static Limit limit(String variable, String value) {
    String[] parts = value.split(":", -1);
    if (parts.length > 2) {
      throw new IllegalArgumentException(variable + "='" + value + "': not N or SOFT:HARD");
    }
    long soft = number(variable, value, parts[0]);
    long hard = parts.length == 2 ? number(variable, value, parts[1]) : soft;
    if (hard >= 0 && (soft < 0 || soft > hard)) {
      throw new IllegalArgumentException(variable + "='" + value + "': the soft limit is above the hard one");
    }
    return new Limit(soft, hard);
  }

  private static long number(String variable, String value, String part) {
    if (part.trim().equals("unlimited")) {
      return -1;
    }
    try {
      long n = Long.parseLong(part.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(variable + "='" + value + "': '" + part
        + "' is neither a non-negative number nor 'unlimited'");
  }
}
