package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.CommandRunner;
import io.github.sparkmesos.fetcher.FetchProgress;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens a Hadoop-scheme URI ({@link SourceParser#HADOOP_SCHEMES}) through whichever Hadoop client there is:
 * the FileSystem API when {@code org.apache.hadoop.fs.FileSystem} is on the classpath ({@link HadoopFileSystemApi},
 * by reflection: the fetcher has no compile dependency on Hadoop), else the {@code hadoop} command
 * ({@link HadoopCommand}), else an error naming both.
 */
final class HadoopSource {

  static final String NO_CLIENT =
      "no Hadoop client: neither org.apache.hadoop.fs.FileSystem on the classpath nor 'hadoop' on PATH";

  private final CommandRunner runner;
  private final Map<String, String> environment;
  private final ClassLoader classes;

  HadoopSource(CommandRunner runner, Map<String, String> environment, ClassLoader classes) {
    this.runner = runner;
    this.environment = environment;
    this.classes = classes;
  }

  TransferStream open(SourceLocation.Hadoop location, String uri, FetchProgress progress, Attempts attempts,
            Path scratch) throws StepException {
    HadoopFileSystemApi api = HadoopFileSystemApi.find(classes);
    if (api != null) {
      return api.open(location, uri, progress);
    }
    Path command = HadoopCommand.find(environment);
    if (command == null) {
      throw new StepException(NO_CLIENT);
    }
    return new HadoopCommand(command, runner, environment).copy(location, uri, progress, attempts, scratch);
  }
}
