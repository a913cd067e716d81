package io.github.sparkmesos.docker;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One container request, validated and immutable: what a Docker runtime needs to pull, create and
 * start a container, with no Mesos or Spark in it. Built by the executor from a task; checked for form
 * on construction (paths, ports, parameters through {@link DockerParameters}); an operator's
 * {@link DockerPolicy} is applied on top with {@link DockerPolicy#check(ContainerSpec)}.
 *
 * @param image         the image to run
 * @param forcePull     pull even when the image is present (Mesos's {@code force_pull_image})
 * @param volumes       mounts, in order
 * @param portMappings  published ports, in order (only on a bridge or user network)
 * @param network       the network the container joins
 * @param networkLabels labels of that network (the runtime puts them on the container)
 * @param hostname      the container's host name (not with host networking)
 * @param privileged    Mesos's {@code DockerInfo.privileged}
 * @param parameters    further {@code docker run} long options, in order, repeated keys kept;
 *                      {@code network}/{@code net} never appear here (they are {@link #network})
 */
public record ContainerSpec(ImageReference image, boolean forcePull, List<Volume> volumes,
    List<PortMapping> portMappings, NetworkMode network, Map<String, String> networkLabels,
    Optional<String> hostname, boolean privileged, List<Parameter> parameters) {

  public ContainerSpec {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(network, "network");
    volumes = List.copyOf(volumes);
    portMappings = List.copyOf(portMappings);
    networkLabels = Collections.unmodifiableMap(new LinkedHashMap<>(networkLabels));
    parameters = List.copyOf(parameters);
    for (Parameter p : parameters) {
      if (p.option().equals("network") || p.option().equals("net")) {
        throw new IllegalArgumentException("the network is ContainerSpec.network, not a parameter");
      }
    }
    if (!portMappings.isEmpty() && network.kind() != NetworkMode.Kind.BRIDGE
        && network.kind() != NetworkMode.Kind.USER) {
      throw new IllegalArgumentException("port mappings need a bridge or user network, not " + network);
    }
    if (hostname.isPresent() && network.kind() == NetworkMode.Kind.HOST) {
      throw new IllegalArgumentException("a hostname cannot be set with host networking");
    }
  }

  /** A spec with only an image: host network, nothing else. */
  public static ContainerSpec of(ImageReference image) {
    return new ContainerSpec(image, false, List.of(), List.of(), NetworkMode.HOST, Map.of(), Optional.empty(),
        false, List.of());
  }

  /** The values of every parameter with this option, in order. */
  public List<String> parameterValues(String option) {
    return parameters.stream().filter(p -> p.option().equals(option)).map(Parameter::value).toList();
  }

  /** Shows no {@code env} value: only its name. */
  @Override
  public String toString() {
    return "ContainerSpec[" + image + (forcePull ? " (force pull)" : "") + ", network " + network
        + (networkLabels.isEmpty() ? "" : " " + networkLabels)
        + (volumes.isEmpty() ? "" : ", volumes " + volumes)
        + (portMappings.isEmpty() ? "" : ", ports " + portMappings)
        + hostname.map(h -> ", hostname " + h).orElse("") + (privileged ? ", privileged" : "")
        + (parameters.isEmpty() ? "" : ", parameters "
            + parameters.stream().map(Parameter::toString).collect(Collectors.joining(" ", "[", "]")))
        + "]";
  }

  /**
   * A mount. {@code source} is an absolute host path ({@link Kind#HOST_PATH}), a Docker volume name
   * ({@link Kind#NAMED_VOLUME}, with an optional driver and its options) or a path relative to the task's
   * sandbox ({@link Kind#SANDBOX}). {@code containerPath} is absolute, or relative to the sandbox as
   * mounted in the container (then the source must not be {@link Kind#SANDBOX}: Mesos refuses both
   * relative).
   */
  public record Volume(Kind kind, String source, String containerPath, boolean readOnly, Optional<String> driver,
      Map<String, String> driverOptions) {

    public enum Kind { HOST_PATH, NAMED_VOLUME, SANDBOX }

    public Volume {
      Objects.requireNonNull(kind, "kind");
      driverOptions = Collections.unmodifiableMap(new LinkedHashMap<>(driverOptions));
      if (source == null || source.isEmpty() || containerPath == null || containerPath.isEmpty()) {
        throw new IllegalArgumentException("a volume needs a source and a container path");
      }
      if (containerPath.indexOf('\0') >= 0 || source.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("a volume path must not contain NUL");
      }
      switch (kind) {
        case HOST_PATH -> {
          if (!source.startsWith("/")) {
            throw new IllegalArgumentException("host path '" + source + "' must be absolute");
          }
        }
        case SANDBOX -> {
          if (source.startsWith("/") || escapes(source)) {
            throw new IllegalArgumentException("sandbox path '" + source + "' must be relative and stay inside the sandbox");
          }
          if (!containerPath.startsWith("/")) {
            throw new IllegalArgumentException("'" + source + ":" + containerPath
                + "': the host path and the container path cannot both be relative");
          }
        }
        case NAMED_VOLUME -> {
          if (!source.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new IllegalArgumentException("volume name '" + source + "' must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
          }
        }
      }
      if (!containerPath.startsWith("/") && escapes(containerPath)) {
        throw new IllegalArgumentException("relative container path '" + containerPath + "' leaves the sandbox");
      }
      if (kind != Kind.NAMED_VOLUME && (driver.isPresent() || !driverOptions.isEmpty())) {
        throw new IllegalArgumentException("only a named volume has a driver");
      }
    }

    public static Volume hostPath(String hostPath, String containerPath, boolean readOnly) {
      return new Volume(Kind.HOST_PATH, hostPath, containerPath, readOnly, Optional.empty(), Map.of());
    }

    public static Volume sandbox(String relativePath, String containerPath, boolean readOnly) {
      return new Volume(Kind.SANDBOX, relativePath, containerPath, readOnly, Optional.empty(), Map.of());
    }

    public static Volume named(String name, String containerPath, boolean readOnly) {
      return new Volume(Kind.NAMED_VOLUME, name, containerPath, readOnly, Optional.empty(), Map.of());
    }

    private static boolean escapes(String relative) {
      int depth = 0;
      for (String part : relative.split("/")) {
        if (part.equals("..")) {
          depth--;
        } else if (!part.isEmpty() && !part.equals(".")) {
          depth++;
        }
        if (depth < 0) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String toString() {
      String src = switch (kind) {
        case HOST_PATH -> source;
        case SANDBOX -> "sandbox:" + source;
        case NAMED_VOLUME -> "volume:" + source + driver.map(d -> "(" + d + ")").orElse("");
      };
      return src + ":" + containerPath + (readOnly ? ":ro" : ":rw");
    }
  }

  /** A published port. */
  public record PortMapping(int hostPort, int containerPort, Protocol protocol) {

    public enum Protocol {
      TCP, UDP, SCTP;

      /** tcp, udp or sctp, any case (Mesos lowercases it for {@code -p}). */
      public static Protocol parse(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
          case "tcp" -> TCP;
          case "udp" -> UDP;
          case "sctp" -> SCTP;
          default -> throw new IllegalArgumentException("protocol '" + text + "' is not tcp, udp or sctp");
        };
      }

      @Override
      public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
      }
    }

    public PortMapping {
      Objects.requireNonNull(protocol, "protocol");
      if (hostPort < 1 || hostPort > 65535) {
        throw new IllegalArgumentException("host port " + hostPort + " is not in 1-65535");
      }
      if (containerPort < 1 || containerPort > 65535) {
        throw new IllegalArgumentException("container port " + containerPort + " is not in 1-65535");
      }
    }

    @Override
    public String toString() {
      return hostPort + ":" + containerPort + "/" + protocol;
    }
  }

  /** Docker's network modes: host, bridge, none, or a user-defined network by name. */
  public record NetworkMode(Kind kind, Optional<String> name) {

    public enum Kind { HOST, BRIDGE, NONE, USER }

    public static final NetworkMode HOST = new NetworkMode(Kind.HOST, Optional.empty());
    public static final NetworkMode BRIDGE = new NetworkMode(Kind.BRIDGE, Optional.empty());
    public static final NetworkMode NONE = new NetworkMode(Kind.NONE, Optional.empty());

    public NetworkMode {
      Objects.requireNonNull(kind, "kind");
      if ((kind == Kind.USER) != name.isPresent()) {
        throw new IllegalArgumentException("a user network, and only a user network, has a name");
      }
      if (name.isPresent() && !name.get().matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
        throw new IllegalArgumentException("network name '" + name.get() + "' must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
      }
    }

    public static NetworkMode user(String name) {
      return new NetworkMode(Kind.USER, Optional.of(name));
    }

    /** What {@code docker run --network=VALUE} means: host, bridge, none, or a network's name. */
    public static NetworkMode parse(String value) {
      return switch (value) {
        case "host" -> HOST;
        case "bridge", "default" -> BRIDGE;
        case "none" -> NONE;
        default -> {
          if (value.startsWith("container:")) {
            throw new IllegalArgumentException("network 'container:...' (another container's network) is not supported");
          }
          yield user(value);
        }
      };
    }

    @Override
    public String toString() {
      return kind == Kind.USER ? "user:" + name.get() : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One {@code docker run --option=value}. */
  public record Parameter(String option, String value) {
    public Parameter {
      Objects.requireNonNull(option, "option");
      Objects.requireNonNull(value, "value");
    }

    /** An {@code env} value is not shown, only the variable's name. */
    @Override
    public String toString() {
      if (option.equals("env")) {
        int eq = value.indexOf('=');
        return "--env=" + (eq < 0 ? value : value.substring(0, eq) + "=<hidden>");
      }
      return "--" + option + "=" + value;
    }
  }
}
