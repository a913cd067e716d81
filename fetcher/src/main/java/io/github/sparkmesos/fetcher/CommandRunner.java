package io.github.sparkmesos.fetcher;

import io.github.sparkmesos.fetcher.internal.ProcessCommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs a short external command to completion. The fetcher uses it for the {@code hadoop} CLI
 * ({@code hadoop fs -copyToLocal <uri> <file>}) when a Hadoop-scheme URI is fetched and the Hadoop client
 * classes are not on the classpath.
 *
 * <p>The default, {@link #processBuilder()}, uses {@link ProcessBuilder}. A program that reaps every child
 * process itself (the executor: its JVM is the reaper of all its children) must pass one backed by its own
 * process launcher instead.
 */
@FunctionalInterface
public interface CommandRunner {

  /**
   * How a command ended.
   *
   * @param exitCode the exit code (128 + signal number if a signal ended it)
   * @param stderr   what the command wrote on its standard error (implementations may keep only the end of a
   *                 long output); never {@code null}
   */
  record Result(int exitCode, String stderr) {
    public Result {
      stderr = stderr == null ? "" : stderr;
    }
  }

  /**
   * Runs {@code argv} and waits for it to end. Standard input is empty; standard output is discarded.
   *
   * @param argv        the program (an absolute path) and its arguments
   * @param environment the complete environment of the command: nothing else is inherited
   * @param directory   the working directory
   * @param timeout     how long the command may run; when it runs longer, the implementation kills it and
   *                    throws an {@link IOException}
   * @throws IOException          if the command cannot be started or did not end within {@code timeout}
   * @throws InterruptedException if the calling thread was interrupted; the command is then killed
   */
  Result run(List<String> argv, Map<String, String> environment, Path directory, Duration timeout)
      throws IOException, InterruptedException;

  /** The default: {@link ProcessBuilder}, stderr through a temporary file. */
  static CommandRunner processBuilder() {
    return ProcessCommandRunner.INSTANCE;
  }
}
