package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.docker.ContainerConfig;
import io.github.sparkmesos.docker.ContainerExit;
import io.github.sparkmesos.docker.ContainerLifecycle;
import io.github.sparkmesos.docker.ContainerLogs;
import io.github.sparkmesos.docker.ContainerSpec;
import io.github.sparkmesos.docker.DockerEngine;
import io.github.sparkmesos.docker.EngineException;
import io.github.sparkmesos.docker.ParameterMapping;
import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.pipeline.TaskLog;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.executor.task.TaskSecret;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.os.ExitStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs a task's command in a Docker container, as Mesos's Docker executor does
 * (mesos-executor-contract.md §4.3): the image pulled when absent, the task's directory mounted at
 * {@code /mnt/mesos/sandbox} ({@code MESOS_SANDBOX}) and its working directory, the environment in
 * the API body (never on a command line), the command as the entrypoint and its arguments, the host's
 * network, labels that tie the container to its framework, executor and task; the container's output
 * appended to the task's stdout and stderr; a kill is a stop with the grace period, then a kill; the
 * container is removed once it exited. Created on the first task that needs it, so the executor's
 * start path loads nothing of Docker.
 */
public final class DockerRuntime implements TaskRuntime {

  /** Where Mesos maps the sandbox in a container (the agent's --docker_mesos_image default). */
  public static final String MAPPED_SANDBOX = "/mnt/mesos/sandbox";
  public static final String LABEL_FRAMEWORK = "io.github.sparkmesos.framework";
  public static final String LABEL_EXECUTOR = "io.github.sparkmesos.executor";
  public static final String LABEL_TASK = "io.github.sparkmesos.task";
  /** The prefix of the labels above, which a task's label parameters may not set. */
  private static final String OWN_LABELS = "io.github.sparkmesos.";
  /** How long the container's output may stop coming after its exit before the engine's log is read again. */
  private static final Duration LOGS_DRAIN = Duration.ofSeconds(10);

  /**
   * The container as the agent's Docker containerizer asks for it when this executor is its
   * {@code mesos-docker-executor}: its name (the agent inspects and removes it by that name), where the
   * sandbox is mapped, the engine's address; the agent has pulled the image.
   */
  public record AgentContainer(String name, String mappedSandbox, Optional<String> engineHost) {}

  private final Optional<AgentContainer> agentContainer;
  private final String mappedSandbox;
  private final DockerEngine engine;
  private final ContainerLifecycle containers;
  private final String frameworkId;
  private final String executorId;
  private final Map<String, String> environment;
  private final LogRotation logRotation;
  private final ExecutorService waits = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "container");
    t.setDaemon(true);
    return t;
  });

  /** @param environment the executor's environment ({@code DOCKER_HOST} names the engine) */
  public DockerRuntime(Map<String, String> environment, String frameworkId, String executorId) {
    this(environment, frameworkId, executorId, Optional.empty());
  }

  public DockerRuntime(Map<String, String> environment, String frameworkId, String executorId,
      Optional<AgentContainer> agentContainer) {
    this(environment, frameworkId, executorId, agentContainer, LogRotation.NONE);
  }

  /** @param logRotation how the container's output is kept in the task's stdout and stderr */
  public DockerRuntime(Map<String, String> environment, String frameworkId, String executorId,
      Optional<AgentContainer> agentContainer, LogRotation logRotation) {
    this.logRotation = logRotation;
    this.agentContainer = agentContainer;
    this.mappedSandbox = agentContainer.map(AgentContainer::mappedSandbox).orElse(MAPPED_SANDBOX);
    this.engine = DockerEngine.connect(agentContainer.flatMap(AgentContainer::engineHost)
        .orElse(DockerEngine.hostFrom(environment)));
    this.containers = new ContainerLifecycle(engine);
    this.frameworkId = frameworkId;
    this.executorId = executorId;
    this.environment = Map.copyOf(environment);
  }

  /**
   * The runtime of this executor's tasks in images, made on the first such task, after removing the
   * containers an earlier run of this executor left (by its labels).
   */
  public static TaskRuntime forExecutor(Map<String, String> environment, String frameworkId, String executorId,
      Optional<AgentContainer> agentContainer, LogRotation logRotation) {
    DockerRuntime docker = new DockerRuntime(environment, frameworkId, executorId, agentContainer, logRotation);
    try {
      List<String> removed = docker.removeLeftovers();
      if (!removed.isEmpty()) {
        Log.info("removed " + removed.size() + " container(s) an earlier run of this executor left: " + removed);
      }
    } catch (EngineException e) {
      Log.warn("could not look for containers an earlier run of this executor left: " + e.getMessage());
    }
    return docker;
  }

  /** What an earlier run of this executor left: containers with its labels, removed; their names. */
  public List<String> removeLeftovers() throws EngineException {
    return containers.removeLeftovers(Map.of(LABEL_FRAMEWORK, frameworkId, LABEL_EXECUTOR, executorId));
  }

  /** Checks what the container asks for, then pulls its image (see {@link ImagePull}). */
  @Override
  public void prepare(LaunchPlan plan, Consumer<String> progress) throws LaunchFailedException {
    ContainerSpec spec = plan.container().orElseThrow();
    refuseWhatIsNotAppliedYet(spec);
    // the agent's containerizer pulled it (force pull included) before it started this executor
    boolean forcePull = spec.forcePull() && agentContainer.isEmpty();
    try {
      ImagePull.run(engine, plan, spec.image().toString(), forcePull, environment, progress);
    } catch (EngineException e) {
      throw new LaunchFailedException(e.getMessage(), e);
    }
  }

  @Override
  public RunningTask start(LaunchPlan plan) throws LaunchFailedException {
    ContainerSpec spec = plan.container().orElseThrow();
    refuseWhatIsNotAppliedYet(spec); // prepare checked it already, unless a caller starts without it
    try {
      // a named volume the engine makes for this container goes with it; one that was there stays
      boolean namesVolumes = spec.volumes().stream().anyMatch(v -> v.kind() == ContainerSpec.Volume.Kind.NAMED_VOLUME)
          || spec.parameters().stream().anyMatch(p -> p.option().equals("volume"));
      java.util.Set<String> volumesBefore = namesVolumes ? containers.volumeNames() : java.util.Set.of();
      TaskLogRotation rotation = TaskLogRotation.forTask(plan, logRotation,
          new TaskLog(plan.taskId(), plan.directory(), plan.inSandbox()));
      String id = containers.create(config(plan, spec));
      List<String> madeVolumes = namesVolumes ? containers.mountedVolumes(id).stream()
          .filter(v -> !volumesBefore.contains(v)).toList() : List.of();
      // removes the container should this executor die before the task ends (ContainerWatchdog)
      ContainerWatchdog watchdog = ContainerWatchdog.watch(id, environment, plan.directory().resolve("stderr"));
      ContainerLogs logs;
      try {
        containers.start(id);
        // followed from the container's start, so nothing it printed before this is lost
        logs = rotation.rotates() && !plan.inSandbox() // the sandbox's own files: the agent's logger keeps them
            ? containers.logs(id, rotation.openStdout(plan.directory()), rotation.openStderr(plan.directory()))
            : containers.logs(id, plan.directory().resolve("stdout"), plan.directory().resolve("stderr"));
      } catch (EngineException | java.io.IOException e) {
        containers.remove(id);
        removeVolumes(madeVolumes, containerName(plan));
        watchdog.release();
        throw e instanceof EngineException ee ? ee
            : new EngineException("Failed to open the log files of container " + id + ": " + e.getMessage(), e);
      }
      return new Container(id, containerName(plan), logs, watchdog, madeVolumes);
    } catch (EngineException e) {
      throw new LaunchFailedException(e.getMessage(), e);
    }
  }

  /**
   * What the plan validated but this runtime cannot put on a container fails the task, naming it, rather than
   * run a container other than the one asked for: a volume driver (the Engine API's volume create is not used),
   * and a parameter value the Engine API (through docker-java) cannot express, such as a plugin log driver.
   */
  private static void refuseWhatIsNotAppliedYet(ContainerSpec spec) throws LaunchFailedException {
    List<String> missing = new ArrayList<>();
    for (ContainerSpec.Parameter p : spec.parameters()) {
      ParameterMapping.unexpressible(p).ifPresent(missing::add);
      if (p.option().equals("label") && p.value().startsWith(OWN_LABELS)) {
        missing.add("--label=" + p.value() + " (the executor's own labels, which tie the container to it)");
      }
    }
    for (ContainerSpec.Volume v : spec.volumes()) {
      if (v.driver().isPresent() || !v.driverOptions().isEmpty()) {
        missing.add("the volume driver of '" + v.source() + "'");
      }
    }
    if (!missing.isEmpty()) {
      throw new LaunchFailedException("this executor's Docker runtime cannot apply " + String.join(", ", missing)
          + " to a container; the task was not started");
    }
  }

  /**
   * The engine request, in the order of Mesos's {@code docker run} argv (§4.3): privileged, cpu shares and
   * memory from the task's resources, environment, volumes and the sandbox, network, hostname, ports, the
   * command's entrypoint, the name, then the parameters, which win for the fields they set, as docker run reads
   * them last. A parameter {@code entrypoint} replaces the command's entrypoint as docker run's does: a shell
   * command keeps {@code -c value} as its arguments (Mesos's {@code --entrypoint /bin/sh} then the user's), a
   * command without the shell passes its whole argv. A plan that keeps the image's entrypoint passes its argv as
   * the entrypoint's arguments (Mesos's Docker containerizer without the shell).
   */
  private ContainerConfig config(LaunchPlan plan, ContainerSpec spec) {
    List<String> argv = plan.argv();
    boolean shell = argv.size() == 3 && argv.get(0).equals("/bin/sh") && argv.get(1).equals("-c");
    boolean ownEntrypoint = !spec.parameterValues("entrypoint").isEmpty();
    ContainerConfig.Builder config = ContainerConfig.builder(spec.image().toString())
        .name(containerName(plan));
    if (plan.imageEntrypoint()) {
      config.command(argv.isEmpty() ? null : argv); // the image's entrypoint (or the parameter's) runs them
    } else {
      config.entrypoint(argv.get(0)).command(ownEntrypoint && !shell ? argv : argv.subList(1, argv.size()));
    }
    config
        .workingDir(mappedSandbox)
        .bind(plan.directory() + ":" + mappedSandbox + ":rw")
        .networkMode(networkMode(spec.network()))
        .privileged(spec.privileged())
        .label(LABEL_FRAMEWORK, frameworkId)
        .label(LABEL_EXECUTOR, executorId)
        .label(LABEL_TASK, plan.taskId());
    plan.resources().cpus().ifPresent(cpus -> config.cpuShares(ContainerResources.cpuShares(cpus)));
    plan.resources().memoryMib().ifPresent(mib -> config.memoryBytes(ContainerResources.memoryBytes(mib)));
    for (ContainerSpec.Volume v : spec.volumes()) {
      config.bind(bindSource(plan, v) + ":" + inContainer(v.containerPath()) + (v.readOnly() ? ":ro" : ":rw"));
    }
    for (LaunchPlan.SecretFile f : plan.secretFiles()) {
      if (f.delivery() == TaskSecret.Delivery.FILE) {
        config.bind(f.hostFile() + ":" + inContainer(f.target()) + ":ro"); // as Mesos's volume/secret mounts it
      }
    }
    spec.networkLabels().forEach(config::label); // the task's network labels, as the container's
    spec.hostname().ifPresent(config::hostname);
    for (ContainerSpec.PortMapping m : spec.portMappings()) {
      config.port(new ContainerConfig.Port(null, m.hostPort(), m.containerPort(), m.protocol().toString()));
    }
    plan.environment().forEach(config::env);
    config.env("MESOS_SANDBOX", mappedSandbox);
    config.env("MESOS_TASK_ID", plan.taskId());
    config.env("MESOS_CONTAINER_NAME", containerName(plan));
    config.parameters(ContainerResources.withGpus(spec.parameters(), plan.resources()));
    return config.build();
  }

  private void removeVolumes(List<String> volumes, String container) {
    for (String volume : volumes) {
      try {
        containers.removeVolume(volume);
      } catch (EngineException e) {
        Log.warn("container " + container + ": " + e.getMessage());
      }
    }
  }

  /** A volume's source as a bind names it: a host path, the task's directory's path, or a volume's name. */
  private static String bindSource(LaunchPlan plan, ContainerSpec.Volume v) {
    return switch (v.kind()) {
      case HOST_PATH, NAMED_VOLUME -> v.source();
      case SANDBOX -> plan.directory().resolve(v.source()).normalize().toString();
    };
  }

  /** A relative container path is inside the mapped sandbox, as Mesos resolves it. */
  private String inContainer(String containerPath) {
    return containerPath.startsWith("/") ? containerPath : mappedSandbox + "/" + containerPath;
  }

  private static String networkMode(ContainerSpec.NetworkMode network) {
    return switch (network.kind()) {
      case HOST -> "host";
      case BRIDGE -> "bridge";
      case NONE -> "none";
      case USER -> network.name().orElseThrow();
    };
  }

  /** Unique on the engine per executor and task, in Docker's name alphabet. */
  private String containerName(LaunchPlan plan) {
    if (agentContainer.isPresent()) {
      return agentContainer.get().name();
    }
    return ("sme-" + executorId + "-" + plan.taskId()).replaceAll("[^a-zA-Z0-9_.-]", "_");
  }

  /** A running container: its exit once the engine reports it, "all gone" once it is removed. */
  private final class Container implements RunningTask {
    private final String id;
    private final String name;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final CompletableFuture<Void> allGone = new CompletableFuture<>();
    private final AtomicBoolean killRequested = new AtomicBoolean();
    private volatile boolean oomKilled;

    /** @param madeVolumes the named volumes the engine made for it, removed after it */
    Container(String id, String name, ContainerLogs logs, ContainerWatchdog watchdog, List<String> madeVolumes) {
      this.id = id;
      this.name = name;
      waits.submit(() -> supervise(logs, watchdog, madeVolumes));
    }

    private void supervise(ContainerLogs logs, ContainerWatchdog watchdog, List<String> madeVolumes) {
      try {
        ContainerExit ended = null;
        while (ended == null) {
          ended = containers.awaitExit(id, Duration.ofMinutes(10)).orElse(null);
        }
        oomKilled = ended.oomKilled();
        exit.complete(ExitStatus.exited(ended.code()));
      } catch (EngineException | RuntimeException e) {
        Log.warn("container " + name + ": " + e.getMessage());
        exit.complete(ExitStatus.exited(-1));
      }
      try (logs) {
        if (!logs.awaitEnd(LOGS_DRAIN)) {
          Log.warn("container " + name + ": the engine did not give its output to the end");
        }
      } catch (Exception e) {
        Log.warn("container " + name + ": its output: " + e.getMessage());
      }
      try {
        containers.remove(id);
        watchdog.release(); // kept armed when the removal failed
        removeVolumes(madeVolumes, name);
      } catch (EngineException e) {
        Log.warn("container " + name + ": " + e.getMessage());
      }
      allGone.complete(null);
    }

    @Override
    public String id() {
      return "container " + name;
    }

    @Override
    public String kind() {
      return "Container";
    }

    @Override
    public CompletableFuture<ExitStatus> exit() {
      return exit;
    }

    @Override
    public CompletableFuture<Void> allGone() {
      return allGone;
    }

    @Override
    public void kill(Duration grace) {
      killRequested.set(true);
      waits.submit(() -> {
        try {
          containers.stop(id, grace);
        } catch (EngineException e) {
          Log.warn("container " + name + ": " + e.getMessage());
        }
      });
    }

    @Override
    public void killNow() {
      killRequested.set(true);
      try {
        containers.kill(id);
      } catch (EngineException e) {
        Log.warn("container " + name + ": " + e.getMessage());
      }
    }

    @Override
    public boolean anyAlive() {
      return !exit.isDone();
    }

    @Override
    public boolean killRequested() {
      return killRequested.get();
    }

    @Override
    public boolean oomKilled() {
      return oomKilled;
    }

    @Override
    public List<String> addresses() {
      try {
        return containers.addresses(id); // none on the host's network
      } catch (EngineException e) {
        Log.warn("container " + name + ": " + e.getMessage());
        return List.of();
      }
    }

    @Override
    public Map<String, String> environment() {
      return Map.of();
    }
  }
}
