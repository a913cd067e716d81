package io.github.sparkmesos.executor.task;

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
 * @param image        the container image the task asks for (none: a process on this host)
 * @param secretValues values that must never appear in a log line, status message or printout
 * @param warnings     what the task asked for that is ignored, said in its stderr and the executor log
 */
public record LaunchPlan(
    String taskId,
    Path directory,
    boolean inSandbox,
    List<FetchUri> uris,
    List<String> argv,
    Map<String, String> environment,
    Optional<String> image,
    List<Network> networks,
    List<SecretReference> secretReferences,
    Optional<Duration> killGracePeriod,
    Optional<Duration> maxCompletionTime,
    Optional<HealthCheck> healthCheck,
    Optional<CheckInfo> check,
    Set<String> secretValues,
    List<String> warnings) {

  /** A network the task joins, with its labels, as {@code NetworkInfo} names them. */
  public record Network(String name, Map<String, String> labels) {
    public Network {
      labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }
  }

  /** A secret held in a store, and the environment variable or file it goes to. */
  public record SecretReference(String name, Optional<String> key, String target) {}

  public LaunchPlan {
    uris = List.copyOf(uris);
    argv = List.copyOf(argv);
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    networks = List.copyOf(networks);
    secretReferences = List.copyOf(secretReferences);
    secretValues = Set.copyOf(secretValues);
    warnings = List.copyOf(warnings);
  }

  /** This plan with more variables set (the secrets stage adds the resolved ones). */
  public LaunchPlan withEnvironment(Map<String, String> more, Set<String> moreSecretValues) {
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.putAll(more);
    Set<String> secrets = new java.util.HashSet<>(secretValues);
    secrets.addAll(moreSecretValues);
    return new LaunchPlan(taskId, directory, inSandbox, uris, argv, env, image, networks, secretReferences,
        killGracePeriod, maxCompletionTime, healthCheck, check, secrets, warnings);
  }

  @Override
  public String toString() {
    String env = environment.entrySet().stream()
        .map(e -> e.getKey() + "=" + (secretValues.contains(e.getValue()) ? "<secret>" : hide(e.getValue())))
        .collect(Collectors.joining(", ", "{", "}"));
    return "LaunchPlan[task " + taskId + " in " + directory + ", uris=" + uris + ", argv="
        + argv.stream().map(this::hide).toList() + ", env=" + env + image.map(i -> ", image=" + i).orElse("")
        + (networks.isEmpty() ? "" : ", networks=" + networks)
        + (secretReferences.isEmpty() ? "" : ", secrets=" + secretReferences)
        + killGracePeriod.map(g -> ", kill grace " + g.toMillis() + " ms").orElse("")
        + maxCompletionTime.map(t -> ", max completion time " + t.toMillis() + " ms").orElse("")
        + healthCheck.map(h -> ", health check " + h.getType()).orElse("")
        + check.map(c -> ", check " + c.getType()).orElse("") + "]";
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
