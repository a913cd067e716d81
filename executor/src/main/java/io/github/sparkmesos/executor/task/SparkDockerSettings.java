package io.github.sparkmesos.executor.task;

import static io.github.sparkmesos.executor.task.ContainerPlans.CONF;
import static io.github.sparkmesos.executor.task.ContainerPlans.PARAMETERS;
import static io.github.sparkmesos.executor.task.ContainerPlans.PORTMAPS;
import static io.github.sparkmesos.executor.task.ContainerPlans.VOLUMES;

import io.github.sparkmesos.docker.ContainerSpec.Parameter;
import io.github.sparkmesos.docker.ContainerSpec.PortMapping;
import io.github.sparkmesos.docker.ContainerSpec.Volume;
import io.github.sparkmesos.docker.DockerPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Spark's {@code spark.mesos.executor.docker.volumes}, {@code .portmaps} and {@code .parameters}, parsed
 * as Spark 3 parses them (spark-on-mesos.md §2: comma-split, trimmed, empty entries dropped), except that a
 * malformed entry is an error naming the key, its index and the entry, for {@link ContainerPlans}.
 */
final class SparkDockerSettings {

  private SparkDockerSettings() {}

  /** {@code [host-dir:]container-dir[:rw|:ro]}, the cases tried in Spark's order. */
  static List<Volume> volumes(SparkConf conf, DockerPolicy policy) throws InvalidTaskException {
    List<Volume> volumes = new ArrayList<>();
    List<String> entries = conf.list(VOLUMES);
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      String field = CONF + VOLUMES + "[" + i + "] ('" + entry + "')";
      String[] parts = entry.split(":"); // as Scala's split: trailing empty parts are dropped
      String host = null;
      String container;
      boolean readOnly = false;
      if (parts.length == 1) {
        container = parts[0];
      } else if (parts.length == 2 && (parts[1].equals("rw") || parts[1].equals("ro"))) {
        container = parts[0];
        readOnly = parts[1].equals("ro");
      } else if (parts.length == 2) {
        host = parts[0];
        container = parts[1];
      } else if (parts.length == 3 && (parts[2].equals("rw") || parts[2].equals("ro"))) {
        host = parts[0];
        container = parts[1];
        readOnly = parts[2].equals("ro");
      } else {
        throw new InvalidTaskException(field, "expected [host-dir:]container-dir[:rw|:ro] (modes are lowercase;"
            + " paths cannot contain ':')");
      }
      if (host == null) {
        throw new InvalidTaskException(field, "has no host directory: Mesos's Docker containerizer needs a host"
            + " path or a Docker volume for every volume ('Host path or volume source is required')");
      }
      if (host.isEmpty() || container.isEmpty()) {
        throw new InvalidTaskException(field, "a path is empty");
      }
      Volume volume = ContainerPlans.volume(host, container, readOnly, Optional.empty(), field);
      ContainerPlans.check(() -> policy.checkVolume(volume, field));
      volumes.add(volume);
    }
    return volumes;
  }

  /** {@code host_port:container_port[:tcp|:udp]}. */
  static List<PortMapping> portMaps(SparkConf conf) throws InvalidTaskException {
    List<PortMapping> ports = new ArrayList<>();
    List<String> entries = conf.list(PORTMAPS);
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      String field = CONF + PORTMAPS + "[" + i + "] ('" + entry + "')";
      String[] parts = entry.split(":");
      if (parts.length != 2 && parts.length != 3) {
        throw new InvalidTaskException(field, "expected host_port:container_port[:udp|:tcp]");
      }
      ports.add(ContainerPlans.portMapping(parts[0], parts[1], parts.length == 3 ? parts[2] : "tcp", field));
    }
    return ports;
  }

  /** {@code key=value}, split at the first {@code =}; each checked against the docker run catalogue. */
  static List<Parameter> parameters(SparkConf conf, DockerPolicy policy) throws InvalidTaskException {
    List<Parameter> parameters = new ArrayList<>();
    List<String> entries = conf.list(PARAMETERS);
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      String where = CONF + PARAMETERS + "[" + i + "]";
      int eq = entry.indexOf('=');
      if (eq < 0) {
        throw new InvalidTaskException(where + " ('" + entry + "')", "expected key=value");
      }
      parameters.add(ContainerPlans.parameter(new Parameter(entry.substring(0, eq), entry.substring(eq + 1)), where, policy));
    }
    return parameters;
  }
}
