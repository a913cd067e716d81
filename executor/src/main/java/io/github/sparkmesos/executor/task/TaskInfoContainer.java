package io.github.sparkmesos.executor.task;

import static io.github.sparkmesos.executor.task.ContainerPlans.CONTAINER;

import io.github.sparkmesos.docker.ContainerSpec.NetworkMode;
import io.github.sparkmesos.docker.ContainerSpec.Parameter;
import io.github.sparkmesos.docker.ContainerSpec.PortMapping;
import io.github.sparkmesos.docker.ContainerSpec.Volume;
import io.github.sparkmesos.docker.DockerPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.ContainerInfo.DockerInfo;

/**
 * {@code TaskInfo.container} as Mesos's Docker containerizer reads it (mesos-executor-contract.md
 * §3.7, §3.8, §4.3): its volumes, port mappings, parameters and network, each checked, for
 * {@link ContainerPlans}.
 */
final class TaskInfoContainer {

  private TaskInfoContainer() {}

  static List<Volume> volumes(ContainerInfo info, DockerPolicy policy, List<String> warnings)
      throws InvalidTaskException {
    List<Volume> volumes = new ArrayList<>();
    Optional<String> driver = info.getType() == ContainerInfo.Type.DOCKER && info.getDocker().hasVolumeDriver()
        ? Optional.of(info.getDocker().getVolumeDriver()) : Optional.empty();
    for (int i = 0; i < info.getVolumesCount(); i++) {
      org.apache.mesos.v1.Protos.Volume v = info.getVolumes(i);
      String field = CONTAINER + ".volumes[" + i + "]";
      boolean readOnly = v.getMode() == org.apache.mesos.v1.Protos.Volume.Mode.RO;
      String container = v.getContainerPath();
      if (container.isEmpty()) {
        throw new InvalidTaskException(field + ".container_path", "is required");
      }
      if (v.hasImage()) {
        throw new InvalidTaskException(field + ".image", "image volumes are not supported");
      }
      Volume volume;
      if (v.hasHostPath()) {
        volume = ContainerPlans.volume(v.getHostPath(), container, readOnly, driver, field + ".host_path");
      } else if (v.hasSource()) {
        org.apache.mesos.v1.Protos.Volume.Source source = v.getSource();
        switch (source.getType()) {
          case DOCKER_VOLUME -> {
            Map<String, String> options = new LinkedHashMap<>();
            source.getDockerVolume().getDriverOptions().getParameterList()
                .forEach(p -> options.put(p.getKey(), p.getValue()));
            volume = ContainerPlans.build(() -> new Volume(Volume.Kind.NAMED_VOLUME, source.getDockerVolume().getName(), container,
                readOnly, source.getDockerVolume().hasDriver() ? Optional.of(source.getDockerVolume().getDriver())
                    : Optional.empty(), options), field + ".source.docker_volume");
          }
          case SANDBOX_PATH -> {
            if (source.getSandboxPath().getType()
                == org.apache.mesos.v1.Protos.Volume.Source.SandboxPath.Type.PARENT) {
              throw new InvalidTaskException(field + ".source.sandbox_path", "type PARENT needs a parent container;"
                  + " this task has none");
            }
            volume = ContainerPlans.build(() -> Volume.sandbox(source.getSandboxPath().getPath(), container, readOnly),
                field + ".source.sandbox_path");
          }
          case HOST_PATH -> volume = ContainerPlans.build(() -> Volume.hostPath(source.getHostPath().getPath(), container, readOnly),
              field + ".source.host_path");
          case SECRET -> {
            continue; // a file secret: TaskSecrets reads it, the secrets stage delivers it
          }
          default -> throw new InvalidTaskException(field + ".source.type", source.getType()
              + " volumes are not supported (DOCKER_VOLUME, SANDBOX_PATH, HOST_PATH are)");
        }
      } else {
        throw new InvalidTaskException(field, "host path or volume source is required (as Mesos)");
      }
      Volume checked = volume;
      ContainerPlans.check(() -> policy.checkVolume(checked, field));
      volumes.add(volume);
    }
    return volumes;
  }

  static List<PortMapping> ports(DockerInfo docker) throws InvalidTaskException {
    List<PortMapping> ports = new ArrayList<>();
    for (int i = 0; i < docker.getPortMappingsCount(); i++) {
      DockerInfo.PortMapping m = docker.getPortMappings(i);
      String field = CONTAINER + ".docker.port_mappings[" + i + "]";
      ports.add(ContainerPlans.portMapping(Integer.toUnsignedString(m.getHostPort()), Integer.toUnsignedString(m.getContainerPort()),
          m.hasProtocol() ? m.getProtocol() : "tcp", field));
    }
    return ports;
  }

  static List<Parameter> parameters(DockerInfo docker, DockerPolicy policy)
      throws InvalidTaskException {
    List<Parameter> parameters = new ArrayList<>();
    for (int i = 0; i < docker.getParametersCount(); i++) {
      parameters.add(ContainerPlans.parameter(new Parameter(docker.getParameters(i).getKey(), docker.getParameters(i).getValue()),
          CONTAINER + ".docker.parameters[" + i + "]", policy));
    }
    return parameters;
  }

  /** {@code DockerInfo.network} (default HOST); USER needs exactly one named {@code network_infos}. */
  static NetworkMode network(ContainerInfo info) throws InvalidTaskException {
    return switch (info.getDocker().getNetwork()) {
      case HOST -> NetworkMode.HOST;
      case BRIDGE -> NetworkMode.BRIDGE;
      case NONE -> NetworkMode.NONE;
      case USER -> {
        if (info.getNetworkInfosCount() != 1 || !info.getNetworkInfos(0).hasName()) {
          throw new InvalidTaskException(CONTAINER + ".network_infos",
              "a USER network needs exactly one network_infos entry with a name (as Mesos)");
        }
        yield ContainerPlans.network(info.getNetworkInfos(0).getName(), CONTAINER + ".network_infos[0].name");
      }
    };
  }

  // ---- shared
}
