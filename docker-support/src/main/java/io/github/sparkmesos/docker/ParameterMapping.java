package io.github.sparkmesos.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Isolation;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Ulimit;
import io.github.sparkmesos.docker.ContainerSpec.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Puts {@code docker run --option=value} parameters on an engine create request, each on the field the docker
 * CLI sets for it: one small case per option of {@link DockerParameters#options()}. Parameters come after the
 * request's own settings, as Mesos passes them after its flags: repeated options accumulate in order
 * ({@code env} after the task's variables, {@code label}, {@code cap-add}, {@code volume}, {@code publish}, ...),
 * and for a single-valued one the last wins, over the request's own value too.
 *
 * <p>Use: one instance per request, {@link #apply} each parameter, then {@link #finish}.
 */
public final class ParameterMapping {

  private final CreateContainerCmd cmd;
  private final HostConfig host;
  private final List<String> env;
  private final Map<String, String> labels;
  private final List<Bind> binds;
  private final Set<ExposedPort> exposed = new LinkedHashSet<>();
  private final List<PortBinding> portBindings;
  private final List<String> extraHosts = new ArrayList<>();
  private final List<String> dns = new ArrayList<>();
  private final List<String> dnsSearch = new ArrayList<>();
  private final List<String> dnsOptions = new ArrayList<>();
  private final List<Capability> capAdd = new ArrayList<>();
  private final List<Capability> capDrop = new ArrayList<>();
  private final List<Device> devices = new ArrayList<>();
  private final List<String> deviceCgroupRules = new ArrayList<>();
  private final List<DeviceRequest> deviceRequests = new ArrayList<>();
  private final List<Ulimit> ulimits = new ArrayList<>();
  private final Map<String, String> tmpfs = new LinkedHashMap<>();
  private final Map<String, String> sysctls = new LinkedHashMap<>();
  private final Map<String, String> storageOpts = new LinkedHashMap<>();
  private final List<String> securityOpts = new ArrayList<>();
  private final List<String> groupAdd = new ArrayList<>();
  private final List<String> aliases = new ArrayList<>();
  private String logDriver;
  private final Map<String, String> logOpts = new LinkedHashMap<>();
  private boolean memoryGiven;
  private boolean swapGiven;

  /**
   * @param env          the request's variables; {@code env} parameters are appended
   * @param labels       the request's labels; {@code label} parameters are added (a repeated key: the last wins)
   * @param binds        the request's binds; {@code volume} parameters are appended
   * @param exposed      the request's exposed ports; {@code expose} and {@code publish} add to them
   * @param portBindings the request's port bindings; {@code publish} parameters are appended
   */
  ParameterMapping(CreateContainerCmd cmd, HostConfig host, List<String> env, Map<String, String> labels,
      List<Bind> binds, List<ExposedPort> exposed, List<PortBinding> portBindings) {
    this.cmd = cmd;
    this.host = host;
    this.env = new ArrayList<>(env);
    this.labels = new LinkedHashMap<>(labels);
    this.binds = new ArrayList<>(binds);
    this.exposed.addAll(exposed);
    this.portBindings = new ArrayList<>(portBindings);
  }

  /**
   * Why a checked parameter cannot go on an engine request, if it cannot: a value the Engine API (through
   * docker-java) has no field or constant for. Lets a caller refuse the task, naming the parameter, before it
   * pulls anything.
   */
  public static Optional<String> unexpressible(Parameter p) {
    String v = p.value();
    try {
      switch (p.option()) {
        case "cap-add", "cap-drop" -> capability(v);
        case "log-driver" -> logDriver(v);
        case "gpus" -> gpus(v);
        case "isolation" -> isolation(v);
        case "ulimit" -> Ulimits.parse(v);
        case "memory", "memory-reservation", "shm-size", "kernel-memory" -> Sizes.parse(v);
        case "memory-swap" -> {
          if (!v.equals("-1")) {
            Sizes.parse(v);
          }
        }
        case "volume" -> Bind.parse(v);
        default -> {
          if (!DockerParameters.options().containsKey(p.option())) {
            return Optional.of("--" + p.option() + " is not an option this executor maps");
          }
        }
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("--" + p.option() + "=" + DockerParameters.shown(p.option(), v).replace("'", "") + ": "
          + e.getMessage());
    }
  }

  /** Puts one parameter (checked by {@link DockerParameters#check}) on the request. */
  void apply(Parameter p) throws EngineException {
    String v = p.value();
    try {
      switch (p.option()) {
        // the command's process
        case "env" -> env.add(v);
        case "label" -> labels.put(v.contains("=") ? v.substring(0, v.indexOf('=')) : v,
            v.contains("=") ? v.substring(v.indexOf('=') + 1) : "");
        case "user" -> cmd.withUser(v);
        case "workdir" -> cmd.withWorkingDir(v);
        case "entrypoint" -> cmd.withEntrypoint(List.of(v)); // docker run: one word; an empty one clears it
        case "hostname" -> cmd.withHostName(v);
        case "domainname" -> cmd.withDomainName(v);
        case "stop-signal" -> cmd.withStopSignal(v);
        case "stop-timeout" -> cmd.withStopTimeout(Integer.parseInt(v));
        case "group-add" -> groupAdd.add(v);
        case "no-healthcheck" -> {
          if (Boolean.parseBoolean(v)) {
            cmd.withHealthcheck(new HealthCheck().withTest(List.of("NONE")));
          }
        }
        case "platform" -> cmd.withPlatform(v);
        // network
        case "network" -> host.withNetworkMode(v);
        case "add-host" -> extraHosts.add(extraHost(v));
        case "dns" -> dns.add(v);
        case "dns-search" -> dnsSearch.add(v);
        case "dns-option" -> dnsOptions.add(v);
        case "mac-address" -> cmd.withMacAddress(v);
        case "ip" -> cmd.withIpv4Address(v);
        case "ip6" -> cmd.withIpv6Address(v);
        case "network-alias" -> aliases.add(v);
        case "expose" -> expose(v);
        case "publish" -> publish(v);
        // privileges and namespaces
        case "privileged" -> host.withPrivileged(Boolean.parseBoolean(v));
        case "cap-add" -> capAdd.add(capability(v));
        case "cap-drop" -> capDrop.add(capability(v));
        case "security-opt" -> securityOpts.add(v);
        case "device" -> devices.add(device(v));
        case "device-cgroup-rule" -> deviceCgroupRules.add(v);
        case "gpus" -> deviceRequests.add(gpus(v));
        case "ipc" -> host.withIpcMode(v);
        case "pid" -> host.withPidMode(v);
        case "uts" -> host.withUtSMode(v);
        case "userns" -> host.withUsernsMode(v);
        case "cgroupns" -> host.withCgroupnsMode(v);
        case "cgroup-parent" -> host.withCgroupParent(v);
        case "sysctl" -> sysctls.put(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
        case "init" -> host.withInit(Boolean.parseBoolean(v));
        case "runtime" -> host.withRuntime(v);
        case "isolation" -> host.withIsolation(isolation(v));
        // limits
        case "memory" -> {
          host.withMemory(Sizes.parse(v));
          memoryGiven = true;
        }
        case "memory-swap" -> {
          host.withMemorySwap(v.equals("-1") ? -1L : Sizes.parse(v));
          swapGiven = true;
        }
        case "memory-reservation" -> host.withMemoryReservation(Sizes.parse(v));
        case "memory-swappiness" -> host.withMemorySwappiness(Long.parseLong(v));
        case "kernel-memory" -> host.withKernelMemory(Sizes.parse(v));
        case "oom-kill-disable" -> host.withOomKillDisable(Boolean.parseBoolean(v));
        case "oom-score-adj" -> host.withOomScoreAdj(Integer.parseInt(v));
        case "cpus" -> host.withNanoCPUs(Math.round(Double.parseDouble(v) * 1e9));
        case "cpu-shares" -> host.withCpuShares(Integer.parseInt(v));
        case "cpu-period" -> host.withCpuPeriod(Long.parseLong(v));
        case "cpu-quota" -> host.withCpuQuota(Long.parseLong(v));
        case "cpu-rt-period" -> host.withCpuRealtimePeriod(Long.parseLong(v));
        case "cpu-rt-runtime" -> host.withCpuRealtimeRuntime(Long.parseLong(v));
        case "cpuset-cpus" -> host.withCpusetCpus(v);
        case "cpuset-mems" -> host.withCpusetMems(v);
        case "blkio-weight" -> host.withBlkioWeight(Integer.parseInt(v));
        case "pids-limit" -> host.withPidsLimit(Long.parseLong(v));
        case "shm-size" -> host.withShmSize(Sizes.parse(v));
        case "ulimit" -> {
          Ulimits.Ulimit u = Ulimits.parse(v);
          ulimits.removeIf(existing -> existing.getName().equals(u.name())); // the last of a name wins, as the CLI
          ulimits.add(new Ulimit(u.name(), u.soft(), u.hard()));
        }
        // file systems
        case "read-only" -> host.withReadonlyRootfs(Boolean.parseBoolean(v));
        case "tmpfs" -> tmpfs.put(v.contains(":") ? v.substring(0, v.indexOf(':')) : v,
            v.contains(":") ? v.substring(v.indexOf(':') + 1) : "");
        case "volume" -> binds.add(Bind.parse(v));
        case "volume-driver" -> host.withVolumeDriver(v);
        case "storage-opt" -> storageOpts.put(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
        // output
        case "log-driver" -> logDriver = v;
        case "log-opt" -> logOpts.put(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
        default -> throw new EngineException("--" + p.option() + " is not an option this executor maps");
      }
    } catch (RuntimeException e) {
      throw new EngineException("parameter --" + p.option() + "=" + DockerParameters.shown(p.option(), v)
          .replace("'", "") + ": " + e.getMessage(), e);
    }
  }

  /** Writes what accumulated onto the request. */
  void finish() throws EngineException {
    cmd.withEnv(env).withLabels(labels);
    if (!binds.isEmpty()) {
      host.withBinds(binds);
    }
    if (!exposed.isEmpty()) {
      cmd.withExposedPorts(new ArrayList<>(exposed));
    }
    if (!portBindings.isEmpty()) {
      host.withPortBindings(new Ports(portBindings.toArray(PortBinding[]::new)));
    }
    if (!extraHosts.isEmpty()) {
      host.withExtraHosts(extraHosts.toArray(String[]::new));
    }
    if (!dns.isEmpty()) {
      host.withDns(dns);
    }
    if (!dnsSearch.isEmpty()) {
      host.withDnsSearch(dnsSearch);
    }
    if (!dnsOptions.isEmpty()) {
      host.withDnsOptions(dnsOptions);
    }
    if (!capAdd.isEmpty()) {
      host.withCapAdd(capAdd.toArray(Capability[]::new));
    }
    if (!capDrop.isEmpty()) {
      host.withCapDrop(capDrop.toArray(Capability[]::new));
    }
    if (!devices.isEmpty()) {
      host.withDevices(devices);
    }
    if (!deviceCgroupRules.isEmpty()) {
      host.withDeviceCgroupRules(deviceCgroupRules);
    }
    if (!deviceRequests.isEmpty()) {
      host.withDeviceRequests(deviceRequests);
    }
    if (!ulimits.isEmpty()) {
      host.withUlimits(ulimits);
    }
    if (!tmpfs.isEmpty()) {
      host.withTmpFs(tmpfs);
    }
    if (!sysctls.isEmpty()) {
      host.withSysctls(sysctls);
    }
    if (!storageOpts.isEmpty()) {
      host.withStorageOpt(storageOpts);
    }
    if (!securityOpts.isEmpty()) {
      host.withSecurityOpts(securityOpts);
    }
    if (!groupAdd.isEmpty()) {
      host.withGroupAdd(groupAdd);
    }
    if (!aliases.isEmpty()) {
      cmd.withAliases(aliases);
    }
    if (logDriver != null || !logOpts.isEmpty()) {
      try {
        host.withLogConfig(new LogConfig(logDriver == null ? null : logDriver(logDriver),
            logOpts.isEmpty() ? null : logOpts));
      } catch (RuntimeException e) {
        throw new EngineException("parameter --log-driver=" + logDriver + ": " + e.getMessage(), e);
      }
    }
    if (memoryGiven && !swapGiven) {
      host.withMemorySwap(host.getMemory()); // no swap beyond the memory, as for the task's own memory
    }
  }

  /** {@code host:ip} or {@code host=ip}, an IPv6 address possibly in brackets: the engine's {@code host:ip}. */
  static String extraHost(String value) {
    int sep = value.indexOf('=');
    int colon = value.indexOf(':');
    int at = sep > 0 && (colon < 0 || sep < colon) ? sep : colon;
    String ip = value.substring(at + 1);
    if (ip.startsWith("[") && ip.endsWith("]")) {
      ip = ip.substring(1, ip.length() - 1);
    }
    return value.substring(0, at) + ":" + ip;
  }

  /** {@code NET_ADMIN} or {@code CAP_NET_ADMIN}, any case, or {@code ALL}. */
  static Capability capability(String value) {
    String name = value.toUpperCase(Locale.ROOT);
    name = name.startsWith("CAP_") ? name.substring(4) : name;
    try {
      return Capability.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown capability '" + value + "' (known: "
          + Arrays.toString(Capability.values()) + ")");
    }
  }

  /** {@code /host[:/container][:perms]}: the container path is the host's unless given, permissions rwm. */
  static Device device(String value) {
    String[] parts = value.split(":", -1);
    String onHost = parts[0];
    String inContainer = onHost;
    String perms = "rwm";
    if (parts.length == 2) {
      if (parts[1].startsWith("/")) {
        inContainer = parts[1];
      } else {
        perms = parts[1];
      }
    } else if (parts.length == 3) {
      inContainer = parts[1];
      perms = parts[2];
    }
    return new Device(perms, inContainer, onHost);
  }

  /** A log driver docker-java names (json-file, local, syslog, journald, gelf, fluentd, ...). */
  static LogConfig.LoggingType logDriver(String value) {
    for (LogConfig.LoggingType type : LogConfig.LoggingType.values()) {
      if (type.getType().equals(value)) {
        return type;
      }
    }
    List<String> known = Arrays.stream(LogConfig.LoggingType.values()).map(LogConfig.LoggingType::getType).toList();
    throw new IllegalArgumentException("log driver '" + value + "' cannot be expressed through docker-java (known: "
        + known + "); a plugin driver is not supported");
  }

  /** {@code all}, a count, or {@code device=ID[,ID...]}: GPUs through the engine's device requests. */
  static DeviceRequest gpus(String value) {
    List<List<String>> gpu = List.of(List.of("gpu"));
    if (value.equals("all")) {
      return new DeviceRequest().withCount(-1).withCapabilities(gpu);
    }
    if (value.matches("[0-9]{1,4}")) {
      return new DeviceRequest().withCount(Integer.parseInt(value)).withCapabilities(gpu);
    }
    if (value.startsWith("device=") && value.length() > 7) {
      return new DeviceRequest().withDeviceIds(List.of(value.substring(7).split(","))).withCapabilities(gpu);
    }
    throw new IllegalArgumentException("only all, a count or device=IDS are supported");
  }

  static Isolation isolation(String value) {
    for (Isolation isolation : Isolation.values()) {
      if (isolation.toString().equalsIgnoreCase(value)) {
        return isolation;
      }
    }
    throw new IllegalArgumentException("isolation '" + value + "' is not default, process or hyperv");
  }

  /** {@code PORT[/PROTO]}. */
  private void expose(String value) {
    String[] parts = value.split("/", 2);
    exposed.add(new ExposedPort(Integer.parseInt(parts[0]),
        InternetProtocol.parse(parts.length == 2 ? parts[1] : "tcp")));
  }

  /** {@code [IP:]HOST:CONTAINER[/PROTO]}, an IPv6 address in brackets. */
  private void publish(String value) {
    String proto = value.contains("/") ? value.substring(value.indexOf('/') + 1) : "tcp";
    String ports = value.contains("/") ? value.substring(0, value.indexOf('/')) : value;
    List<String> hostAndContainer = DockerParameters.publishPorts(value);
    int last = ports.lastIndexOf(':');
    int before = ports.lastIndexOf(':', last - 1);
    String ip = before < 0 ? null : ports.substring(0, before).replace("[", "").replace("]", "");
    ExposedPort port = new ExposedPort(Integer.parseInt(hostAndContainer.get(1)), InternetProtocol.parse(proto));
    exposed.add(port);
    int hostPort = Integer.parseInt(hostAndContainer.get(0));
    portBindings.add(new PortBinding(ip == null ? Ports.Binding.bindPort(hostPort)
        : Ports.Binding.bindIpAndPort(ip, hostPort), port));
  }
}
