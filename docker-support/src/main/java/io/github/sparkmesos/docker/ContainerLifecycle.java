package io.github.sparkmesos.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The life of a container on one engine, one call per step: create, start, logs, wait for the exit, stop
 * (grace, then kill), remove; and the removal of what an earlier run left, found by label.
 */
public final class ContainerLifecycle {

  /** How long a stop may take beyond its grace period before the container is killed outright. */
  private static final Duration STOP_SLACK = Duration.ofSeconds(5);

  private final DockerEngine engine;

  public ContainerLifecycle(DockerEngine engine) {
    this.engine = engine;
  }

  /**
   * Creates the container of {@code spec} (not started).
   *
   * @return its id
   */
  public String create(ContainerConfig spec) throws EngineException {
    HostConfig host = HostConfig.newHostConfig();
    List<Bind> binds = new ArrayList<>();
    for (String bind : spec.binds()) {
      binds.add(parseBind(bind));
    }
    if (spec.networkMode() != null) {
      host.withNetworkMode(spec.networkMode());
    }
    if (spec.memoryBytes() > 0) {
      host.withMemory(spec.memoryBytes()).withMemorySwap(spec.memoryBytes()); // otherwise swap = 2 x memory
    }
    if (spec.cpuShares() > 0) {
      host.withCpuShares(spec.cpuShares());
    }
    if (spec.privileged()) {
      host.withPrivileged(true);
    }
    List<ExposedPort> exposed = new ArrayList<>();
    List<PortBinding> bindings = new ArrayList<>();
    for (ContainerConfig.Port port : spec.ports()) {
      ExposedPort inContainer = new ExposedPort(port.containerPort(), InternetProtocol.parse(port.protocol()));
      exposed.add(inContainer);
      bindings.add(new PortBinding(port.hostIp() == null ? Ports.Binding.bindPort(port.hostPort())
          : Ports.Binding.bindIpAndPort(port.hostIp(), port.hostPort()), inContainer));
    }
    CreateContainerCmd cmd = engine.client().createContainerCmd(spec.image()).withHostConfig(host);
    if (spec.name() != null) {
      cmd.withName(spec.name());
    }
    if (spec.entrypoint() != null) {
      cmd.withEntrypoint(spec.entrypoint());
    }
    if (spec.command() != null) {
      cmd.withCmd(spec.command());
    }
    if (spec.workingDir() != null) {
      cmd.withWorkingDir(spec.workingDir());
    }
    if (spec.hostname() != null) {
      cmd.withHostName(spec.hostname());
    }
    // the parameters last, as docker run reads --option=value after Mesos's own flags: theirs win
    ParameterMapping parameters = new ParameterMapping(cmd, host, spec.env(), spec.labels(), binds, exposed, bindings);
    for (ContainerSpec.Parameter p : spec.parameters()) {
      parameters.apply(p);
    }
    parameters.finish();
    try {
      return cmd.exec().getId();
    } catch (RuntimeException e) {
      throw new EngineException("Failed to create container" + (spec.name() == null ? "" : " '" + spec.name() + "'")
          + " from image '" + spec.image() + "': " + Failures.reason(e), e);
    }
  }

  public void start(String id) throws EngineException {
    try {
      engine.client().startContainerCmd(id).exec();
    } catch (NotModifiedException e) {
      // already running
    } catch (RuntimeException e) {
      throw new EngineException("Failed to start container " + id + ": " + Failures.reason(e), e);
    }
  }

  /** Follows the container's stdout and stderr into two files, appending. */
  public ContainerLogs logs(String id, Path stdout, Path stderr) throws EngineException {
    return ContainerLogs.follow(engine, id, stdout, stderr);
  }

  /** Follows the container's stdout and stderr into two channels (rotating files), which the logs then own. */
  public ContainerLogs logs(String id, java.nio.channels.WritableByteChannel stdout,
      java.nio.channels.WritableByteChannel stderr) throws EngineException {
    return ContainerLogs.follow(engine, id, stdout, stderr);
  }

  /**
   * Waits for the container to exit.
   *
   * @return its exit, or empty if it still runs after {@code limit}
   */
  public Optional<ContainerExit> awaitExit(String id, Duration limit) throws EngineException {
    try (WaitContainerResultCallback wait = engine.client().waitContainerCmd(id)
        .exec(new WaitContainerResultCallback())) {
      wait.awaitStatusCode(Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
    } catch (DockerClientException e) {
      if (String.valueOf(e.getMessage()).contains("timeout")) {
        return Optional.empty();
      }
      throw new EngineException("Failed to wait for container " + id + ": " + Failures.reason(e), e);
    } catch (IOException | RuntimeException e) {
      throw new EngineException("Failed to wait for container " + id + ": " + Failures.reason(e), e);
    }
    return Optional.of(exit(id));
  }

  /**
   * The exit of a container that has stopped: its code and whether the OOM killer was involved.
   *
   * @throws EngineException if it still runs or is unknown
   */
  public ContainerExit exit(String id) throws EngineException {
    InspectContainerResponse.ContainerState state = inspectState(id);
    if (Boolean.TRUE.equals(state.getRunning())) {
      throw new EngineException("Container " + id + " is still running");
    }
    Long code = state.getExitCodeLong();
    return new ContainerExit(code == null ? -1 : code.intValue(), Boolean.TRUE.equals(state.getOOMKilled()));
  }

  /**
   * Stops the container: its stop signal (SIGTERM unless the image says otherwise), then SIGKILL after
   * {@code grace} (rounded up to whole seconds, the engine's unit). Returns once it is not running; a stopped or
   * missing container is no error.
   */
  public void stop(String id, Duration grace) throws EngineException {
    int seconds = (int) Math.min(Integer.MAX_VALUE, (grace.toMillis() + 999) / 1000);
    CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
      try {
        engine.client().stopContainerCmd(id).withTimeout(seconds).exec();
      } catch (NotModifiedException | NotFoundException e) {
        // already stopped, or gone
      }
    });
    try {
      stop.get(seconds + STOP_SLACK.toSeconds(), TimeUnit.SECONDS);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(id);
      throw new EngineException("Interrupted while stopping container " + id + "; killed it", e);
    } catch (ExecutionException | TimeoutException e) {
      // the engine did not finish the stop in time, or failed it: kill outright
    }
    kill(id);
  }

  /** Sends SIGKILL; a stopped or missing container is no error. */
  public void kill(String id) throws EngineException {
    try {
      engine.client().killContainerCmd(id).exec();
    } catch (NotFoundException | NotModifiedException e) {
      // gone
    } catch (ConflictException e) {
      if (!String.valueOf(e.getMessage()).contains("is not running")) {
        throw new EngineException("Failed to kill container " + id + ": " + Failures.reason(e), e);
      }
    } catch (RuntimeException e) {
      throw new EngineException("Failed to kill container " + id + ": " + Failures.reason(e), e);
    }
  }

  /** Whether the container runs, or empty when the engine has no container of that id or name. */
  public Optional<Boolean> running(String id) throws EngineException {
    try {
      return Optional.of(Boolean.TRUE.equals(engine.client().inspectContainerCmd(id).exec().getState().getRunning()));
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw new EngineException("Failed to inspect container " + id + ": " + Failures.reason(e), e);
    }
  }

  /** The container's IPv4 and IPv6 addresses on its networks (none on the host's network). */
  public List<String> addresses(String id) throws EngineException {
    List<String> addresses = new ArrayList<>();
    try {
      var settings = engine.client().inspectContainerCmd(id).exec().getNetworkSettings();
      if (settings != null && settings.getNetworks() != null) {
        for (var network : settings.getNetworks().values()) {
          for (String ip : new String[] {network.getIpAddress(), network.getGlobalIPv6Address()}) {
            if (ip != null && !ip.isEmpty() && !addresses.contains(ip)) {
              addresses.add(ip);
            }
          }
        }
      }
      return addresses;
    } catch (RuntimeException e) {
      throw new EngineException("Failed to inspect container " + id + ": " + Failures.reason(e), e);
    }
  }

  /** Removes the container (killing it if it runs) and its anonymous volumes; a missing one is no error. */
  public void remove(String id) throws EngineException {
    try {
      engine.client().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // gone
    } catch (ConflictException e) {
      if (!String.valueOf(e.getMessage()).contains("already in progress")) {
        throw new EngineException("Failed to remove container " + id + ": " + Failures.reason(e), e);
      }
    } catch (RuntimeException e) {
      throw new EngineException("Failed to remove container " + id + ": " + Failures.reason(e), e);
    }
  }

  /** The names of every volume the engine has. */
  public java.util.Set<String> volumeNames() throws EngineException {
    try {
      java.util.Set<String> names = new java.util.HashSet<>();
      var volumes = engine.client().listVolumesCmd().exec().getVolumes();
      if (volumes != null) {
        volumes.forEach(v -> names.add(v.getName()));
      }
      return names;
    } catch (RuntimeException e) {
      throw new EngineException("Failed to list volumes: " + Failures.reason(e), e);
    }
  }

  /** The names of the volumes (named or anonymous) the container mounts. */
  public List<String> mountedVolumes(String id) throws EngineException {
    try {
      List<String> names = new ArrayList<>();
      var mounts = engine.client().inspectContainerCmd(id).exec().getMounts();
      if (mounts != null) {
        mounts.stream().filter(m -> m.getName() != null && !m.getName().isEmpty()).forEach(m -> names.add(m.getName()));
      }
      return names;
    } catch (RuntimeException e) {
      throw new EngineException("Failed to inspect container " + id + ": " + Failures.reason(e), e);
    }
  }

  /** Removes a volume; one that is gone already, or that another container still uses, stays as it is. */
  public void removeVolume(String name) throws EngineException {
    try {
      engine.client().removeVolumeCmd(name).exec();
    } catch (NotFoundException | ConflictException e) {
      // gone, or someone else's now
    } catch (RuntimeException e) {
      throw new EngineException("Failed to remove volume " + name + ": " + Failures.reason(e), e);
    }
  }

  /** The ids of every container, running or not, that carries all of {@code labels} (an empty value matches any). */
  public List<String> withLabels(Map<String, String> labels) throws EngineException {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("withLabels needs at least one label");
    }
    try {
      List<String> filter = new ArrayList<>();
      labels.forEach((key, value) -> filter.add(value.isEmpty() ? key : key + "=" + value));
      return engine.client().listContainersCmd().withShowAll(true).withLabelFilter(filter).exec().stream()
          .map(Container::getId).toList();
    } catch (RuntimeException e) {
      throw new EngineException("Failed to list containers labelled " + labels + ": " + Failures.reason(e), e);
    }
  }

  /**
   * Force-removes every container, running or not, that carries all of {@code labels} (a label with an empty
   * value matches any value of that key): what an earlier run of the caller left behind.
   *
   * @return the names (or ids) of the containers removed
   */
  public List<String> removeLeftovers(Map<String, String> labels) throws EngineException {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("removeLeftovers needs at least one label: it would remove every container");
    }
    List<Container> found;
    try {
      List<String> filter = new ArrayList<>();
      labels.forEach((key, value) -> filter.add(value.isEmpty() ? key : key + "=" + value));
      found = engine.client().listContainersCmd().withShowAll(true).withLabelFilter(filter).exec();
    } catch (RuntimeException e) {
      throw new EngineException("Failed to list containers labelled " + labels + ": " + Failures.reason(e), e);
    }
    List<String> removed = new ArrayList<>();
    for (Container container : found) {
      remove(container.getId());
      String[] names = container.getNames();
      removed.add(names != null && names.length > 0 ? names[0].replaceFirst("^/", "") : container.getId());
    }
    return removed;
  }

  private InspectContainerResponse.ContainerState inspectState(String id) throws EngineException {
    try {
      return engine.client().inspectContainerCmd(id).exec().getState();
    } catch (RuntimeException e) {
      throw new EngineException("Failed to inspect container " + id + ": " + Failures.reason(e), e);
    }
  }

  /** {@code host:container[:ro|:rw]}: a host path or a volume name, then an absolute path in the container. */
  static Bind parseBind(String text) throws EngineException {
    String[] parts = text.split(":", -1);
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || !parts[1].startsWith("/")
        || (parts.length == 3 && !parts[2].equals("ro") && !parts[2].equals("rw"))) {
      throw new EngineException("volume '" + text + "' is not host:container[:ro|:rw] with an absolute container path");
    }
    return Bind.parse(text);
  }
}
