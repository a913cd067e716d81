package io.github.sparkmesos.docker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ContainerLifecycle#create} makes: a plain value, copied on construction.
 *
 * @param name        the container's name, or null for one the engine picks
 * @param image       the image reference
 * @param entrypoint  replaces the image's entrypoint when not null ({@code []} clears it)
 * @param command     the command (arguments of the entrypoint), or null for the image's
 * @param env         {@code NAME=value} entries, sent in the API body, never on a command line
 * @param workingDir  the working directory inside the container, or null for the image's
 * @param binds       {@code host:container[:ro|:rw]}
 * @param labels      the container's labels
 * @param networkMode {@code host}, {@code bridge}, {@code none}, {@code container:<id>} or a network's name; null
 *                    for the engine's default
 * @param memoryBytes a hard memory limit (swap included), or 0 for none
 * @param cpuShares   the relative cpu weight, or 0 for the engine's default (1024)
 * @param ports       published ports ({@code ExposedPorts} and {@code HostConfig.PortBindings})
 * @param hostname    the container's host name, or null for the engine's (its id)
 * @param privileged  {@code docker run --privileged}
 * @param parameters  further {@code docker run} long options, applied after everything above in order, as the
 *                    docker CLI applies {@code --option=value} after Mesos's own flags: a parameter for the same
 *                    field wins ({@link ParameterMapping})
 */
public record ContainerConfig(String name, String image, List<String> entrypoint, List<String> command,
    List<String> env, String workingDir, List<String> binds, Map<String, String> labels, String networkMode,
    long memoryBytes, int cpuShares, List<Port> ports, String hostname, boolean privileged,
    List<ContainerSpec.Parameter> parameters) {

  /**
   * One published port: {@code hostIp} (null: every address), the host port, the container port and tcp, udp or
   * sctp.
   */
  public record Port(String hostIp, int hostPort, int containerPort, String protocol) {
    public Port {
      Objects.requireNonNull(protocol, "protocol");
      if (!List.of("tcp", "udp", "sctp").contains(protocol)) {
        throw new IllegalArgumentException("protocol '" + protocol + "' is not tcp, udp or sctp");
      }
      if (hostPort < 0 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) {
        throw new IllegalArgumentException("port " + hostPort + ":" + containerPort + " is out of range");
      }
    }
  }

  public ContainerConfig {
    Objects.requireNonNull(image, "image");
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    command = command == null ? null : List.copyOf(command);
    env = env == null ? List.of() : List.copyOf(env);
    binds = binds == null ? List.of() : List.copyOf(binds);
    labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    ports = ports == null ? List.of() : List.copyOf(ports);
    parameters = parameters == null ? List.of() : List.copyOf(parameters);
    for (String entry : env) {
      if (entry.indexOf('=') <= 0) {
        throw new IllegalArgumentException("environment entry '" + entry.split("=", 2)[0] + "' is not NAME=value");
      }
    }
    if (memoryBytes < 0 || cpuShares < 0) {
      throw new IllegalArgumentException("memory and cpu shares must not be negative");
    }
  }

  public static Builder builder(String image) {
    return new Builder(image);
  }

  /** Builds a {@link ContainerConfig}; lists and labels accumulate. */
  public static final class Builder {
    private final String image;
    private String name;
    private List<String> entrypoint;
    private List<String> command;
    private final List<String> env = new ArrayList<>();
    private String workingDir;
    private final List<String> binds = new ArrayList<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private String networkMode;
    private long memoryBytes;
    private int cpuShares;
    private final List<Port> ports = new ArrayList<>();
    private String hostname;
    private boolean privileged;
    private final List<ContainerSpec.Parameter> parameters = new ArrayList<>();

    private Builder(String image) {
      this.image = image;
    }

    public Builder name(String value) {
      name = value;
      return this;
    }

    public Builder entrypoint(String... argv) {
      entrypoint = List.of(argv);
      return this;
    }

    public Builder command(String... argv) {
      command = List.of(argv);
      return this;
    }

    public Builder command(List<String> argv) {
      command = argv;
      return this;
    }

    public Builder env(String nameEqualsValue) {
      env.add(nameEqualsValue);
      return this;
    }

    public Builder env(String name, String value) {
      env.add(name + "=" + value);
      return this;
    }

    public Builder workingDir(String dir) {
      workingDir = dir;
      return this;
    }

    public Builder bind(String hostColonContainer) {
      binds.add(hostColonContainer);
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public Builder labels(Map<String, String> values) {
      labels.putAll(values);
      return this;
    }

    public Builder networkMode(String mode) {
      networkMode = mode;
      return this;
    }

    public Builder memoryBytes(long bytes) {
      memoryBytes = bytes;
      return this;
    }

    public Builder cpuShares(int shares) {
      cpuShares = shares;
      return this;
    }

    public Builder port(Port port) {
      ports.add(port);
      return this;
    }

    public Builder hostname(String value) {
      hostname = value;
      return this;
    }

    public Builder privileged(boolean value) {
      privileged = value;
      return this;
    }

    /** One {@code docker run --option=value}, with docker run's long name. */
    public Builder parameter(String option, String value) {
      parameters.add(new ContainerSpec.Parameter(option, value));
      return this;
    }

    public Builder parameters(List<ContainerSpec.Parameter> values) {
      parameters.addAll(values);
      return this;
    }

    public Builder entrypoint(List<String> argv) {
      entrypoint = argv;
      return this;
    }

    public ContainerConfig build() {
      return new ContainerConfig(name, image, entrypoint, command, env, workingDir, binds, labels, networkMode,
          memoryBytes, cpuShares, ports, hostname, privileged, parameters);
    }
  }
}
