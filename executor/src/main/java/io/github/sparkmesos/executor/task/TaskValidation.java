package io.github.sparkmesos.executor.task;

import io.github.sparkmesos.executor.mesos.DockerExecutorFlags;
import java.util.Optional;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * The one way a launched TaskInfo becomes a {@link LaunchPlan}: which path it takes, that path's
 * validation, and what the runtimes refuse before anything exists. The executor and {@code check}
 * both call it.
 */
public final class TaskValidation {

  /** The path a task takes, as {@link #path} chooses it. */
  public enum Path {
    SPARK_DOCUMENT("Spark task document (TaskInfo.data)"),
    COMMAND_TASK("command task (as the agent's command executor runs it)"),
    DOCKER_COMMAND_TASK("Docker command task (as the agent's Docker executor runs it)"),
    GROUP_TASK("task of a group (its own CommandInfo, as the default executor runs it)");

    private final String description;

    Path(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  private TaskValidation() {}

  /** The path of {@code task}: of a LAUNCH_GROUP when {@code ofGroup}, else by its command and the executor's kind. */
  public static Path path(TaskInfo task, boolean ofGroup, LaunchPlans.Context context) {
    return ofGroup ? Path.GROUP_TASK
        : task.hasCommand() && context.dockerExecutor().isPresent() ? Path.DOCKER_COMMAND_TASK
        : task.hasCommand() ? Path.COMMAND_TASK
        : Path.SPARK_DOCUMENT;
  }

  /**
   * The validated plan of {@code task}.
   *
   * @param dockerPolicyError why the operator's Docker policy could not be read, if it could not
   * @throws InvalidTaskException  for TASK_FAILED with REASON_TASK_INVALID ({@link #invalidMessage})
   * @throws LaunchFailedException for TASK_FAILED with REASON_CONTAINER_LAUNCH_FAILED
   */
  public static LaunchPlan plan(TaskInfo task, boolean ofGroup, LaunchPlans.Context context,
      Optional<String> dockerPolicyError) throws InvalidTaskException, LaunchFailedException {
    LaunchPlan plan = switch (path(task, ofGroup, context)) {
      case GROUP_TASK -> LaunchPlans.forCommandTask(task, context);
      case DOCKER_COMMAND_TASK -> {
        DockerExecutorFlags flags = context.dockerExecutor().orElseThrow();
        yield LaunchPlans.forAgentDockerTask(task, context, flags);
      }
      case COMMAND_TASK -> LaunchPlans.forAgentCommandTask(task, context);
      case SPARK_DOCUMENT -> LaunchPlans.forSparkTask(task, context);
    };
    if (plan.container().isPresent() && dockerPolicyError.isPresent()) {
      throw new LaunchFailedException("the operator's Docker policy is malformed, so no container is started: "
          + dockerPolicyError.get());
    }
    requireSupportedContainerizer(plan);
    return plan;
  }

  /** The message of the TASK_FAILED of a task that failed validation. */
  public static String invalidMessage(InvalidTaskException e) {
    return "Invalid task: " + e.getMessage();
  }

  /** A container asked of Mesos's containerizer is refused: this executor runs Docker's only. */
  public static void requireSupportedContainerizer(LaunchPlan plan) throws LaunchFailedException {
    if (plan.container().isPresent() && plan.containerizer() == LaunchPlan.Containerizer.MESOS) {
      throw new LaunchFailedException("image '" + plan.container().get().image() + "' is asked of the Mesos"
          + " containerizer (spark.mesos.containerizer=mesos, or a TaskInfo.container of type MESOS), which this"
          + " executor does not provide; use spark.mesos.containerizer=docker, or run without"
          + " spark.mesos.executor.docker.image");
    }
  }
}
