package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.os.RotatingLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a task's {@code stdout} and {@code stderr} are kept, from the operator's settings: each file at most
 * {@code maxSize} bytes and {@code maxFiles} files of each in all ({@code stdout}, {@code stdout.1}, ...), as
 * Mesos's logrotate container logger keeps them ({@code --max_stdout_size}, {@code rotate N}); or, by default,
 * no rotation: the task writes the files itself, as it always did.
 */
public record LogRotation(long maxSize, int maxFiles) {

  /** The largest a task's stdout or stderr file may grow before it is rotated (10m, 512k, 1g, bytes). */
  public static final String MAX_SIZE_VARIABLE = "SPARK_MESOS_EXECUTOR_LOG_MAX_SIZE";
  /** How many files of each stream are kept, the current one included (10 when only the size is set). */
  public static final String MAX_FILES_VARIABLE = "SPARK_MESOS_EXECUTOR_LOG_MAX_FILES";
  public static final int DEFAULT_MAX_FILES = 10;
  /** No rotation: the task's own descriptors on the files, nothing in between. */
  public static final LogRotation NONE = new LogRotation(0, 0);

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?");

  public LogRotation {
    if (maxSize < 0 || maxFiles < 0 || (maxSize == 0) != (maxFiles == 0)) {
      throw new IllegalArgumentException("a log rotation needs a positive size and file count, or neither: "
          + maxSize + " bytes, " + maxFiles + " files");
    }
  }

  public boolean rotates() {
    return maxSize > 0;
  }

  /** A rotating writer of {@code file} as this rotation says. */
  public RotatingLog open(Path file) throws IOException {
    return RotatingLog.open(file, maxSize, maxFiles);
  }

  /**
   * The operator's settings: {@value #MAX_SIZE_VARIABLE} turns rotation on, {@value #MAX_FILES_VARIABLE} bounds
   * the files ({@value #DEFAULT_MAX_FILES} by default); neither set is {@link #NONE}.
   *
   * @throws IllegalArgumentException naming the variable whose value is not a size or a count
   */
  public static LogRotation fromEnvironment(Map<String, String> env) {
    String size = env.getOrDefault(MAX_SIZE_VARIABLE, "").trim();
    String files = env.getOrDefault(MAX_FILES_VARIABLE, "").trim();
    if (size.isEmpty()) {
      if (!files.isEmpty()) {
        throw new IllegalArgumentException(MAX_FILES_VARIABLE + " is set but " + MAX_SIZE_VARIABLE
            + " is not: rotation needs a size");
      }
      return NONE;
    }
    long bytes = parseSize(size);
    int count = DEFAULT_MAX_FILES;
    if (!files.isEmpty()) {
      try {
        count = Integer.parseInt(files);
      } catch (NumberFormatException e) {
        count = 0;
      }
      if (count < 1) {
        throw new IllegalArgumentException(MAX_FILES_VARIABLE + ": '" + files + "' is not a count of at least 1");
      }
    }
    return new LogRotation(bytes, count);
  }

  /** {@code 1048576}, {@code 512k}, {@code 10m}, {@code 10MB}, {@code 1g}: bytes, or binary multiples. */
  static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      try {
        int shift = switch (m.group(2)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
        long value = Long.parseLong(m.group(1));
        if (value > 0 && value <= (Long.MAX_VALUE >> shift)) {
          return value << shift;
        }
      } catch (NumberFormatException e) {
        // too large: reported below
      }
    }
    throw new IllegalArgumentException(MAX_SIZE_VARIABLE + ": '" + text
        + "' is not a positive size such as 10m, 512k or 1048576");
  }

  @Override
  public String toString() {
    return rotates() ? maxSize + " bytes x " + maxFiles + " files" : "no rotation";
  }
}
