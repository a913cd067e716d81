package io.github.sparkmesos.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Ulimit;
import io.github.sparkmesos.docker.ContainerSpec.Parameter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker run parameters on real containers: each lands on the field the docker CLI sets, checked by inspecting
 * the container, and the container runs with them (its output shows the user, limits, host names, ...).
 */
class ParameterMappingTest {

  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final String PREFIX = "sme-test-dparams-";

  @RegisterExtension
  final TestContainers containers = new TestContainers();

  @TempDir
  Path dir;

  private static String name(String what) {
    return PREFIX + what + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void everyParameterLandsWhereDockerRunPutsItAndTheContainerRunsWithIt() throws Exception {
    Path vol = Files.createDirectories(dir.resolve("vol"));
    Files.writeString(vol.resolve("in"), "from the volume\n");
    String id = containers.create(ContainerConfig.builder(TestEngine.BUSYBOX).name(name("many"))
        .entrypoint("/bin/false").command("-c", "id -u; id -G; ulimit -n; ulimit -u; cat /proc/sys/kernel/msgmax;"
            + " hostname; grep -E 'foo|bar' /etc/hosts; grep nameserver /etc/resolv.conf; pwd; echo \"$A|$B|$FOO\";"
            + " cat /vol/in; df -k /scratch | tail -1; touch /not-writable 2>/dev/null || echo read-only")
        .env("FOO", "task").hostname("from-spec").networkMode("bridge").memoryBytes(1L << 30).cpuShares(1024)
        .parameter("entrypoint", "/bin/sh")
        .parameter("env", "A=1").parameter("env", "B=2").parameter("env", "A=3")
        .parameter("label", "team=data").parameter("label", "flag")
        .parameter("user", "1000:1000").parameter("group-add", "123").parameter("workdir", "/tmp")
        .parameter("hostname", "from-param")
        .parameter("add-host", "foo:10.1.2.3").parameter("add-host", "bar=10.1.2.4")
        .parameter("dns", "10.0.0.53").parameter("dns-search", "example.org").parameter("dns-option", "ndots:2")
        .parameter("cap-add", "NET_ADMIN").parameter("cap-add", "cap_sys_time").parameter("cap-drop", "MKNOD")
        .parameter("device", "/dev/null:/dev/mynull:r")
        .parameter("memory", "64m").parameter("memory-swap", "128m").parameter("memory-reservation", "32m")
        .parameter("cpu-shares", "256").parameter("cpus", "0.5").parameter("cpuset-cpus", "0")
        .parameter("shm-size", "8m").parameter("ulimit", "nofile=1024:2048").parameter("ulimit", "nproc=64")
        .parameter("tmpfs", "/scratch:size=1m").parameter("sysctl", "kernel.msgmax=65536")
        .parameter("security-opt", "no-new-privileges").parameter("read-only", "true").parameter("init", "true")
        .parameter("oom-score-adj", "100").parameter("log-driver", "json-file").parameter("log-opt", "max-size=1m")
        .parameter("pids-limit", "64").parameter("stop-signal", "SIGUSR1").parameter("stop-timeout", "7")
        .parameter("volume", vol + ":/vol:ro"));

    InspectContainerResponse c = containers.engine.client().inspectContainerCmd(id).exec();
    HostConfig h = c.getHostConfig();
    assertArrayEquals(new String[] {"/bin/sh"}, c.getConfig().getEntrypoint(), "the parameter's entrypoint wins");
    assertEquals("-c", c.getConfig().getCmd()[0]);
    List<String> env = Arrays.asList(c.getConfig().getEnv());
    assertTrue(env.indexOf("FOO=task") < env.indexOf("A=1") && env.indexOf("A=1") < env.indexOf("B=2")
        && env.indexOf("B=2") < env.indexOf("A=3"), "env parameters after the task's, in order: " + env);
    assertEquals("data", c.getConfig().getLabels().get("team"));
    assertEquals("", c.getConfig().getLabels().get("flag"));
    assertEquals(containers.run, c.getConfig().getLabels().get(TestEngine.LABEL));
    assertEquals("1000:1000", c.getConfig().getUser());
    assertEquals(List.of("123"), h.getGroupAdd());
    assertEquals("/tmp", c.getConfig().getWorkingDir());
    assertEquals("from-param", c.getConfig().getHostName(), "the parameter wins over the spec's hostname");
    assertArrayEquals(new String[] {"foo:10.1.2.3", "bar:10.1.2.4"}, h.getExtraHosts());
    assertArrayEquals(new String[] {"10.0.0.53"}, h.getDns());
    assertArrayEquals(new String[] {"example.org"}, h.getDnsSearch());
    assertEquals(List.of("ndots:2"), h.getDnsOptions());
    assertArrayEquals(new Capability[] {Capability.NET_ADMIN, Capability.SYS_TIME}, h.getCapAdd());
    assertArrayEquals(new Capability[] {Capability.MKNOD}, h.getCapDrop());
    assertArrayEquals(new Device[] {new Device("r", "/dev/mynull", "/dev/null")}, h.getDevices());
    assertEquals(64L << 20, h.getMemory(), "the parameter wins over the task's memory");
    assertEquals(128L << 20, h.getMemorySwap());
    assertEquals(32L << 20, h.getMemoryReservation());
    assertEquals(256, h.getCpuShares(), "the parameter wins over the task's cpu shares");
    assertEquals(500_000_000L, h.getNanoCPUs());
    assertEquals("0", h.getCpusetCpus());
    assertEquals(8L << 20, h.getShmSize());
    assertArrayEquals(new Ulimit[] {new Ulimit("nofile", 1024L, 2048L), new Ulimit("nproc", 64L, 64L)},
        h.getUlimits());
    assertEquals(Map.of("/scratch", "size=1m"), h.getTmpFs());
    assertEquals(Map.of("kernel.msgmax", "65536"), h.getSysctls());
    assertEquals(List.of("no-new-privileges"), h.getSecurityOpts());
    assertTrue(h.getReadonlyRootfs());
    assertTrue(h.getInit());
    assertEquals(100, h.getOomScoreAdj());
    assertEquals("json-file", h.getLogConfig().getType().getType());
    assertEquals(Map.of("max-size", "1m"), h.getLogConfig().getConfig());
    assertEquals(64L, h.getPidsLimit());
    // docker-java's inspect model has no stop signal or timeout: the CLI's inspect shows them
    assertEquals("SIGUSR1 7", Cli.run(dir, "docker", "inspect", "--format",
        "{{.Config.StopSignal}} {{.Config.StopTimeout}}", id).strip());
    assertEquals(List.of(vol + ":/vol:ro"), Arrays.stream(h.getBinds()).map(Bind::toString).toList());

    Path stdout = dir.resolve("stdout");
    containers.lifecycle.start(id);
    try (ContainerLogs logs = containers.lifecycle.logs(id, stdout, dir.resolve("stderr"))) {
      assertTrue(logs.awaitEnd(LIMIT));
    }
    assertEquals(0, containers.lifecycle.awaitExit(id, LIMIT).orElseThrow().code(),
        Files.readString(dir.resolve("stderr")));
    List<String> out = Files.readAllLines(stdout);
    assertEquals("1000", out.get(0));
    assertTrue(out.get(1).contains("123"), "group-add: " + out.get(1));
    assertEquals(List.of("1024", "64", "65536", "from-param"), out.subList(2, 6));
    assertTrue(out.contains("10.1.2.3\tfoo") && out.contains("10.1.2.4\tbar"), out.toString());
    assertTrue(out.contains("nameserver 10.0.0.53"), out.toString());
    assertTrue(out.contains("/tmp"), out.toString());
    assertTrue(out.contains("3|2|task"), "the last env value of a name wins: " + out);
    assertTrue(out.contains("from the volume"), out.toString());
    assertTrue(out.stream().anyMatch(l -> l.startsWith("tmpfs") && l.contains(" 1024 ")), out.toString());
    assertEquals("read-only", out.get(out.size() - 1));
  }

  @Test
  void portsAndHostnameOnABridgeNetwork() throws Exception {
    int tcp = freePort();
    int udp = freePort();
    int published = freePort();
    String id = containers.create(ContainerConfig.builder(TestEngine.BUSYBOX).name(name("ports"))
        .command("hostname").networkMode("bridge")
        .port(new ContainerConfig.Port(null, tcp, 8080, "tcp"))
        .port(new ContainerConfig.Port(null, udp, 8081, "udp"))
        .parameter("publish", "127.0.0.1:" + published + ":9090/tcp").parameter("expose", "7070")
        .hostname("task-host"));

    InspectContainerResponse c = containers.engine.client().inspectContainerCmd(id).exec();
    Map<ExposedPort, Ports.Binding[]> bindings = c.getHostConfig().getPortBindings().getBindings();
    assertEquals(String.valueOf(tcp), bindings.get(ExposedPort.tcp(8080))[0].getHostPortSpec());
    assertEquals(String.valueOf(udp), bindings.get(ExposedPort.udp(8081))[0].getHostPortSpec());
    assertEquals(String.valueOf(published), bindings.get(ExposedPort.tcp(9090))[0].getHostPortSpec());
    assertEquals("127.0.0.1", bindings.get(ExposedPort.tcp(9090))[0].getHostIp());
    assertTrue(Arrays.asList(c.getConfig().getExposedPorts()).containsAll(
        List.of(ExposedPort.tcp(8080), ExposedPort.udp(8081), ExposedPort.tcp(9090), ExposedPort.tcp(7070))));
    assertEquals("task-host", c.getConfig().getHostName());

    containers.lifecycle.start(id);
    try (ContainerLogs logs = containers.lifecycle.logs(id, dir.resolve("stdout"), dir.resolve("stderr"))) {
      assertTrue(logs.awaitEnd(LIMIT));
    }
    assertEquals(0, containers.lifecycle.awaitExit(id, LIMIT).orElseThrow().code(),
        Files.readString(dir.resolve("stderr")));
    List<String> out = Files.readAllLines(dir.resolve("stdout"));
    assertEquals(List.of("task-host"), out);
  }

  /** Created and inspected only: the engine of the tests may itself lack the capabilities to start one. */
  @Test
  void privileged() throws Exception {
    String id = containers.create(ContainerConfig.builder(TestEngine.BUSYBOX).name(name("privileged")).command("true")
        .privileged(true));
    assertTrue(containers.engine.client().inspectContainerCmd(id).exec().getHostConfig().getPrivileged());
    String off = containers.create(ContainerConfig.builder(TestEngine.BUSYBOX).name(name("unprivileged"))
        .command("true")
        .privileged(true).parameter("privileged", "false"));
    assertEquals(Boolean.FALSE,
        containers.engine.client().inspectContainerCmd(off).exec().getHostConfig().getPrivileged(),
        "a parameter comes after DockerInfo.privileged and wins");
  }

  @Test
  void theTaskMemoryKeepsNoSwapAndAMemoryParameterAloneDoesToo() throws Exception {
    String id = containers.create(ContainerConfig.builder(TestEngine.BUSYBOX).name(name("mem")).command("true")
        .memoryBytes(256L << 20).parameter("memory", "1.5g"));
    HostConfig h = containers.engine.client().inspectContainerCmd(id).exec().getHostConfig();
    assertEquals(3L << 29, h.getMemory());
    assertEquals(3L << 29, h.getMemorySwap());
  }

  @Test
  void aLogOptionWithoutADriverKeepsTheEnginesDriver() throws Exception {
    String id = containers.create(ContainerConfig.builder(TestEngine.BUSYBOX).name(name("logopt")).command("true")
        .parameter("log-opt", "max-size=1m").parameter("log-opt", "max-file=2"));
    HostConfig h = containers.engine.client().inspectContainerCmd(id).exec().getHostConfig();
    assertEquals(Map.of("max-size", "1m", "max-file", "2"), h.getLogConfig().getConfig());
    containers.lifecycle.start(id);
    assertEquals(0, containers.lifecycle.awaitExit(id, LIMIT).orElseThrow().code());
  }

  @Test
  void whatTheEngineApiCannotExpressIsNamed() throws Exception {
    assertTrue(ParameterMapping.unexpressible(new Parameter("log-driver", "my-plugin")).orElseThrow()
        .contains("--log-driver=my-plugin"));
    assertTrue(ParameterMapping.unexpressible(new Parameter("cap-add", "NOPE")).orElseThrow()
        .contains("unknown capability 'NOPE'"));
    assertTrue(ParameterMapping.unexpressible(new Parameter("gpus", "capabilities=compute")).isPresent());
    assertTrue(ParameterMapping.unexpressible(new Parameter("ulimit", "nofile=2:1")).isPresent());
    assertTrue(ParameterMapping.unexpressible(new Parameter("env", "SECRET=hidden")).isEmpty());
    for (String option : DockerParameters.options().keySet()) {
      assertTrue(ParameterMapping.unexpressible(new Parameter(option, "x")).map(m -> !m.contains("not an option"))
          .orElse(true), "every option of the catalogue is mapped: " + option);
    }
    EngineException e = assertThrows(EngineException.class,
        () -> containers.create(ContainerConfig.builder(TestEngine.BUSYBOX)
        .name(name("bad")).command("true").parameter("cap-add", "NOPE")));
    assertTrue(e.getMessage().contains("--cap-add=NOPE"), e.getMessage());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
