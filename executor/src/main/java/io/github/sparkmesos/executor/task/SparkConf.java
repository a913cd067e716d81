package io.github.sparkmesos.executor.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Spark configuration of a task document, read the way Spark reads it. */
public final class SparkConf {

  private static final Pattern BYTES = Pattern.compile("^([0-9]+)\\s*([a-z]*)$");

  private final Map<String, String> values;

  public SparkConf(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key)).map(String::trim).filter(v -> !v.isEmpty());
  }

  public Map<String, String> all() {
    return values;
  }

  /** Every key under {@code prefix}, with the prefix removed. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> found = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix) && k.length() > prefix.length()) {
        found.put(k.substring(prefix.length()), v);
      }
    });
    return found;
  }

  /** Spark's {@code toSequence}: split on commas, trim, drop empty pieces. */
  public List<String> list(String key) {
    List<String> items = new ArrayList<>();
    get(key).ifPresent(v -> {
      for (String piece : v.split(",")) {
        if (!piece.trim().isEmpty()) {
          items.add(piece.trim());
        }
      }
    });
    return items;
  }

  /** Spark's {@code booleanConf}: trimmed, case-insensitive true or false. */
  public boolean bool(String key, boolean fallback) throws InvalidTaskException {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return fallback;
    }
    return switch (v.get().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new InvalidTaskException("TaskInfo.data.conf." + key, "should be boolean, but was '" + v.get() + "'");
    };
  }

  public int integer(String key, int fallback) throws InvalidTaskException {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.get());
    } catch (NumberFormatException e) {
      throw new InvalidTaskException("conf." + key, "should be an integer, but was '" + v.get() + "'");
    }
  }

  /**
   * A size in MiB, as Spark's {@code memoryStringToMb}: a number with an optional unit (b, k, kb,
   * m, mb, g, gb, t, tb, p, pb); no unit means MiB.
   */
  public long mebibytes(String key, long fallback) throws InvalidTaskException {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return fallback;
    }
    Matcher m = BYTES.matcher(v.get().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new InvalidTaskException("conf." + key, "should be a size such as 512m or 2g, but was '" + v.get() + "'");
    }
    long n = Long.parseLong(m.group(1));
    long bytes = switch (m.group(2)) {
      case "b" -> n;
      case "k", "kb" -> n << 10;
      case "", "m", "mb" -> n << 20;
      case "g", "gb" -> n << 30;
      case "t", "tb" -> n << 40;
      case "p", "pb" -> n << 50;
      default -> throw new InvalidTaskException("conf." + key,
          "unit '" + m.group(2) + "' is not one of b, k, m, g, t, p (was '" + v.get() + "')");
    };
    return bytes >> 20;
  }
}
