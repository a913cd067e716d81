package io.github.sparkmesos.executor.task;

import io.github.sparkmesos.docker.ImageReference;
import io.github.sparkmesos.secrets.ChildEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.Secret;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * Validation, the pipeline's first stage: turns a TaskInfo into a {@link LaunchPlan}, checking
 * everything first, creating nothing.
 */
public final class LaunchPlans {

  private LaunchPlans() {}

  /**
   * What the executor knows that a task may refer to.
   *
   * @param tasksDirectory where each task gets its own directory, named by its id
   */
  public record Context(Optional<String> frameworkUser, Optional<String> sparkHome, Path tasksDirectory) {}

  /** A task sent with LAUNCH: its TaskInfo.data is the Spark task document. */
  public static LaunchPlan forSparkTask(TaskInfo task, Context context) throws InvalidTaskException {
    String taskId = taskId(task);
    if (task.hasCommand()) {
      throw new InvalidTaskException("TaskInfo.command",
          "must not be set beside an executor (Mesos forbids it); put the command in TaskInfo.data");
    }
    SparkTaskDocument document = SparkTaskDocument.parse(task.getData().toByteArray());
    SparkConf conf = document.conf();
    SparkLaunch spark = new SparkLaunch(document, context.frameworkUser(), context.sparkHome());
    List<String> warnings = new ArrayList<>();
    for (String key : SparkMesosKeys.unknown(conf.all().keySet())) {
      warnings.add("unknown Spark setting '" + key + "' is ignored (not a spark.mesos.* key this executor knows)");
    }
    List<LaunchPlan.Network> networks = new ArrayList<>(networks(task));
    Optional<String> network = conf.get("spark.mesos.network.name");
    if (network.isPresent()) {
      networks.add(new LaunchPlan.Network(network.get(), SparkLabels.parse(
          conf.get("spark.mesos.network.labels").orElse(""), "TaskInfo.data.conf.spark.mesos.network.labels")));
    }
    return plan(task, context, spark.uris(), List.of("/bin/sh", "-c", spark.command()), spark.environment(),
        image(task, conf), networks, Set.of(), warnings);
  }

  /** A task of a LAUNCH_GROUP: its own CommandInfo, run as given, as the default executor does. */
  public static LaunchPlan forCommandTask(TaskInfo task, Context context) throws InvalidTaskException {
    taskId(task);
    if (!task.hasCommand()) {
      throw new InvalidTaskException("TaskInfo.command", "is required for a task of a task group");
    }
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
      uris.add(FetchUri.of(uri, "TaskInfo.command.uris[" + uris.size() + "]"));
    }
    Map<String, String> env = new LinkedHashMap<>();
    Set<String> secrets = new HashSet<>();
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
    return plan(task, context, uris, argv, env, image(task, new SparkConf(Map.of())), networks(task), secrets,
        List.of());
  }

  private static LaunchPlan plan(TaskInfo task, Context context, List<FetchUri> uris, List<String> argv,
      Map<String, String> env, Optional<String> image, List<LaunchPlan.Network> networks, Set<String> secrets,
      List<String> warnings) throws InvalidTaskException {
    for (FetchUri uri : uris) {
      uri.validate();
    }
    for (LaunchPlan.Network n : networks) {
      warnings = new ArrayList<>(warnings);
      warnings.add("network '" + n.name() + "' is not joined: this executor runs the task on the host's network"
          + " (CNI comes with the OS layer)");
    }
    String taskId = task.getTaskId().getValue();
    return new LaunchPlan(taskId, context.tasksDirectory().resolve(taskId), uris, argv, env, image, networks,
        List.of(), killGrace(task), task.hasHealthCheck() ? Optional.of(task.getHealthCheck()) : Optional.empty(),
        task.hasCheck() ? Optional.of(task.getCheck()) : Optional.empty(), secrets, warnings);
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

  /** The image the task asks for, checked: a plan with one needs a container runtime. */
  private static Optional<String> image(TaskInfo task, SparkConf conf) throws InvalidTaskException {
    Optional<String> image = conf.get("spark.mesos.executor.docker.image");
    String field = "TaskInfo.data.conf.spark.mesos.executor.docker.image";
    if (image.isEmpty() && task.hasContainer()) {
      ContainerInfo container = task.getContainer();
      if (container.getType() == ContainerInfo.Type.DOCKER) {
        image = Optional.of(container.getDocker().getImage());
        field = "TaskInfo.container.docker.image";
      } else if (container.getMesos().hasImage()) {
        image = Optional.of(container.getMesos().getImage().hasDocker()
            ? container.getMesos().getImage().getDocker().getName()
            : container.getMesos().getImage().getAppc().getName());
        field = "TaskInfo.container.mesos.image";
      }
    }
    if (image.isPresent()) {
      try {
        ImageReference.parse(image.get());
      } catch (IllegalArgumentException e) {
        throw new InvalidTaskException(field, e.getMessage());
      }
    }
    return image;
  }

  /** {@code ContainerInfo.network_infos} that name a network. */
  private static List<LaunchPlan.Network> networks(TaskInfo task) {
    List<LaunchPlan.Network> networks = new ArrayList<>();
    for (NetworkInfo info : task.getContainer().getNetworkInfosList()) {
      if (info.hasName()) {
        Map<String, String> labels = new LinkedHashMap<>();
        info.getLabels().getLabelsList().forEach(l -> labels.put(l.getKey(), l.getValue()));
        networks.add(new LaunchPlan.Network(info.getName(), labels));
      }
    }
    return networks;
  }
}
