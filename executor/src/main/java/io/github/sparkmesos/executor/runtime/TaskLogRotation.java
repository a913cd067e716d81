package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.executor.pipeline.TaskLog;
import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.os.RotatingLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How one task's {@code stdout} and {@code stderr} are kept: the operator's {@link LogRotation}, with the task's
 * own settings over it as Mesos's logrotate container logger reads them from the container's environment
 * ({@code CONTAINER_LOGGER_MAX_STDOUT_SIZE}, {@code CONTAINER_LOGGER_LOGROTATE_STDOUT_OPTIONS}, and the same for
 * stderr; of the logrotate options, {@code rotate N} keeps N rotated files beside the current one).
 *
 * @param ignoredOptions logrotate options given that this executor does not apply (said in the task's stderr)
 */
public record TaskLogRotation(LogRotation stdout, LogRotation stderr, List<String> ignoredOptions) {

  /** Mesos's logger's default {@code --environment_variable_prefix}. */
  public static final String PREFIX = "CONTAINER_LOGGER_";
  private static final Set<String> KNOWN = Set.of("MAX_STDOUT_SIZE", "LOGROTATE_STDOUT_OPTIONS", "MAX_STDERR_SIZE",
      "LOGROTATE_STDERR_OPTIONS");

  public TaskLogRotation {
    ignoredOptions = List.copyOf(ignoredOptions);
  }

  /**
   * The operator's {@code defaults} with the task's settings from {@code taskEnvironment} over them.
   *
   * @throws IllegalArgumentException naming the variable that is unknown or malformed (as Mesos's logger fails
   *     the container)
   */
  public static TaskLogRotation of(LogRotation defaults, Map<String, String> taskEnvironment) {
    for (String name : taskEnvironment.keySet()) {
      if (name.startsWith(PREFIX) && !KNOWN.contains(name.substring(PREFIX.length()))) {
        throw new IllegalArgumentException(name + ": not a setting of the container logger (known: "
            + String.join(", ", KNOWN.stream().sorted().map(k -> PREFIX + k).toList()) + ")");
      }
    }
    List<String> ignored = new ArrayList<>();
    return new TaskLogRotation(stream(defaults, taskEnvironment, "STDOUT", ignored),
        stream(defaults, taskEnvironment, "STDERR", ignored), ignored);
  }

  private static LogRotation stream(LogRotation defaults, Map<String, String> env, String stream,
      List<String> ignored) {
    String sizeName = PREFIX + "MAX_" + stream + "_SIZE";
    String optionsName = PREFIX + "LOGROTATE_" + stream + "_OPTIONS";
    String size = env.get(sizeName);
    String options = env.get(optionsName);
    if (size == null && options == null) {
      return defaults;
    }
    long bytes = defaults.rotates() ? defaults.maxSize() : 10L << 20; // Mesos's logger: 10 MB by default
    int files = defaults.rotates() ? defaults.maxFiles() : LogRotation.DEFAULT_MAX_FILES;
    if (size != null) {
      try {
        bytes = LogRotation.parseSize(size.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(sizeName + ": '" + size + "' is not a size such as 10MB or 512KB");
      }
    }
    if (options != null) {
      String[] words = options.trim().split("\\s+");
      for (int i = 0; i < words.length; i++) {
        if (words[i].isEmpty()) {
          continue;
        }
        if (words[i].toLowerCase(Locale.ROOT).equals("rotate") && i + 1 < words.length
            && words[i + 1].matches("\\d{1,6}")) {
          files = Integer.parseInt(words[++i]) + 1; // N rotated ones and the current file
        } else {
          ignored.add(optionsName + ": '" + words[i] + "'");
        }
      }
    }
    return new LogRotation(bytes, files);
  }

  /**
   * The operator's rotation with the task's own container-logger settings over it; the logrotate options it does
   * not apply are said in the task's stderr.
   *
   * @throws LaunchFailedException naming a setting that is unknown or malformed, as Mesos's logger fails it
   */
  static TaskLogRotation forTask(LaunchPlan plan, LogRotation operators, TaskLog log) throws LaunchFailedException {
    try {
      TaskLogRotation rotation = TaskLogRotation.of(operators, plan.environment());
      rotation.ignoredOptions().forEach(o -> log.note("WARNING: logrotate option " + o + " is not applied"
          + " (this executor rotates by size, keeping 'rotate N' files)"));
      return rotation;
    } catch (IllegalArgumentException e) {
      throw new LaunchFailedException("Failed to load container logger settings: " + e.getMessage(), e);
    }
  }

  /** Whether either stream is rotated (its output then passes through the executor). */
  public boolean rotates() {
    return stdout.rotates() || stderr.rotates();
  }

  RotatingLog openStdout(Path directory) throws IOException {
    return open(stdout, directory.resolve("stdout"));
  }

  RotatingLog openStderr(Path directory) throws IOException {
    return open(stderr, directory.resolve("stderr"));
  }

  /** A stream that is not rotated is still written through the executor when the other one is: one file. */
  private static RotatingLog open(LogRotation rotation, Path file) throws IOException {
    return rotation.rotates() ? rotation.open(file) : RotatingLog.open(file, Long.MAX_VALUE, 1);
  }
}
