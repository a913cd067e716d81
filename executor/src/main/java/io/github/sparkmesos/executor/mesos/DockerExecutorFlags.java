package io.github.sparkmesos.executor.mesos;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command line an agent's Docker containerizer gives {@code <launcher_dir>/mesos-docker-executor}
 * (src/docker/executor.hpp, class Flags; src/slave/containerizer/docker.cpp, {@code dockerFlags}),
 * read as stout reads flags ({@link StoutFlags}). {@code --container} (the name the agent inspects,
 * updates and removes the container by) tells it from the command executor's.
 *
 * @param container         the container's name, {@code mesos-<containerId>}
 * @param docker            the docker CLI the agent uses (the engine is reached through its socket here)
 * @param dockerSocket      the engine's socket
 * @param sandboxDirectory  the sandbox on the host: the container's output goes to its stdout and stderr
 * @param mappedDirectory   where the sandbox is mounted in the container ({@code MESOS_SANDBOX})
 * @param taskEnvironment   variables for the task (the isolators' and the agent's), a JSON map
 * @param defaultDns        the agent's {@code --default_container_dns}, kept as given
 * @param stopTimeout       the deprecated kill grace floor
 */
public record DockerExecutorFlags(
    String container,
    Optional<String> docker,
    Optional<String> dockerSocket,
    Optional<Path> sandboxDirectory,
    Optional<String> mappedDirectory,
    Optional<Path> launcherDir,
    Map<String, String> taskEnvironment,
    Optional<JsonObject> defaultDns,
    boolean cgroupsEnableCfs,
    Optional<Duration> stopTimeout) {

  public static final List<String> NAMES = List.of("container", "docker", "docker_socket", "sandbox_directory",
      "mapped_directory", "launcher_dir", "task_environment", "default_container_dns", "cgroups_enable_cfs",
      "stop_timeout");

  /** Whether {@code args} are the Docker executor's: the agent always names the container. */
  public static boolean given(List<String> args) {
    return args.stream().anyMatch(a -> a.toLowerCase(java.util.Locale.ROOT).startsWith("--container="));
  }

  /** Reads the agent's flags; what is not one of them is returned in {@code rest}. */
  public static DockerExecutorFlags parse(List<String> args, List<String> rest) {
    Map<String, String> values = StoutFlags.parse(args, NAMES, Set.of("cgroups_enable_cfs"), rest);
    String container = values.get("container");
    if (container == null || !container.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
      throw new IllegalArgumentException("flag '--container' is required, a Docker container name ([a-zA-Z0-9]"
          + "[a-zA-Z0-9_.-]*), not '" + container + "'");
    }
    Optional<String> mapped = Optional.ofNullable(values.get("mapped_directory"));
    if (mapped.isPresent() && !mapped.get().startsWith("/")) {
      throw new IllegalArgumentException("flag '--mapped_directory' must be an absolute path in the container");
    }
    Optional<Duration> stop = Optional.empty();
    if (values.containsKey("stop_timeout")) {
      try {
        stop = Optional.of(Durations.parse(values.get("stop_timeout")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("flag '--stop_timeout': " + e.getMessage(), e);
      }
    }
    return new DockerExecutorFlags(container, Optional.ofNullable(values.get("docker")),
        Optional.ofNullable(values.get("docker_socket")),
        Optional.ofNullable(values.get("sandbox_directory")).map(Path::of), mapped,
        Optional.ofNullable(values.get("launcher_dir")).map(Path::of),
        environment(values.get("task_environment")),
        Optional.ofNullable(values.get("default_container_dns"))
            .map(v -> StoutFlags.jsonObject("default_container_dns", v)),
        "true".equals(values.get("cgroups_enable_cfs")), stop);
  }

  /** {@code --task_environment}: a JSON map of names to string values. */
  private static Map<String, String> environment(String json) {
    Map<String, String> env = new LinkedHashMap<>();
    if (json == null) {
      return env;
    }
    for (Map.Entry<String, JsonElement> e : StoutFlags.jsonObject("task_environment", json).entrySet()) {
      if (!e.getValue().isJsonPrimitive() || !e.getValue().getAsJsonPrimitive().isString()) {
        throw new IllegalArgumentException("flag '--task_environment': the value of '" + e.getKey()
            + "' is not a string");
      }
      env.put(e.getKey(), e.getValue().getAsString());
    }
    return env;
  }

  /** The engine's address as docker-java takes it: the agent's socket, else the default. */
  public Optional<String> engineHost() {
    return dockerSocket.map(s -> s.contains("://") ? s : "unix://" + s);
  }
}
