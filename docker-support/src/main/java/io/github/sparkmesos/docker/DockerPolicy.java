package io.github.sparkmesos.docker;

import io.github.sparkmesos.docker.ContainerSpec.Parameter;
import io.github.sparkmesos.docker.ContainerSpec.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator of an agent allows a task's container to ask for, from two environment variables
 * of the executor:
 *
 * <ul>
 *   <li>{@value #DENY}: a comma-separated list of {@code option} (the option is refused whatever its
 *       value) or {@code option=value} (that value is refused), with docker run's long names
 *       ({@code net} is {@code network}). {@code privileged} also refuses Mesos's
 *       {@code DockerInfo.privileged}; {@code network=host} refuses host networking however it is asked
 *       for. Example: {@code privileged,pid=host,ipc=host,network=host,cap-add,device}.</li>
 *   <li>{@value #HOST_PATHS}: a comma-separated list of absolute directories. When it is set, a host
 *       path (a volume's, or the host side of a {@code volume} parameter) must be one of them or lie
 *       below one; when it is set and empty, no host path is allowed. Unset: any host path. Paths with
 *       {@code ..} are refused when it is set, since they could climb out of a root.</li>
 * </ul>
 *
 * A refusal names the entry and the rule that refuses it.
 */
public record DockerPolicy(List<Deny> denied, Optional<List<Path>> hostPathRoots) {

  public static final String DENY = "SPARK_MESOS_EXECUTOR_DOCKER_DENY";
  public static final String HOST_PATHS = "SPARK_MESOS_EXECUTOR_DOCKER_HOST_PATHS";

  /** Everything allowed. */
  public static final DockerPolicy NONE = new DockerPolicy(List.of(), Optional.empty());

  /** One entry of {@value #DENY}: an option, and the one value refused (none: every value). */
  public record Deny(String option, Optional<String> value) {
    @Override
    public String toString() {
      return option + value.map(v -> "=" + v).orElse("");
    }
  }

  public DockerPolicy {
    denied = List.copyOf(denied);
    hostPathRoots = hostPathRoots.map(List::copyOf);
  }

  /**
   * The policy the environment gives.
   *
   * @throws IllegalArgumentException when a variable is malformed, naming it
   */
  public static DockerPolicy fromEnvironment(Map<String, String> env) {
    List<Deny> denied = new ArrayList<>();
    for (String entry : items(env.get(DENY))) {
      int eq = entry.indexOf('=');
      String option = DockerParameters.canonical(eq < 0 ? entry : entry.substring(0, eq).trim());
      if (option.isEmpty()) {
        throw new IllegalArgumentException(DENY + ": entry '" + entry + "' has no option name");
      }
      if (!DockerParameters.options().containsKey(option)) {
        throw new IllegalArgumentException(DENY + ": '" + option + "' is not a docker run option a task may pass"
            + (DockerParameters.refused().containsKey(option) ? " (it is refused always)" : ""));
      }
      denied.add(new Deny(option, eq < 0 ? Optional.empty() : Optional.of(entry.substring(eq + 1).trim())));
    }
    Optional<List<Path>> roots = Optional.empty();
    if (env.containsKey(HOST_PATHS)) {
      List<Path> list = new ArrayList<>();
      for (String root : items(env.get(HOST_PATHS))) {
        if (!root.startsWith("/")) {
          throw new IllegalArgumentException(HOST_PATHS + ": '" + root + "' is not an absolute path");
        }
        list.add(Path.of(root).normalize());
      }
      roots = Optional.of(list);
    }
    return new DockerPolicy(denied, roots);
  }

  private static List<String> items(String text) {
    List<String> items = new ArrayList<>();
    if (text != null) {
      for (String piece : text.split(",")) {
        if (!piece.isBlank()) {
          items.add(piece.trim());
        }
      }
    }
    return items;
  }

  /** Checks a whole spec, naming entries by their place in it. */
  public void check(ContainerSpec spec) throws DockerSettingException {
    if (spec.privileged()) {
      checkPrivileged("privileged");
    }
    checkNetwork(spec.network(), "network");
    for (int i = 0; i < spec.volumes().size(); i++) {
      checkVolume(spec.volumes().get(i), "volumes[" + i + "]");
    }
    for (int i = 0; i < spec.parameters().size(); i++) {
      checkParameter(spec.parameters().get(i), "parameters[" + i + "]");
    }
  }

  /** Mesos's {@code DockerInfo.privileged}: refused by a {@code privileged} or {@code privileged=true} entry. */
  public void checkPrivileged(String where) throws DockerSettingException {
    checkParameter(new Parameter("privileged", "true"), where);
  }

  /** The container's network: refused by {@code network} or {@code network=<mode or name>}. */
  public void checkNetwork(ContainerSpec.NetworkMode network, String where) throws DockerSettingException {
    String value = network.name().orElse(network.kind().name().toLowerCase(java.util.Locale.ROOT));
    for (Deny deny : denied) {
      if (deny.option().equals("network") && deny.value().map(value::equals).orElse(true)) {
        throw refusal(where + " (" + network + ")", deny);
      }
    }
  }

  /** A volume: its host path must lie under an allowed root. */
  public void checkVolume(Volume volume, String where) throws DockerSettingException {
    if (volume.kind() == Volume.Kind.HOST_PATH) {
      checkHostPath(volume.source(), where);
    }
  }

  /** A (checked, canonical) parameter. */
  public void checkParameter(Parameter parameter, String where) throws DockerSettingException {
    String option = DockerParameters.canonical(parameter.option());
    for (Deny deny : denied) {
      if (deny.option().equals(option) && deny.value().map(v -> matches(option, v, parameter.value())).orElse(true)) {
        if (option.equals("privileged") && parameter.value().equals("false")) {
          continue; // privileged=false asks for nothing
        }
        throw refusal(where + " (" + option + ")", deny);
      }
    }
    if (option.equals("volume")) {
      String source = parameter.value().substring(0, parameter.value().indexOf(':'));
      if (source.startsWith("/")) {
        checkHostPath(source, where + " (volume)");
      }
    }
  }

  private static boolean matches(String option, String denied, String value) {
    if (option.equals("env") || option.equals("label") || option.equals("sysctl") || option.equals("log-opt")) {
      // a name=value option is denied by name: env=LD_PRELOAD refuses every value of LD_PRELOAD
      int eq = value.indexOf('=');
      return (eq < 0 ? value : value.substring(0, eq)).equals(denied) || value.equals(denied);
    }
    return value.equals(denied);
  }

  private void checkHostPath(String hostPath, String where) throws DockerSettingException {
    if (hostPathRoots.isEmpty()) {
      return;
    }
    Path path = Path.of(hostPath);
    for (Path part : path) {
      if (part.toString().equals("..")) {
        throw new DockerSettingException(where, "host path '" + hostPath + "' contains '..' (" + HOST_PATHS + " is set)");
      }
    }
    path = path.normalize();
    for (Path root : hostPathRoots.get()) {
      if (path.startsWith(root)) {
        return;
      }
    }
    throw new DockerSettingException(where, "host path '" + hostPath + "' is not under the roots the operator allows ("
        + HOST_PATHS + "=" + String.join(",", hostPathRoots.get().stream().map(Path::toString).toList()) + ")");
  }

  private static DockerSettingException refusal(String where, Deny deny) {
    return new DockerSettingException(where, "refused by the operator (" + DENY + " entry '" + deny + "')");
  }
}
