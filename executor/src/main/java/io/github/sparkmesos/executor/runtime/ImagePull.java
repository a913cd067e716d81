package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.docker.DockerEngine;
import io.github.sparkmesos.docker.EngineException;
import io.github.sparkmesos.docker.PullOptions;
import io.github.sparkmesos.docker.PullResult;
import io.github.sparkmesos.docker.PullStep;
import io.github.sparkmesos.executor.pipeline.ProgressThrottle;
import io.github.sparkmesos.executor.pipeline.TaskLog;
import io.github.sparkmesos.executor.task.LaunchPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A task's image, made present before its container is created: pulled when absent, always with force
 * pull, with the registry credentials of a Docker {@code config.json} fetched into the task's sandbox
 * ({@code .docker/config.json}, as Mesos's containerizer pulls with {@code HOME} at the sandbox), else
 * the one resolved from the operator's secret store ({@code SPARK_MESOS_EXECUTOR_DOCKER_CONFIG_SECRET}, by the
 * secrets stage), else the one the operator names in {@code SPARK_MESOS_EXECUTOR_DOCKER_CONFIG} (the agent's
 * {@code --docker_config}); the layers' progress in the task's stderr every 2 s, and in a TASK_STARTING
 * update every 30 s.
 */
final class ImagePull {

  /** The operator's Docker config.json, for registries every task may pull from. */
  static final String DOCKER_CONFIG_VARIABLE = "SPARK_MESOS_EXECUTOR_DOCKER_CONFIG";

  private ImagePull() {}

  /** @param progress the pipeline's rare TASK_STARTING updates (at most one every 30 s) */
  static PullResult run(DockerEngine engine, LaunchPlan plan, String image, boolean forcePull,
      Map<String, String> environment, Consumer<String> progress) throws EngineException {
    PullOptions options = PullOptions.defaults().withForcePull(forcePull);
    Optional<Path> config = credentials(plan, environment);
    if (config.isPresent()) {
      options = options.withDockerConfig(config.get());
    }
    TaskLog log = new TaskLog(plan.taskId(), plan.directory(), plan.inSandbox());
    ProgressThrottle throttle = new ProgressThrottle(System::nanoTime);
    PullResult pulled = new PullStep(engine, options, (ref, summary) -> {
      boolean note = throttle.noteDue();
      boolean update = throttle.updateDue();
      if (note) {
        log.note("Pulling " + ref + ": " + summary.text());
      }
      if (update) {
        progress.accept("Pulling " + ref + ": " + summary.text());
      }
    }).pull(image);
    log.note(pulled.text());
    return pulled;
  }

  /** The task's own config (fetched), else the one resolved from the operator's secret, else the operator's file. */
  static Optional<Path> credentials(LaunchPlan plan, Map<String, String> environment) {
    Path fetched = plan.directory().resolve(".docker/config.json");
    if (Files.isRegularFile(fetched)) {
      return Optional.of(fetched);
    }
    if (plan.registryConfig().isPresent()) {
      return plan.registryConfig();
    }
    return Optional.ofNullable(environment.get(DOCKER_CONFIG_VARIABLE)).filter(v -> !v.isBlank()).map(Path::of);
  }
}
