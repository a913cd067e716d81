package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.docker.DockerEngine;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import io.github.sparkmesos.os.StdinPipe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nothing of a task outlives the executor, in Docker too: a container's watchdog is a tiny shell
 * process, in a session of its own (so no signal to the executor's group reaches it), whose stdin is
 * a pipe only this executor holds open. When the executor ends, however it ends (SIGKILL included),
 * the kernel closes that pipe, {@code read} returns at end of file, and the watchdog becomes the
 * engine's force-removal of the container: the container is gone within the time of one {@code docker
 * rm -f}, well inside the agent's recovery timeout. It leaves the executor's cgroups for the top of each
 * hierarchy (where the executor may move it: as root), so an agent that destroys the executor's container
 * through its cgroups (freeze, kill all, remove) does not take the watchdog with it. When the task ends normally the executor releases
 * the watchdog (a line on the pipe), and it exits without touching the container.
 *
 * <p>The removal is the docker CLI of the executor's PATH with the executor's {@code DOCKER_HOST};
 * without it, curl on the engine's API; without either, no watchdog (a warning), and the containers
 * are removed by label at the next start of this executor.
 */
final class ContainerWatchdog {

  static final String RELEASE = "released";
  /** $0 is the watchdog's name, "$@" the removal's argv: nothing of the container is quoted into the script. */
  private static final String SCRIPT = "read line; [ \"$line\" = " + RELEASE + " ] && exit 0; exec \"$@\"";
  private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final List<String> PASSED_ON = List.of("HOME", "DOCKER_CONFIG", "DOCKER_CERT_PATH",
      "DOCKER_TLS_VERIFY", "DOCKER_API_VERSION");

  private final StdinPipe pipe;
  private final ChildProcess process;

  private ContainerWatchdog(StdinPipe pipe, ChildProcess process) {
    this.pipe = pipe;
    this.process = process;
  }

  /**
   * Starts the watchdog of container {@code id}, its errors appended to {@code stderr}; one that
   * watches nothing (with a warning) when it cannot be started.
   */
  static ContainerWatchdog watch(String id, Map<String, String> environment, Path stderr) {
    Optional<List<String>> removal = removal(id, environment, onPath("docker", environment));
    if (removal.isEmpty()) {
      Log.warn("container " + id + ": no docker CLI nor curl on PATH to remove it should this executor die;"
          + " it would be removed at this executor's next start");
      return new ContainerWatchdog(null, null);
    }
    List<String> argv = new ArrayList<>(List.of("sh", "-c", SCRIPT, "container-watchdog"));
    argv.addAll(removal.get());
    StdinPipe pipe = null;
    try {
      pipe = StdinPipe.open();
      ChildProcess process = ProcessLauncher.spawn(ProcessSpec.of(argv, watchdogEnvironment(environment), Path.of("/"))
          .withOutput(Path.of("/dev/null"), stderr), pipe);
      // an agent destroys this executor by its cgroups, killing all that is in them: the watchdog must not be
      io.github.sparkmesos.os.CgroupEscape.toTop(process.pid());
      return new ContainerWatchdog(pipe, process);
    } catch (IOException e) {
      if (pipe != null) {
        pipe.close();
      }
      Log.warn("container " + id + ": its watchdog did not start: " + e.getMessage());
      return new ContainerWatchdog(null, null);
    }
  }

  /** The task ended and the executor removes (or removed) the container itself: the watchdog exits. */
  void release() {
    if (pipe != null) {
      pipe.write(RELEASE + "\n");
      pipe.close();
    }
  }

  /** What the executor's death does: the pipe closes without a release. For tests. */
  void abandon() {
    if (pipe != null) {
      pipe.close();
    }
  }

  /** The watchdog's process, if one started. */
  Optional<ChildProcess> process() {
    return Optional.ofNullable(process);
  }

  /** How the container is removed: the docker CLI, else curl on the engine's API, else nothing. */
  static Optional<List<String>> removal(String id, Map<String, String> environment, boolean dockerCli) {
    if (dockerCli) {
      return Optional.of(List.of("docker", "rm", "--force", "--volumes", id));
    }
    if (!onPath("curl", environment)) {
      return Optional.empty();
    }
    String host = DockerEngine.hostFrom(environment);
    String query = "/containers/" + id + "?force=true&v=true";
    if (host.startsWith("/") || host.startsWith("unix://")) {
      String socket = host.startsWith("/") ? host : host.substring("unix://".length());
      return Optional.of(List.of("curl", "-sS", "--unix-socket", socket, "-X", "DELETE", "http://localhost" + query));
    }
    return Optional.of(List.of("curl", "-sS", "-X", "DELETE", "http://" + host.replaceFirst("^tcp://", "") + query));
  }

  /** PATH, the engine's address as the CLI reads it, and the CLI's own settings: nothing of the task's. */
  static Map<String, String> watchdogEnvironment(Map<String, String> environment) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", environment.getOrDefault("PATH", DEFAULT_PATH));
    String host = DockerEngine.hostFrom(environment);
    env.put("DOCKER_HOST", host.startsWith("/") ? "unix://" + host : host);
    for (String name : PASSED_ON) {
      if (environment.containsKey(name)) {
        env.put(name, environment.get(name));
      }
    }
    return env;
  }

  private static boolean onPath(String program, Map<String, String> environment) {
    for (String dir : environment.getOrDefault("PATH", DEFAULT_PATH).split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
