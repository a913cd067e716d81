package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.CommandRunner;
import io.github.sparkmesos.fetcher.FetchProgress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code hadoop fs -copyToLocal <uri> <scratch>/.fetch-<random>/download}, as the Mesos fetcher does, through a
 * {@link CommandRunner}; the copy is then read like a local file (checksum, extraction) and removed when the
 * stream is closed. The command is {@code $HADOOP_HOME/bin/hadoop} if it exists, else {@code hadoop} on
 * {@code PATH}; it gets the fetcher's environment and what is left of the overall timeout.
 *
 * <p>A URI with user information is refused: the command line is visible to every user of the host.
 */
final class HadoopCommand {

  static final int STDERR_SHOWN = 1000;

  private final Path command;
  private final CommandRunner runner;
  private final Map<String, String> environment;

  HadoopCommand(Path command, CommandRunner runner, Map<String, String> environment) {
    this.command = command;
    this.runner = runner;
    this.environment = environment;
  }

  /** {@code $HADOOP_HOME/bin/hadoop}, else the first executable {@code hadoop} on PATH, else null. */
  static Path find(Map<String, String> environment) {
    String home = environment.get("HADOOP_HOME");
    if (home != null && !home.isBlank()) {
      Path candidate = executable(home, "bin/hadoop");
      if (candidate != null) {
        return candidate;
      }
    }
    String path = environment.get("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(":")) {
      if (!dir.isEmpty()) {
        Path candidate = executable(dir, "hadoop");
        if (candidate != null) {
          return candidate;
        }
      }
    }
    return null;
  }

  private static Path executable(String dir, String name) {
    try {
      Path candidate = Path.of(dir).resolve(name).toAbsolutePath();
      return Files.isRegularFile(candidate) && Files.isExecutable(candidate) ? candidate : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  TransferStream copy(SourceLocation.Hadoop location, String uri, FetchProgress progress, Attempts attempts,
            Path scratch) throws StepException {
    if (location.uri().getRawUserInfo() != null) {
      throw new StepException("a " + location.scheme() + " URI with user information would show it on the"
          + " 'hadoop' command line; put the credentials in the Hadoop configuration instead");
    }
    Path dir = createScratch(scratch);
    boolean opened = false;
    try {
      Path local = dir.resolve("download");
      List<String> argv = List.of(command.toString(), "fs", "-copyToLocal", location.uri().toString(),
          local.toString());
      run(argv, dir, attempts.remaining());
      BasicFileAttributes attributes = Files.readAttributes(local, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      if (attributes.isDirectory()) {
        throw new StepException("'" + uri + "' is a directory");
      }
      if (!attributes.isRegularFile()) {
        throw new StepException("'hadoop fs -copyToLocal' did not make a regular file");
      }
      InputStream in = Files.newInputStream(local);
      TransferStream stream = new TransferStream(in, attributes.size(), uri, progress,
          e -> "reading the copy made by 'hadoop fs -copyToLocal' failed: " + TransferStream.messageOf(e),
          () -> Trees.deleteQuietly(dir));
      opened = true;
      return stream;
    } catch (IOException e) {
      throw new StepException("'hadoop fs -copyToLocal' made no usable file: " + TransferStream.messageOf(e), e);
    } finally {
      if (!opened) {
        Trees.deleteQuietly(dir);
      }
    }
  }

  private void run(List<String> argv, Path dir, Duration timeout) throws StepException {
    long started = System.nanoTime();
    CommandRunner.Result result;
    try {
      result = runner.run(argv, environment, dir, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepException("interrupted", e);
    } catch (IOException e) {
      if (System.nanoTime() - started >= timeout.toNanos()) {
        throw new StepException("'hadoop fs -copyToLocal' did not finish within the overall timeout of "
            + HttpSource.format(timeout), e);
      }
      throw new StepException("cannot run '" + command + "': " + TransferStream.messageOf(e), e);
    }
    if (result.exitCode() != 0) {
      throw new StepException("'hadoop fs -copyToLocal' failed with exit code " + result.exitCode() + ": "
          + stderrSummary(result.stderr()));
    }
  }

  private static Path createScratch(Path scratch) throws StepException {
    try {
      return Files.createTempDirectory(scratch, ".fetch-");
    } catch (IOException e) {
      throw new StepException("cannot create a temporary directory in '" + scratch + "': "
          + TransferStream.messageOf(e), e);
    }
  }

  /** The last lines of stderr on one line, at most {@link #STDERR_SHOWN} characters. */
  static String stderrSummary(String stderr) {
    List<String> lines = new ArrayList<>();
    for (String line : stderr.split("\\R")) {
      if (!line.isBlank()) {
        lines.add(line.strip());
      }
    }
    if (lines.isEmpty()) {
      return "(nothing on stderr)";
    }
    String joined = Names.display(String.join(" | ", lines.subList(Math.max(0, lines.size() - 10), lines.size())),
        Integer.MAX_VALUE);
    return joined.length() <= STDERR_SHOWN ? joined : "..." + joined.substring(joined.length() - STDERR_SHOWN);
  }
}
