package io.github.sparkmesos.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a short command to completion through {@link ProcessLauncher} and returns what it printed.
 * A JVM whose children the {@link Reaper} owns must use this instead of {@code ProcessBuilder}.
 */
public final class Command {

  /** How the command ended and what it wrote. */
  public record Completed(ExitStatus status, String stdout, String stderr) {}

  private Command() {}

  public static Completed run(List<String> argv, Map<String, String> environment, Path workingDirectory,
      Duration timeout) throws IOException, InterruptedException {
    Path out = Files.createTempFile("command-", ".out");
    Path err = Files.createTempFile("command-", ".err");
    try {
      ChildProcess child = ProcessLauncher.spawn(new ProcessSpec(argv, environment, workingDirectory, out, err));
      ExitStatus status;
      try {
        status = child.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        child.kill(Duration.ZERO);
        throw new IOException("'" + String.join(" ", argv) + "' did not finish within " + timeout.toSeconds() + "s");
      } catch (ExecutionException e) {
        throw new IOException(e.getCause());
      }
      return new Completed(status, Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** The same, with this JVM's PATH (and nothing else) in the environment. */
  public static Completed run(Path workingDirectory, String... argv) throws IOException, InterruptedException {
    return run(List.of(argv), Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")),
        workingDirectory, Duration.ofMinutes(5));
  }
}
