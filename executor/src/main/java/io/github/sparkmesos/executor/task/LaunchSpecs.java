package io.github.sparkmesos.executor.task;

import io.github.sparkmesos.docker.ImageReference;
import io.github.sparkmesos.secrets.ChildEnvironment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.Secret;
import org.apache.mesos.v1.Protos.TaskInfo;

/** Turns a TaskInfo into a {@link LaunchSpec}, checking everything first. */
public final class LaunchSpecs {

  private LaunchSpecs() {}

  /** What the executor knows that a task may refer to. */
  public record Context(Optional<String> frameworkUser, Optional<String> sparkHome) {}

  /** A task sent with LAUNCH: its TaskInfo.data is the Spark task document. */
  public static LaunchSpec forSparkTask(TaskInfo task, Context context)
      throws InvalidTaskException, LaunchFailedException {
    String taskId = taskId(task);
    if (task.hasCommand()) {
      throw new InvalidTaskException("TaskInfo.command",
          "must not be set beside an executor (Mesos forbids it); put the command in TaskInfo.data");
    }
    SparkTaskDocument document = SparkTaskDocument.parse(task.getData().toByteArray());
    checkRuntime(task, document.conf());
    SparkLaunch spark = new SparkLaunch(document, context.frameworkUser(), context.sparkHome());
    return new LaunchSpec(taskId, spark.uris(), List.of("/bin/sh", "-c", spark.command()),
        spark.environment(), killGrace(task), List.of(), List.of());
  }

  /** A task of a LAUNCH_GROUP: its own CommandInfo, run as given, as the default executor does. */
  public static LaunchSpec forCommandTask(TaskInfo task) throws InvalidTaskException, LaunchFailedException {
    String taskId = taskId(task);
    if (!task.hasCommand()) {
      throw new InvalidTaskException("TaskInfo.command", "is required for a task of a task group");
    }
    checkRuntime(task, new SparkConf(Map.of()));
    CommandInfo command = task.getCommand();
    List<String> argv;
    if (!command.hasShell() || command.getShell()) {
      if (!command.hasValue() || command.getValue().isBlank()) {
        throw new InvalidTaskException("TaskInfo.command.value", "is required when shell is true");
      }
      argv = List.of("/bin/sh", "-c", command.getValue());
    } else {
      if (!command.hasValue() || command.getValue().isBlank()) {
        throw new InvalidTaskException("TaskInfo.command.value", "is required: the program to run");
      }
      // Mesos containerizer: value is the program, arguments the whole argv (arguments[0] is argv[0])
      argv = command.getArgumentsCount() == 0 ? List.of(command.getValue()) : command.getArgumentsList();
      if (command.getArgumentsCount() > 0) {
        argv = new ArrayList<>(argv);
        argv.set(0, command.getValue());
      }
    }
    List<FetchUri> uris = new ArrayList<>();
    for (CommandInfo.URI uri : command.getUrisList()) {
      uris.add(new FetchUri(uri.getValue(), uri.getExtract(), uri.getExecutable(), uri.getCache(),
          uri.hasOutputFile() ? uri.getOutputFile() : null));
    }
    Map<String, String> env = new LinkedHashMap<>();
    List<String> secrets = new ArrayList<>();
    for (Environment.Variable v : command.getEnvironment().getVariablesList()) {
      String field = "TaskInfo.command.environment." + v.getName();
      if (!v.getName().matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new InvalidTaskException(field, "is not a valid environment variable name");
      }
      if (!ChildEnvironment.settableByTask(v.getName())) {
        throw new InvalidTaskException(field, "is reserved for the executor and may not be set by a task");
      }
      if (v.getType() == Environment.Variable.Type.SECRET) {
        String value = secretValue(v, field);
        secrets.add(value);
        env.put(v.getName(), value);
      } else {
        if (v.hasSecret()) {
          throw new InvalidTaskException(field, "a VALUE variable must not carry a secret");
        }
        env.put(v.getName(), v.getValue());
      }
    }
    return new LaunchSpec(taskId, uris, argv, env, killGrace(task), secrets, List.of());
  }

  private static String secretValue(Environment.Variable v, String field) throws InvalidTaskException {
    if (!v.hasSecret() || v.hasValue()) {
      throw new InvalidTaskException(field, "a SECRET variable must carry a secret and no value");
    }
    Secret secret = v.getSecret();
    if (secret.getType() == Secret.Type.VALUE && secret.hasValue() && !secret.hasReference()) {
      byte[] data = secret.getValue().getData().toByteArray();
      for (byte b : data) {
        if (b == 0) {
          throw new InvalidTaskException(field, "secret value must not contain NUL bytes");
        }
      }
      return new String(data, StandardCharsets.UTF_8);
    }
    if (secret.getType() == Secret.Type.REFERENCE && secret.hasReference() && !secret.hasValue()) {
      throw new InvalidTaskException(field, "secret references ('" + secret.getReference().getName()
          + "') need a secret resolver, and none is configured on this executor");
    }
    throw new InvalidTaskException(field, "a secret must be of type VALUE with a value, or REFERENCE with a reference");
  }

  /**
   * The task id names the task's directory in the sandbox, so it must be a plain file name (Mesos
   * also refuses '/', whitespace, '.' and '..').
   */
  static String taskId(TaskInfo task) throws InvalidTaskException {
    String id = task.getTaskId().getValue();
    if (id.isEmpty() || id.equals(".") || id.equals("..") || id.contains("/") || id.chars().anyMatch(
        c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new InvalidTaskException("TaskInfo.task_id",
          "'" + id + "' must be non-empty, not '.' or '..', without '/', whitespace or control characters");
    }
    return id;
  }

  private static Optional<Duration> killGrace(TaskInfo task) {
    if (task.hasKillPolicy() && task.getKillPolicy().hasGracePeriod()) {
      return Optional.of(Duration.ofNanos(Math.max(0, task.getKillPolicy().getGracePeriod().getNanoseconds())));
    }
    return Optional.empty();
  }

  /** Tasks in containers come with the docker-support issue; until then they fail clearly. */
  private static void checkRuntime(TaskInfo task, SparkConf conf) throws InvalidTaskException, LaunchFailedException {
    Optional<String> image = conf.get("spark.mesos.executor.docker.image");
    if (image.isPresent()) {
      try {
        ImageReference.parse(image.get());
      } catch (IllegalArgumentException e) {
        throw new InvalidTaskException("TaskInfo.data.conf.spark.mesos.executor.docker.image", e.getMessage());
      }
    }
    boolean container = image.isPresent() || (task.hasContainer()
        && (task.getContainer().getType() == ContainerInfo.Type.DOCKER || task.getContainer().getMesos().hasImage()));
    if (container) {
      throw new LaunchFailedException("this executor cannot run tasks in a container image yet; run without "
          + "spark.mesos.executor.docker.image (or TaskInfo.container image)");
    }
  }
}
