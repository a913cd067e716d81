package io.github.sparkmesos.executor.harness;

import io.github.sparkmesos.fetcher.internal.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The agent's {@code --launcher_dir}: the one given ({@code --launcher-dir}), or a temporary folder
 * whose {@code mesos-executor} and {@code mesos-docker-executor} are scripts running the harness's
 * executor command followed by the arguments the agent gives, removed when the run ends.
 */
final class LauncherFolder implements AutoCloseable {

  private final Path path;
  private final boolean temporary;

  private LauncherFolder(Path path, boolean temporary) {
    this.path = path;
    this.temporary = temporary;
  }

  /** @param executorCommand a shell command that starts the executor */
  static LauncherFolder of(Optional<Path> given, String executorCommand) throws IOException {
    if (given.isPresent()) {
      return new LauncherFolder(given.get(), false);
    }
    Path folder = Files.createTempDirectory("spark-mesos-launcher-");
    for (String name : new String[] {CommandTaskExecutor.PROGRAM, DockerExecutorArgs.PROGRAM}) {
      Path program = folder.resolve(name);
      Files.writeString(program, "#!/bin/sh\n# the harness's stand-in for the agent's " + name
          + ": its executor command and the agent's arguments\n" + executorCommand + " \"$@\"\n", StandardCharsets.UTF_8);
      if (!program.toFile().setExecutable(true)) {
        throw new IOException("cannot make " + program + " executable");
      }
    }
    return new LauncherFolder(folder, true);
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    if (temporary) {
      Trees.deleteQuietly(path);
    }
  }
}
