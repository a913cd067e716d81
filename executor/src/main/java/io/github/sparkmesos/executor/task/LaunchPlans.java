package io.github.sparkmesos.executor.task;

import io.github.sparkmesos.docker.DockerPolicy;
import io.github.sparkmesos.executor.checks.TaskChecks;
import io.github.sparkmesos.executor.mesos.CommandExecutorFlags;
import io.github.sparkmesos.executor.mesos.DockerExecutorFlags;
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
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;

/**
 * Validation, the pipeline's first stage: turns a TaskInfo into a {@link LaunchPlan}, checking
 * everything first, creating nothing.
 */
public final class LaunchPlans {

  private LaunchPlans() {}

  /**
   * What the executor knows that a task may refer to.
   *
   * @param sandbox the executor's sandbox: a command task runs in it, other tasks in a directory of
   *                their own under {@link #tasksDirectory()}
   * @param flags   the agent's command line when it runs this executor as its command executor
   * @param dockerPolicy what the operator allows a container to ask for
   */
  public record Context(Optional<String> frameworkUser, Optional<String> sparkHome, Path sandbox,
      CommandExecutorFlags flags, DockerPolicy dockerPolicy, Optional<DockerExecutorFlags> dockerExecutor) {

    public Context(Optional<String> frameworkUser, Optional<String> sparkHome, Path sandbox,
        CommandExecutorFlags flags, DockerPolicy dockerPolicy) {
      this(frameworkUser, sparkHome, sandbox, flags, dockerPolicy, Optional.empty());
    }

    public Context(Optional<String> frameworkUser, Optional<String> sparkHome, Path sandbox) {
      this(frameworkUser, sparkHome, sandbox, CommandExecutorFlags.NONE);
    }

    public Context(Optional<String> frameworkUser, Optional<String> sparkHome, Path sandbox,
        CommandExecutorFlags flags) {
      this(frameworkUser, sparkHome, sandbox, flags, DockerPolicy.NONE);
    }

    /** Where each task of a document or group gets its own directory, named by its id. */
    public Path tasksDirectory() {
      return sandbox.resolve("tasks");
    }
  }

  /**
   * The variable a task that joins CNI networks finds its address in (as Mesos's default executor sets it), which
   * a Spark task document's {@code --hostname} is then.
   */
  public static final String CONTAINER_IP = "MESOS_CONTAINER_IP";

  /** The message of Mesos's command executor for a second task. */
  public static final String MULTIPLE_TASKS = "Attempted to run multiple tasks using a \"command\" executor";
  /** The message of Mesos's Docker executor for a second task. */
  public static final String MULTIPLE_DOCKER_TASKS = "Attempted to run multiple tasks using a \"docker\" executor";

  /** A task sent with LAUNCH: its TaskInfo.data is the Spark task document. */
  public static LaunchPlan forSparkTask(TaskInfo task, Context context) throws InvalidTaskException {
    String taskId = taskId(task);
    if (task.hasCommand()) {
      throw new InvalidTaskException("TaskInfo.command",
          "must not be set beside TaskInfo.data (a command task runs its command; a Spark task its document)");
    }
    SparkTaskDocument document = SparkTaskDocument.parse(task.getData().toByteArray());
    SparkConf conf = document.conf();
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
    ContainerPlans.Result container = ContainerPlans.from(task, conf, context.dockerPolicy());
    warnings.addAll(container.warnings());
    List<TaskSecret> secrets = new ArrayList<>(TaskSecrets.fromSparkConf(conf, warnings));
    secrets.addAll(TaskSecrets.fromVolumes(task));
    SparkLaunch spark = new SparkLaunch(document, context.frameworkUser(), context.sparkHome());
    if (!networks.isEmpty() && container.container().isEmpty()) {
      spark = spark.withHostnameFrom(CONTAINER_IP); // the address its CNI network gives it
    }
    return plan(task, context.tasksDirectory().resolve(taskId), false, spark.uris(),
        List.of("/bin/sh", "-c", spark.command()), spark.environment(), container, networks, secrets,
        warnings); // its networks: its container's, else joined through CNI by the process runtime
  }

  /**
   * A task sent with LAUNCH that carries its own {@code TaskInfo.command}: a command task, run as
   * Mesos's command executor runs it (src/launcher/executor.cpp). The agent fetched its URIs into the
   * sandbox already and placed the executor in the task's container and network; the command runs in
   * the sandbox itself, with the agent's {@code --task_command} over the task's command and the
   * environment {@code --task_environment}, then the command's own variables, then
   * {@code MESOS_ALLOCATION_ROLE} over the executor's.
   *
   * @throws LaunchFailedException when the agent's flags ask for what this executor cannot do, naming the flag
   */
  public static LaunchPlan forAgentCommandTask(TaskInfo task, Context context)
      throws InvalidTaskException, LaunchFailedException {
    taskId(task);
    CommandExecutorFlags flags = context.flags();
    List<String> unsupported = flags.unsupported(System.getProperty("user.name"));
    if (!unsupported.isEmpty()) {
      throw new LaunchFailedException(String.join("; ", unsupported));
    }
    CommandInfo command = flags.taskCommand().orElse(task.getCommand());
    String field = flags.taskCommand().isPresent() ? "--task_command" : "TaskInfo.command";
    List<String> argv = argv(command, field);
    Map<String, String> env = new LinkedHashMap<>();
    for (Environment.Variable v : flags.taskEnvironment().map(Environment::getVariablesList).orElse(List.of())) {
      if (v.getType() != Environment.Variable.Type.SECRET) { // an isolator's unresolved secret: skipped, as Mesos
        env.put(v.getName(), v.getValue());
      }
    }
    env.putAll(environment(command, field));
    List<TaskSecret> secrets = new ArrayList<>();
    for (TaskSecret s : TaskSecrets.fromEnvironment(command, field)) {
      if (!env.containsKey(s.target())) { // else the agent's environment_secret isolator resolved it already
        secrets.add(s);
      }
    }
    for (TaskSecret s : TaskSecrets.fromVolumes(task)) {
      if (!java.nio.file.Files.exists(context.sandbox().resolve(s.target()))) { // else the agent's volume/secret did
        secrets.add(s);
      }
    }
    if (task.getResourcesCount() > 0) {
      env.put("MESOS_ALLOCATION_ROLE", task.getResources(0).getAllocationInfo().getRole());
    }
    List<String> warnings = new ArrayList<>();
    if (flags.rootfs().isEmpty()) {
      flags.workingDirectory().ifPresent(d -> warnings.add("--working_directory=" + d
          + " applies inside a root filesystem only (as for Mesos's executor); the command runs in the sandbox"));
      flags.sandboxDirectory().ifPresent(d -> warnings.add("--sandbox_directory=" + d
          + " applies inside a root filesystem only (as for Mesos's executor); the sandbox is " + context.sandbox()));
    }
    ContainerPlans.Result container = ContainerPlans.fromTaskInfo(task, context.dockerPolicy());
    warnings.addAll(container.warnings());
    // the agent's network/cni isolator has already put this executor, and so its task, in its networks
    return plan(task, context.sandbox(), true, List.of(), argv, env, container, List.of(), secrets, warnings);
  }

  /**
   * A command task with a DOCKER {@code TaskInfo.container}, given to this executor as the agent's
   * Docker executor ({@code mesos-docker-executor}): run as Mesos's Docker executor runs it (§4.3) in the
   * container the agent named, the agent having fetched the URIs into the sandbox and pulled the image;
   * the environment is {@code --task_environment}, then the command's variables, then
   * {@code MESOS_ALLOCATION_ROLE}; the command is {@code /bin/sh -c value} as its entrypoint.
   */
  public static LaunchPlan forAgentDockerTask(TaskInfo task, Context context, DockerExecutorFlags flags)
      throws InvalidTaskException, LaunchFailedException {
    taskId(task);
    if (!task.hasContainer() || task.getContainer().getType() != ContainerInfo.Type.DOCKER) {
      throw new InvalidTaskException("TaskInfo.container", "must be of type DOCKER for the Docker executor");
    }
    CommandInfo command = task.getCommand();
    boolean shell = !command.hasShell() || command.getShell();
    List<String> argv = shell ? argv(command, "TaskInfo.command") : imageCommand(command);
    Map<String, String> env = new LinkedHashMap<>(flags.taskEnvironment());
    env.putAll(environment(command, "TaskInfo.command"));
    // Mesos's Docker containerizer resolves no secret: every one is this executor's to deliver
    List<TaskSecret> secrets = new ArrayList<>(TaskSecrets.fromEnvironment(command, "TaskInfo.command"));
    secrets.addAll(TaskSecrets.fromVolumes(task));
    if (task.getResourcesCount() > 0) {
      env.put("MESOS_ALLOCATION_ROLE", task.getResources(0).getAllocationInfo().getRole());
    }
    ContainerPlans.Result container = AgentDockerDefaults.apply(ContainerPlans.fromTaskInfo(task,
        context.dockerPolicy()), flags, resources(task).cpus());
    Path sandbox = flags.sandboxDirectory().orElse(context.sandbox());
    LaunchPlan built = plan(task, sandbox, true, List.of(), argv, env, container, List.of(), secrets,
        container.warnings());
    LaunchPlan plan = shell ? built : built.withImageEntrypoint(argv);
    // without a kill policy, Mesos's Docker executor stops with the (deprecated) --stop_timeout at least
    return plan.killGracePeriod().isPresent() || flags.stopTimeout().filter(t -> !t.isZero()).isEmpty() ? plan
        : plan.withKillGracePeriod(flags.stopTimeout().get());
  }

  /** A task of a LAUNCH_GROUP: its own CommandInfo, run as given, as the default executor does. */
  public static LaunchPlan forCommandTask(TaskInfo task, Context context) throws InvalidTaskException {
    String taskId = taskId(task);
    if (!task.hasCommand()) {
      throw new InvalidTaskException("TaskInfo.command", "is required for a task of a task group");
    }
    CommandInfo command = task.getCommand();
    List<String> argv = argv(command, "TaskInfo.command");
    List<FetchUri> uris = new ArrayList<>();
    for (CommandInfo.URI uri : command.getUrisList()) {
      uris.add(FetchUri.of(uri, "TaskInfo.command.uris[" + uris.size() + "]"));
    }
    Map<String, String> env = environment(command, "TaskInfo.command");
    List<TaskSecret> secrets = new ArrayList<>(TaskSecrets.fromEnvironment(command, "TaskInfo.command"));
    secrets.addAll(TaskSecrets.fromVolumes(task));
    List<LaunchPlan.Network> networks = networks(task);
    ContainerPlans.Result container = ContainerPlans.fromTaskInfo(task, context.dockerPolicy());
    return plan(task, context.tasksDirectory().resolve(taskId), false, uris, argv, env, container, networks, secrets,
        container.warnings());
  }

  /**
   * A command's argv as the Mesos containerizer builds it: {@code shell} true (the default) runs
   * {@code sh -c value}; false runs {@code value} with {@code arguments} as the whole argv
   * (arguments[0] is argv[0]).
   */
  private static List<String> argv(CommandInfo command, String field) throws InvalidTaskException {
    if (!command.hasValue() || command.getValue().isBlank()) {
      throw new InvalidTaskException(field + ".value", !command.hasShell() || command.getShell()
          ? "is required when shell is true" : "is required: the program to run");
    }
    if (!command.hasShell() || command.getShell()) {
      return List.of("/bin/sh", "-c", command.getValue());
    }
    if (command.getArgumentsCount() == 0) {
      return List.of(command.getValue());
    }
    List<String> argv = new ArrayList<>(command.getArgumentsList());
    argv.set(0, command.getValue());
    return argv;
  }

  /**
   * A Docker command without the shell, as Mesos's Docker containerizer passes it (§4.3): the image's entrypoint
   * stays, and its arguments are {@code value} (when set) followed by every one of {@code arguments}; neither
   * leaves the image's own command.
   */
  private static List<String> imageCommand(CommandInfo command) {
    List<String> argv = new ArrayList<>();
    if (command.hasValue() && !command.getValue().isEmpty()) {
      argv.add(command.getValue());
    }
    argv.addAll(command.getArgumentsList());
    return argv;
  }

  /** A command's own plain variables, checked; its SECRET ones are {@link TaskSecrets#fromEnvironment}'s. */
  private static Map<String, String> environment(CommandInfo command, String field) throws InvalidTaskException {
    Map<String, String> env = new LinkedHashMap<>();
    for (Environment.Variable v : command.getEnvironment().getVariablesList()) {
      String name = field + ".environment." + v.getName();
      if (!v.getName().matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new InvalidTaskException(name, "is not a valid environment variable name");
      }
      if (!ChildEnvironment.settableByTask(v.getName())) {
        throw new InvalidTaskException(name, "is reserved for the executor and may not be set by a task");
      }
      if (v.getType() != Environment.Variable.Type.SECRET) {
        if (v.hasSecret()) {
          throw new InvalidTaskException(name, "a VALUE variable must not carry a secret");
        }
        env.put(v.getName(), v.getValue());
      }
    }
    return env;
  }

  private static LaunchPlan plan(TaskInfo task, Path directory, boolean inSandbox, List<FetchUri> uris,
      List<String> argv, Map<String, String> env, ContainerPlans.Result container, List<LaunchPlan.Network> networks,
      List<TaskSecret> secrets, List<String> warnings) throws InvalidTaskException {
    for (FetchUri uri : uris) {
      uri.validate();
    }
    TaskSecrets.checkTargets(secrets, env);
    Map<String, io.github.sparkmesos.os.ResourceLimits.Limit> rlimits = TaskRLimits.of(task);
    if (!rlimits.isEmpty() && container.container().isPresent()) {
      warnings = new ArrayList<>(warnings);
      warnings.add("TaskInfo.container.rlimit_info applies to a task on this host (as Mesos's posix/rlimits"
          + " isolator); a container's limits are its ulimit parameters");
    }
    Set<String> secretValues = new HashSet<>();
    for (TaskSecret s : secrets) {
      if (s.delivery() == TaskSecret.Delivery.FILE && container.container().isEmpty()) {
        s.hostPath(directory);
      }
      s.value().ifPresent(v -> secretValues.add(new String(v, StandardCharsets.UTF_8)));
    }
    Optional<HealthCheck> health = task.hasHealthCheck() ? Optional.of(task.getHealthCheck()) : Optional.empty();
    Optional<CheckInfo> check = task.hasCheck() ? Optional.of(task.getCheck()) : Optional.empty();
    TaskChecks.validate(health, check);
    Optional<String> hostname = inSandbox || container.container().isPresent() ? Optional.empty()
        : TaskHostname.of(task, networks); // the agent set the command task's; a container's is in its spec
    return new LaunchPlan(task.getTaskId().getValue(), directory, inSandbox, uris, argv, env, container.container(),
        container.containerizer(), networks, secrets, List.of(), killGrace(task), maxCompletionTime(task), health, check,
        secretValues, warnings, resources(task), false, List.of(), rlimits, hostname);
  }

  /**
   * The task's {@code cpus}, {@code mem} and {@code gpus} scalars, each summed over its resource entries (a task's
   * resources may come from several roles); {@code mem} in MiB rounded down, as Mesos reads it; GPUs whole, as
   * Mesos allocates them.
   */
  static LaunchPlan.Resources resources(TaskInfo task) throws InvalidTaskException {
    Double cpus = null;
    Double mem = null;
    Long gpus = null;
    for (int i = 0; i < task.getResourcesCount(); i++) {
      Resource r = task.getResources(i);
      if (r.getName().equals("gpus")) {
        double value = r.getScalar().getValue();
        if (r.getType() != Value.Type.SCALAR || !Double.isFinite(value) || value < 0 || value != Math.rint(value)) {
          throw new InvalidTaskException("TaskInfo.resources[" + i + "] (gpus)", "must be a whole non-negative number");
        }
        gpus = (gpus == null ? 0 : gpus) + (long) value;
        continue;
      }
      if (!r.getName().equals("cpus") && !r.getName().equals("mem")) {
        continue;
      }
      double value = r.getScalar().getValue();
      if (r.getType() != Value.Type.SCALAR || !Double.isFinite(value) || value < 0) {
        throw new InvalidTaskException("TaskInfo.resources[" + i + "] (" + r.getName() + ")",
            "must be a non-negative scalar");
      }
      if (r.getName().equals("cpus")) {
        cpus = (cpus == null ? 0 : cpus) + value;
      } else {
        mem = (mem == null ? 0 : mem) + value;
      }
    }
    return new LaunchPlan.Resources(Optional.ofNullable(cpus),
        Optional.ofNullable(mem).map(m -> (long) Math.floor(m)), Optional.ofNullable(gpus));
  }

  /** {@code TaskInfo.max_completion_time}: none when unset or zero, as Mesos's executors read it. */
  private static Optional<Duration> maxCompletionTime(TaskInfo task) throws InvalidTaskException {
    long nanos = task.getMaxCompletionTime().getNanoseconds();
    if (nanos < 0) {
      throw new InvalidTaskException("TaskInfo.max_completion_time", "must not be negative");
    }
    return nanos == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
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

  /** {@code ContainerInfo.network_infos} that name a network. */
  private static List<LaunchPlan.Network> networks(TaskInfo task) {
    List<LaunchPlan.Network> networks = new ArrayList<>();
    for (NetworkInfo info : task.getContainer().getNetworkInfosList()) {
      if (info.hasName()) {
        Map<String, String> labels = new LinkedHashMap<>();
        info.getLabels().getLabelsList().forEach(l -> labels.put(l.getKey(), l.getValue()));
        networks.add(new LaunchPlan.Network(info.getName(), labels, info));
      }
    }
    return networks;
  }
}
