package io.github.sparkmesos.executor.task;

import io.github.sparkmesos.docker.ContainerSpec;
import io.github.sparkmesos.docker.ContainerSpec.NetworkMode;
import io.github.sparkmesos.docker.ContainerSpec.Parameter;
import io.github.sparkmesos.docker.ContainerSpec.PortMapping;
import io.github.sparkmesos.docker.ContainerSpec.Volume;
import io.github.sparkmesos.docker.DockerParameters;
import io.github.sparkmesos.docker.DockerPolicy;
import io.github.sparkmesos.docker.DockerSettingException;
import io.github.sparkmesos.docker.ImageReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Image;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;

/**
 * The container a task asks for, as one validated {@link ContainerSpec}: from Spark's
 * {@code spark.mesos.executor.docker.*}, {@code spark.mesos.network.*} and {@code spark.mesos.containerizer}
 * (parsed as Spark 3 parses them, spark-on-mesos.md §1.6 and §2, except that a malformed entry is an
 * error naming it) and from {@code TaskInfo.container} (read as Mesos's Docker containerizer reads it,
 * mesos-executor-contract.md §3.7, §3.8, §4.3). When both give a setting, the document wins, setting by
 * setting (image, force pull, volumes, port maps, parameters, network); the TaskInfo field it overrides is
 * named in a warning. Hostname and privileged come only from {@code TaskInfo.container}.
 */
final class ContainerPlans {

  static final String CONF = "TaskInfo.data.conf.";
  static final String IMAGE = "spark.mesos.executor.docker.image";
  static final String FORCE_PULL = "spark.mesos.executor.docker.forcePullImage";
  static final String VOLUMES = "spark.mesos.executor.docker.volumes";
  static final String PORTMAPS = "spark.mesos.executor.docker.portmaps";
  static final String PARAMETERS = "spark.mesos.executor.docker.parameters";
  static final String NETWORK = "spark.mesos.network.name";
  static final String NETWORK_LABELS = "spark.mesos.network.labels";
  static final String CONTAINERIZER = "spark.mesos.containerizer";
  static final String CONTAINER = "TaskInfo.container";

  /** The container of a plan, the containerizer it asks for, and what of the input is ignored. */
  record Result(Optional<ContainerSpec> container, LaunchPlan.Containerizer containerizer, List<String> warnings) {}

  private ContainerPlans() {}

  /** A task with only a {@code TaskInfo.container} (a command task, a task of a group). */
  static Result fromTaskInfo(TaskInfo task, DockerPolicy policy) throws InvalidTaskException {
    return from(task, new SparkConf(Map.of()), policy);
  }

  /** A LAUNCH task: its document's settings over its {@code TaskInfo.container}, setting by setting. */
  static Result from(TaskInfo task, SparkConf conf, DockerPolicy policy) throws InvalidTaskException {
    List<String> warnings = new ArrayList<>();
    ContainerInfo info = task.hasContainer() ? task.getContainer() : null;
    boolean docker = info != null && info.getType() == ContainerInfo.Type.DOCKER;
    boolean mesosImage = info != null && info.getType() == ContainerInfo.Type.MESOS && info.getMesos().hasImage();

    LaunchPlan.Containerizer containerizer = containerizer(conf, mesosImage);

    // the image
    Optional<ImageReference> image = Optional.empty();
    Optional<String> confImage = conf.get(IMAGE);
    if (confImage.isPresent()) {
      image = Optional.of(image(confImage.get(), CONF + IMAGE));
      if (docker || mesosImage) {
        warnings.add(overridden(docker ? CONTAINER + ".docker.image" : CONTAINER + ".mesos.image", IMAGE));
      }
    } else if (docker) {
      image = Optional.of(image(info.getDocker().getImage(), CONTAINER + ".docker.image"));
    } else if (mesosImage) {
      Image mesos = info.getMesos().getImage();
      if (mesos.getType() != Image.Type.DOCKER || !mesos.hasDocker()) {
        throw new InvalidTaskException(CONTAINER + ".mesos.image", "only DOCKER images are supported, not "
            + mesos.getType());
      }
      image = Optional.of(image(mesos.getDocker().getName(), CONTAINER + ".mesos.image.docker.name"));
    }

    // Spark's settings are parsed whether or not they are used, so a malformed one is always an error
    Optional<List<Volume>> confVolumes = conf.get(VOLUMES).isPresent()
        ? Optional.of(SparkDockerSettings.volumes(conf, policy)) : Optional.empty();
    Optional<List<PortMapping>> confPorts = conf.get(PORTMAPS).isPresent()
        ? Optional.of(SparkDockerSettings.portMaps(conf)) : Optional.empty();
    Optional<List<Parameter>> confParameters = conf.get(PARAMETERS).isPresent()
        ? Optional.of(SparkDockerSettings.parameters(conf, policy)) : Optional.empty();
    Optional<String> confNetwork = conf.get(NETWORK);
    Map<String, String> confLabels = SparkLabels.parse(conf.get(NETWORK_LABELS).orElse(""), CONF + NETWORK_LABELS);

    if (image.isEmpty()) {
      for (String key : List.of(VOLUMES, PORTMAPS, PARAMETERS, FORCE_PULL)) {
        if (conf.get(key).isPresent()) {
          warnings.add(key + " is ignored: no container image is set (as in Spark)");
        }
      }
      return new Result(Optional.empty(), containerizer, warnings);
    }

    boolean forcePull;
    if (conf.get(FORCE_PULL).isPresent()) {
      forcePull = conf.bool(FORCE_PULL, false);
      if (docker && info.getDocker().hasForcePullImage()) {
        warnings.add(overridden(CONTAINER + ".docker.force_pull_image", FORCE_PULL));
      }
    } else if (docker) {
      forcePull = info.getDocker().getForcePullImage();
    } else if (mesosImage) {
      forcePull = !info.getMesos().getImage().getCached();
    } else {
      forcePull = false;
    }

    List<Volume> volumes;
    if (confVolumes.isPresent()) {
      volumes = confVolumes.get();
      if (info != null && info.getVolumesCount() > 0) {
        warnings.add(overridden(CONTAINER + ".volumes", VOLUMES));
      }
    } else {
      volumes = info == null ? List.of() : TaskInfoContainer.volumes(info, policy, warnings);
    }

    List<PortMapping> ports = List.of();
    List<Parameter> parameters = List.of();
    String portsField = CONF + PORTMAPS;
    String parametersField = CONF + PARAMETERS;
    List<String> portNames = new ArrayList<>();
    if (confPorts.isPresent()) {
      ports = confPorts.get();
      List<String> entries = conf.list(PORTMAPS);
      for (int i = 0; i < entries.size(); i++) {
        portNames.add(CONF + PORTMAPS + "[" + i + "] ('" + entries.get(i) + "')");
      }
      if (docker && info.getDocker().getPortMappingsCount() > 0) {
        warnings.add(overridden(CONTAINER + ".docker.port_mappings", PORTMAPS));
      }
    } else if (docker) {
      ports = TaskInfoContainer.ports(info.getDocker());
      portsField = CONTAINER + ".docker.port_mappings";
      for (int i = 0; i < ports.size(); i++) {
        portNames.add(portsField + "[" + i + "] (" + ports.get(i) + ")");
      }
    }
    if (confParameters.isPresent()) {
      parameters = confParameters.get();
      if (docker && info.getDocker().getParametersCount() > 0) {
        warnings.add(overridden(CONTAINER + ".docker.parameters", PARAMETERS));
      }
    } else if (docker) {
      parameters = TaskInfoContainer.parameters(info.getDocker(), policy);
      parametersField = CONTAINER + ".docker.parameters";
    }

    // the network: the document's name, else the TaskInfo's; a network/net parameter overrides either (Mesos)
    NetworkMode network;
    Map<String, String> labels;
    if (confNetwork.isPresent()) {
      network = network(confNetwork.get(), CONF + NETWORK);
      labels = confLabels;
      if (docker && (info.getDocker().hasNetwork() || info.getNetworkInfosCount() > 0)) {
        warnings.add(overridden(CONTAINER + ".docker.network and network_infos", NETWORK));
      }
    } else if (docker) {
      network = TaskInfoContainer.network(info);
      labels = info.getNetworkInfosCount() > 0 ? labels(info.getNetworkInfos(0)) : Map.of();
    } else {
      network = NetworkMode.HOST;
      labels = info == null || info.getNetworkInfosCount() == 0 ? Map.of() : labels(info.getNetworkInfos(0));
      if (info != null && info.getNetworkInfosCount() > 0 && info.getNetworkInfos(0).hasName()) {
        network = network(info.getNetworkInfos(0).getName(), CONTAINER + ".network_infos[0].name");
      }
    }
    List<Parameter> rest = new ArrayList<>();
    String networkParameter = null;
    for (int i = 0; i < parameters.size(); i++) {
      Parameter p = parameters.get(i);
      if (p.option().equals("network")) {
        if (networkParameter != null) {
          throw new InvalidTaskException(parametersField + "[" + i + "] (network)",
              "a second network (the first is " + networkParameter + "): a container joins one network");
        }
        network = network(p.value(), parametersField + "[" + i + "] (network)");
        networkParameter = p.value();
      } else {
        rest.add(p);
      }
    }
    parameters = rest;

    Optional<String> hostname = Optional.empty();
    boolean privileged = false;
    if (info != null && info.hasHostname()) {
      hostname = Optional.of(info.getHostname());
      if (network.kind() == NetworkMode.Kind.HOST) {
        throw new InvalidTaskException(CONTAINER + ".hostname",
            "cannot be set with host networking (as Mesos: 'Unable to set hostname with host network')");
      }
    }
    if (docker && info.getDocker().getPrivileged()) {
      privileged = true;
      check(() -> policy.checkPrivileged(CONTAINER + ".docker.privileged"));
    }
    NetworkMode finalNetwork = network;
    String networkField = networkParameter != null ? parametersField + " (network)"
        : confNetwork.isPresent() ? CONF + NETWORK : CONTAINER + ".docker.network";
    check(() -> policy.checkNetwork(finalNetwork, networkField));

    if (containerizer == LaunchPlan.Containerizer.MESOS) {
      // Spark parses port maps and parameters for the Mesos containerizer but does not use them
      if (!ports.isEmpty()) {
        warnings.add(portsField + " is ignored with the Mesos containerizer (as in Spark)");
      }
      if (!parameters.isEmpty()) {
        warnings.add(parametersField + " is ignored with the Mesos containerizer (as in Spark)");
      }
      ports = List.of();
      parameters = List.of();
    }

    if (!ports.isEmpty() && network.kind() != NetworkMode.Kind.BRIDGE && network.kind() != NetworkMode.Kind.USER) {
      throw new InvalidTaskException(portsField, "port mappings need a bridge or user network, and the network is "
          + network + " (set " + NETWORK + ", or a network=bridge parameter; Mesos refuses them on host networking too)");
    }
    List<Value.Range> taskPorts = portRanges(task);
    for (int i = 0; i < ports.size(); i++) {
      checkHostPort(ports.get(i).hostPort(), taskPorts, portNames.get(i));
    }
    for (int i = 0; i < parameters.size(); i++) {
      Parameter p = parameters.get(i);
      if (p.option().equals("publish")) {
        checkHostPort(Integer.parseInt(DockerParameters.publishPorts(p.value()).get(0)), taskPorts,
            parametersField + " (publish=" + p.value() + ")");
      }
    }
    try {
      return new Result(Optional.of(new ContainerSpec(image.get(), forcePull, volumes, ports, network, labels, hostname,
          privileged, parameters)), containerizer, warnings);
    } catch (IllegalArgumentException e) {
      throw new InvalidTaskException(CONTAINER, e.getMessage());
    }
  }

  private static LaunchPlan.Containerizer containerizer(SparkConf conf, boolean mesosImage)
      throws InvalidTaskException {
    Optional<String> value = conf.get(CONTAINERIZER);
    if (value.isEmpty()) {
      return mesosImage ? LaunchPlan.Containerizer.MESOS : LaunchPlan.Containerizer.DOCKER;
    }
    return switch (value.get()) {
      case "docker" -> LaunchPlan.Containerizer.DOCKER;
      case "mesos" -> LaunchPlan.Containerizer.MESOS;
      default -> throw new InvalidTaskException(CONF + CONTAINERIZER,
          "should be one of docker, mesos, but was '" + value.get() + "'");
    };
  }

  private static ImageReference image(String name, String field) throws InvalidTaskException {
    try {
      return ImageReference.parse(name);
    } catch (IllegalArgumentException e) {
      throw new InvalidTaskException(field, e.getMessage());
    }
  }

  static String overridden(String field, String key) {
    return field + " is ignored: the document's " + key + " wins";
  }

  // ---- Spark's parsers (MesosSchedulerBackendUtil), spark-on-mesos.md §2


  static Volume volume(String host, String container, boolean readOnly, Optional<String> driver, String field)
      throws InvalidTaskException {
    if (host.startsWith("/")) {
      return build(() -> Volume.hostPath(host, container, readOnly), field);
    }
    if (driver.isPresent()) { // Mesos: a relative host path with a volume driver names a volume
      return build(() -> new Volume(Volume.Kind.NAMED_VOLUME, host, container, readOnly, driver, Map.of()), field);
    }
    return build(() -> Volume.sandbox(host, container, readOnly), field); // Mesos: relative to the sandbox
  }

  static PortMapping portMapping(String host, String container, String protocol, String field)
      throws InvalidTaskException {
    int hostPort = port(host, "host port", field);
    int containerPort = port(container, "container port", field);
    return build(() -> new PortMapping(hostPort, containerPort, PortMapping.Protocol.parse(protocol)), field);
  }

  static int port(String text, String what, String field) throws InvalidTaskException {
    if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
      throw new InvalidTaskException(field, what + " '" + text + "' is not a number in 1-65535");
    }
    return Integer.parseInt(text);
  }

  static Parameter parameter(Parameter given, String where, DockerPolicy policy) throws InvalidTaskException {
    try {
      Parameter checked = DockerParameters.check(given, where);
      policy.checkParameter(checked, where);
      return checked;
    } catch (DockerSettingException e) {
      throw new InvalidTaskException(e.setting(), e.rule());
    }
  }

  static NetworkMode network(String name, String field) throws InvalidTaskException {
    return build(() -> NetworkMode.parse(name), field);
  }

  private static Map<String, String> labels(NetworkInfo info) {
    Map<String, String> labels = new LinkedHashMap<>();
    info.getLabels().getLabelsList().forEach(l -> labels.put(l.getKey(), l.getValue()));
    return labels;
  }

  /** The task's {@code ports} resource ranges. */
  private static List<Value.Range> portRanges(TaskInfo task) {
    List<Value.Range> ranges = new ArrayList<>();
    for (Resource r : task.getResourcesList()) {
      if (r.getName().equals("ports") && r.getType() == Value.Type.RANGES) {
        ranges.addAll(r.getRanges().getRangeList());
      }
    }
    return ranges;
  }

  private static void checkHostPort(int port, List<Value.Range> ranges, String field) throws InvalidTaskException {
    for (Value.Range r : ranges) {
      if (port >= r.getBegin() && port <= r.getEnd()) {
        return;
      }
    }
    throw new InvalidTaskException(field, "host port " + port + " is not in the task's ports resource "
        + (ranges.isEmpty() ? "(the task has none)" : ranges.stream().map(r -> "[" + r.getBegin() + "-" + r.getEnd() + "]")
            .toList()));
  }

  interface Check {
    void run() throws DockerSettingException;
  }

  static void check(Check check) throws InvalidTaskException {
    try {
      check.run();
    } catch (DockerSettingException e) {
      throw new InvalidTaskException(e.setting(), e.rule());
    }
  }

  interface Build<T> {
    T get();
  }

  static <T> T build(Build<T> build, String field) throws InvalidTaskException {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidTaskException(field, e.getMessage());
    }
  }
}
