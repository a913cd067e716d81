package io.github.sparkmesos.os;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to start: the argv (argv[0] is looked up on the child's PATH), the child's whole environment
 * (nothing is inherited), its working directory, and the files its stdout and stderr append to
 * ({@code null} keeps ours). Stdin is /dev/null unless {@link
 * ProcessLauncher#spawn(ProcessSpec, StdinPipe)} gives a pipe.
 */
public record ProcessSpec(
    List<String> argv, Map<String, String> environment, Path workingDirectory, Path stdout, Path stderr) {

  public ProcessSpec {
    argv = List.copyOf(argv);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv must not be empty");
    }
    environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    for (String arg : argv) {
      if (arg.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("argv must not contain NUL characters");
      }
    }
    for (Map.Entry<String, String> e : environment.entrySet()) {
      if (e.getKey().isEmpty() || e.getKey().indexOf('=') >= 0 || e.getKey().indexOf('\0') >= 0
          || e.getValue().indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "environment variable names must be non-empty without '=' or NUL, values without NUL: '"
                + e.getKey() + "'");
      }
    }
  }

  public static ProcessSpec of(List<String> argv, Map<String, String> environment, Path workingDirectory) {
    return new ProcessSpec(argv, environment, workingDirectory, null, null);
  }

  public ProcessSpec withOutput(Path stdoutFile, Path stderrFile) {
    return new ProcessSpec(argv, environment, workingDirectory, stdoutFile, stderrFile);
  }
}
