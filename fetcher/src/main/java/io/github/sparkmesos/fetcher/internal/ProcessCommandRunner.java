package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.CommandRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The default {@link CommandRunner}: {@link ProcessBuilder} with exactly the given environment, stdin closed,
 * stdout discarded and stderr written to a temporary file (no pipe a chatty command could fill up), of which
 * the last {@link #STDERR_KEPT} bytes are returned. A timeout or an interrupt kills the command.
 */
public final class ProcessCommandRunner implements CommandRunner {

  public static final ProcessCommandRunner INSTANCE = new ProcessCommandRunner();

  static final int STDERR_KEPT = 64 * 1024;

  private ProcessCommandRunner() {
  }

  @Override
  public Result run(List<String> argv, Map<String, String> environment, Path directory, Duration timeout)
      throws IOException, InterruptedException {
    Path stderr = Files.createTempFile("fetcher-command-", ".stderr");
    try {
      ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(stderr.toFile());
      builder.environment().clear();
      builder.environment().putAll(environment);
      Process process = builder.start();
      process.getOutputStream().close();
      try {
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
          process.destroyForcibly();
          process.waitFor();
          throw new IOException("'" + argv.get(0) + "' did not finish within " + HttpSource.format(timeout));
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        throw e;
      }
      return new Result(process.exitValue(), tail(stderr));
    } finally {
      Files.deleteIfExists(stderr);
    }
  }

  private static String tail(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      channel.position(Math.max(0, size - STDERR_KEPT));
      try (InputStream in = java.nio.channels.Channels.newInputStream(channel)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }
}
