package io.github.sparkmesos.executor.task;

import io.github.sparkmesos.docker.ContainerSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.HealthCheck;

/**
 * Everything needed to run one task, validated from its TaskInfo before anything exists: where it
 * runs, what to fetch, its command, environment, container, networks, secret references, kill grace
 * and checks. Immutable. {@link #toString()} shows no secret value.
 *
 * @param directory    the task's directory, created by the pipeline after validation
 * @param inSandbox    the directory is the executor's own sandbox (a command task, as Mesos's command
 *                     executor runs it): its stdout and stderr are the executor's too
 * @param environment  variables the task sets on top of the executor's inheritable environment
 * @param maxCompletionTime how long the task may run before it is failed (TaskInfo.max_completion_time)
 * @param container    the container the task asks for, validated (none: a process on this host)
 * @param containerizer which of Mesos's containerizers the container is asked of ({@code spark.mesos.containerizer},
 *                     or a {@code TaskInfo.container} of type MESOS with an image); meaningful with a container
 * @param secrets      the secrets the task asks for, each with where it goes (resolved by the secrets stage)
 * @param secretFiles  the file secrets the secrets stage wrote, for a container to mount (none before it)
 * @param secretValues values that must never appear in a log line, status message or printout
 * @param warnings     what the task asked for that is ignored, said in its stderr and the executor log
 * @param resources    the task's cpus and mem from {@code TaskInfo.resources} (a container's limits)
 * @param entry        what runs as the executor's user before the task's own command, ending by exec'ing what
 *                     follows it (the CNI option's namespace entry); empty for most tasks
 * @param rlimits      the task's own rlimits ({@code TaskInfo.container.rlimit_info}), by prlimit's names, over the
 *                     operator's defaults
 * @param hostname     the hostname of a task without a container in its own networks ({@code
 *                     TaskInfo.container.hostname}; a container's is in its spec), else its container id
 * @param imageEntrypoint the container keeps its image's entrypoint and {@code argv} is its command: a Docker
 *                     command task without the shell, as Mesos's Docker containerizer runs it (§4.3)
 */
public record LaunchPlan(
    String taskId,
    Path directory,
    boolean inSandbox,
    List<FetchUri> uris,
    List<String> argv,
    Map<String, String> environment,
    Optional<ContainerSpec> container,
    Containerizer containerizer,
    List<Network> networks,
    List<TaskSecret> secrets,
    List<SecretFile> secretFiles,
    Optional<Duration> killGracePeriod,
    Optional<Duration> maxCompletionTime,
    Optional<HealthCheck> healthCheck,
    Optional<CheckInfo> check,
    Set<String> secretValues,
    List<String> warnings,
    Resources resources,
    boolean imageEntrypoint,
    List<String> entry,
    Map<String, io.github.sparkmesos.os.ResourceLimits.Limit> rlimits,
    Optional<String> hostname) {

  /**
   * The task's scalar resources that limit a container: {@code cpus}, {@code mem} (MiB, rounded down as Mesos
   * reads it) and {@code gpus} (whole GPUs), each summed over the task's resource entries; empty when the task has
   * none.
   */
  public record Resources(Optional<Double> cpus, Optional<Long> memoryMib, Optional<Long> gpus) {
    public static final Resources NONE = new Resources(Optional.empty(), Optional.empty(), Optional.empty());

    public Resources {
      java.util.Objects.requireNonNull(cpus, "cpus");
      java.util.Objects.requireNonNull(memoryMib, "memoryMib");
      java.util.Objects.requireNonNull(gpus, "gpus");
    }

    public Resources(Optional<Double> cpus, Optional<Long> memoryMib) {
      this(cpus, memoryMib, Optional.empty());
    }

    @Override
    public String toString() {
      List<String> parts = new java.util.ArrayList<>();
      cpus.ifPresent(c -> parts.add("cpus " + c));
      memoryMib.ifPresent(m -> parts.add("mem " + m + " MiB"));
      gpus.ifPresent(g -> parts.add("gpus " + g));
      return String.join(", ", parts);
    }
  }

  /** Mesos's containerizer a container is asked of: Docker's (the default) or Mesos's own, with an image. */
  public enum Containerizer { DOCKER, MESOS }

  /**
   * A network the task joins, with its labels, as {@code NetworkInfo} names them.
   *
   * @param info the whole {@code NetworkInfo}, as CNI plugins are given it
   */
  public record Network(String name, Map<String, String> labels, org.apache.mesos.v1.Protos.NetworkInfo info) {
    public Network {
      labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
      java.util.Objects.requireNonNull(info, "info");
    }

    /** The network {@code spark.mesos.network.name} and {@code .labels} ask for, as Spark's NetworkInfo. */
    public Network(String name, Map<String, String> labels) {
      this(name, labels, info(name, labels));
    }

    private static org.apache.mesos.v1.Protos.NetworkInfo info(String name, Map<String, String> labels) {
      org.apache.mesos.v1.Protos.Labels.Builder l = org.apache.mesos.v1.Protos.Labels.newBuilder();
      labels.forEach((k, v) -> l.addLabels(org.apache.mesos.v1.Protos.Label.newBuilder().setKey(k).setValue(v)));
      org.apache.mesos.v1.Protos.NetworkInfo.Builder info = org.apache.mesos.v1.Protos.NetworkInfo.newBuilder()
          .setName(name);
      if (!labels.isEmpty()) {
        info.setLabels(l);
      }
      return info.build();
    }

    @Override
    public String toString() {
      return "Network[name=" + name + ", labels=" + labels + "]";
    }
  }

  /**
   * A secret written to a file on this host: a file of the task, with its path as the task gave it (relative to its
   * sandbox, or absolute), or the registry credentials its image is pulled with.
   */
  public record SecretFile(Path hostFile, String target, TaskSecret.Delivery delivery) {}

  /** The Docker {@code config.json} the secrets stage wrote for this task's pull, if any. */
  public Optional<Path> registryConfig() {
    return secretFiles.stream().filter(f -> f.delivery() == TaskSecret.Delivery.REGISTRY_CONFIG)
        .map(SecretFile::hostFile).findFirst();
  }

  public LaunchPlan {
    uris = List.copyOf(uris);
    argv = List.copyOf(argv);
    entry = List.copyOf(entry);
    rlimits = Collections.unmodifiableMap(new LinkedHashMap<>(rlimits));
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    networks = List.copyOf(networks);
    secrets = List.copyOf(secrets);
    secretFiles = List.copyOf(secretFiles);
    secretValues = Set.copyOf(secretValues);
    warnings = List.copyOf(warnings);
    java.util.Objects.requireNonNull(containerizer, "containerizer");
    java.util.Objects.requireNonNull(resources, "resources");
    java.util.Objects.requireNonNull(hostname, "hostname");
  }

  /**
   * This plan with its secrets delivered: the resolved variables set, the files written, their values known to
   * be secret.
   */
  public LaunchPlan withResolvedSecrets(Map<String, String> variables, List<SecretFile> files,
      Set<String> resolvedValues) {
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.putAll(variables);
    Set<String> values = new java.util.HashSet<>(secretValues);
    values.addAll(resolvedValues);
    return new LaunchPlan(taskId, directory, inSandbox, uris, argv, env, container, containerizer, networks,
        secrets, files, killGracePeriod, maxCompletionTime, healthCheck, check, values, warnings, resources,
        imageEntrypoint, entry, rlimits, hostname);
  }

  /**
   * This plan with its container's image entrypoint kept and {@code command} as its arguments (empty: the image's
   * own command), as Mesos's Docker containerizer runs a command without the shell.
   */
  public LaunchPlan withImageEntrypoint(List<String> command) {
    return new LaunchPlan(taskId, directory, inSandbox, uris, command, environment, container, containerizer,
        networks, secrets, secretFiles, killGracePeriod, maxCompletionTime, healthCheck, check, secretValues, warnings,
        resources, true, entry, rlimits, hostname);
  }

  /**
   * This plan entered through {@code otherEntry} first, then through its own entry, and with more variables (the
   * CNI option starts the task inside its network namespace, with the address it got; file secrets at host paths
   * are mounted in a mount namespace of the task's).
   */
  public LaunchPlan withEntry(List<String> otherEntry, Map<String, String> moreEnvironment) {
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.putAll(moreEnvironment);
    List<String> entered = new java.util.ArrayList<>(otherEntry);
    entered.addAll(entry);
    return new LaunchPlan(taskId, directory, inSandbox, uris, argv, env, container, containerizer, networks,
        secrets, secretFiles, killGracePeriod, maxCompletionTime, healthCheck, check, secretValues, warnings,
        resources, imageEntrypoint, entered, rlimits, hostname);
  }

  /** This plan with a kill grace (the Docker executor's --stop_timeout when the task has no kill policy). */
  public LaunchPlan withKillGracePeriod(Duration grace) {
    return new LaunchPlan(taskId, directory, inSandbox, uris, argv, environment, container, containerizer, networks,
        secrets, secretFiles, Optional.of(grace), maxCompletionTime, healthCheck, check, secretValues, warnings,
        resources, imageEntrypoint, entry, rlimits, hostname);
  }

  @Override
  public String toString() {
    String env = environment.entrySet().stream()
        .map(e -> e.getKey() + "=" + (secretValues.contains(e.getValue()) ? "<secret>" : hide(e.getValue())))
        .collect(Collectors.joining(", ", "{", "}"));
    return "LaunchPlan[task " + taskId + " in " + directory + ", uris=" + uris + ", argv="
        + argv.stream().map(this::hide).toList() + ", env=" + env + container.map(c -> ", container=" + hide(c.toString())
            + (containerizer == Containerizer.MESOS ? " (Mesos containerizer)" : "")).orElse("")
        + (networks.isEmpty() ? "" : ", networks=" + networks)
        + hostname.map(h -> ", hostname " + h).orElse("")
        + (secrets.isEmpty() ? "" : ", secrets=" + secrets)
        + killGracePeriod.map(g -> ", kill grace " + g.toMillis() + " ms").orElse("")
        + maxCompletionTime.map(t -> ", max completion time " + t.toMillis() + " ms").orElse("")
        + healthCheck.map(h -> ", health check " + h.getType()).orElse("")
        + check.map(c -> ", check " + c.getType()).orElse("")
        + (resources.equals(Resources.NONE) ? "" : ", " + resources)
        + (rlimits.isEmpty() ? "" : ", rlimits " + rlimits) + "]";
  }

  /** A secret value inside a longer string (a command line) is masked too. */
  private String hide(String text) {
    String shown = text;
    for (String secret : secretValues) {
      if (!secret.isEmpty()) {
        shown = shown.replace(secret, "<secret>");
      }
    }
    return shown;
  }
}
