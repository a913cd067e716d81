package io.github.sparkmesos.executor.pipeline;

import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;
import java.io.IOException;
import java.nio.file.Files;

/** Creates the task's directory: the first thing of the task that exists, made after validation. */
final class PrepareDirectoryStep {

  private PrepareDirectoryStep() {}

  static void run(LaunchPlan plan) throws LaunchFailedException {
    try {
      Files.createDirectories(plan.directory());
    } catch (IOException e) {
      throw new LaunchFailedException("Cannot create the task directory " + plan.directory() + ": " + e.getMessage(),
          e);
    }
  }
}
