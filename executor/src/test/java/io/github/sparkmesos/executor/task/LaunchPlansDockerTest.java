package io.github.sparkmesos.executor.task;

import static io.github.sparkmesos.executor.task.SparkTaskDocumentTest.backend;
import static io.github.sparkmesos.executor.task.SparkTaskDocumentTest.document;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.protobuf.ByteString;
import io.github.sparkmesos.docker.ContainerSpec;
import io.github.sparkmesos.docker.ContainerSpec.NetworkMode;
import io.github.sparkmesos.docker.ContainerSpec.Parameter;
import io.github.sparkmesos.docker.ContainerSpec.PortMapping;
import io.github.sparkmesos.docker.ContainerSpec.Volume;
import io.github.sparkmesos.docker.DockerPolicy;
import io.github.sparkmesos.executor.mesos.CommandExecutorFlags;
import io.github.sparkmesos.executor.runtime.ProcessRuntime;
import io.github.sparkmesos.executor.runtime.Runtimes;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.ContainerInfo.DockerInfo;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Docker settings of a task: Spark's keys (spark-on-mesos.md §2) and TaskInfo.container (contract §4.3). */
class LaunchPlansDockerTest {

  private static final LaunchPlans.Context CONTEXT =
      new LaunchPlans.Context(Optional.of("alice"), Optional.empty(), Path.of("/sandbox"));
  private static final String IMAGE = "registry.local:5000/spark/executor:3.5.9";
  private static final String CONF = "TaskInfo.data.conf.";
  private static final String VOLUMES = "spark.mesos.executor.docker.volumes";
  private static final String PORTMAPS = "spark.mesos.executor.docker.portmaps";
  private static final String PARAMETERS = "spark.mesos.executor.docker.parameters";

  /** A task whose ports resource is 31000-31010. */
  private static TaskInfo.Builder task(String id) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(AgentID.newBuilder().setValue("agent-1"))
        .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
            .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder().setBegin(31000).setEnd(31010))));
  }

  private static TaskInfo.Builder sparkTask(Map<String, String> conf) {
    Map<String, String> all = new HashMap<>(conf);
    if (!all.containsKey("spark.mesos.executor.docker.image")) {
      all.put("spark.mesos.executor.docker.image", IMAGE);
    }
    all.putIfAbsent("spark.executor.uri", "http://h/spark-3.5.9-bin-sme.tgz");
    all.values().removeIf(v -> v == null);
    return task("t1").setData(ByteString.copyFromUtf8(new Gson().toJson(document(all, backend()))));
  }

  private static LaunchPlan spark(Map<String, String> conf) throws Exception {
    return LaunchPlans.forSparkTask(sparkTask(conf).build(), CONTEXT);
  }

  private static ContainerSpec container(Map<String, String> conf) throws Exception {
    return spark(conf).container().orElseThrow();
  }

  private static InvalidTaskException invalid(Map<String, String> conf) {
    return assertThrows(InvalidTaskException.class, () -> spark(conf));
  }

  private static void assertStartsWith(String prefix, Exception e) {
    assertTrue(e.getMessage().startsWith(prefix), "expected '" + prefix + "...', got: " + e.getMessage());
  }

  // ---- spark.mesos.executor.docker.volumes: [host-dir:]container-dir[:rw|:ro]

  /** A Docker runtime that cannot be made: these tests run no container. */
  private static final java.util.function.Supplier<io.github.sparkmesos.executor.runtime.TaskRuntime> NO_ENGINE =
      () -> {
        throw new IllegalStateException("no engine in this test");
      };

  @Test
  void volumesAreParsedAsSparkParsesThem() throws Exception {
    ContainerSpec spec = container(Map.of(VOLUMES, " /data:/data:ro , ,/scratch:/tmp/s, work:/work:rw,/a:/b:"));
    assertEquals(List.of(Volume.hostPath("/data", "/data", true), Volume.hostPath("/scratch", "/tmp/s", false),
        Volume.sandbox("work", "/work", false), Volume.hostPath("/a", "/b", false)), spec.volumes());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "/a:/b:/c:/d   | expected [host-dir:]container-dir[:rw|:ro]",
      "/a:/b:rx      | expected [host-dir:]container-dir[:rw|:ro]",
      "/a::/b        | expected [host-dir:]container-dir[:rw|:ro]",
      "/a:/b:RO      | expected [host-dir:]container-dir[:rw|:ro]",
      "/container    | has no host directory",
      "/container:ro | has no host directory",
      ":/container   | a path is empty",
      "rel:other     | cannot both be relative",
      "../up:/x      | stay inside the sandbox"})
  void aMalformedVolumeFailsNamingTheEntry(String entry, String rule) {
    InvalidTaskException e = invalid(Map.of(VOLUMES, "/ok:/ok," + entry));
    assertStartsWith(CONF + VOLUMES + "[1] ('" + entry + "'): ", e);
    assertTrue(e.getMessage().contains(rule), e.getMessage());
  }

  // ---- spark.mesos.executor.docker.portmaps: host:container[:tcp|:udp]

  @Test
  void portMapsAreParsedOnAUserNetwork() throws Exception {
    ContainerSpec spec = container(Map.of("spark.mesos.network.name", "cni-net",
        PORTMAPS, "31000:80, 31001:53:udp,31010:8080:TCP"));
    assertEquals(List.of(new PortMapping(31000, 80, PortMapping.Protocol.TCP),
        new PortMapping(31001, 53, PortMapping.Protocol.UDP), new PortMapping(31010, 8080, PortMapping.Protocol.TCP)),
        spec.portMappings());
    assertEquals(NetworkMode.user("cni-net"), spec.network());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "80              | expected host_port:container_port",
      "1:2:tcp:x       | expected host_port:container_port",
      "http:80         | host port 'http' is not a number",
      "31000:x         | container port 'x' is not a number",
      "-1:80           | host port '-1' is not a number",
      "0:80            | host port '0' is not a number in 1-65535",
      "31000:70000     | container port '70000'",
      "31000:80:icmp   | protocol 'icmp' is not tcp, udp or sctp",
      "32000:80        | host port 32000 is not in the task's ports resource [[31000-31010]]",
      "30999:80:udp    | host port 30999 is not in the task's ports resource"})
  void aBadPortMapFailsNamingTheEntry(String entry, String rule) {
    InvalidTaskException e = invalid(Map.of("spark.mesos.network.name", "n", PORTMAPS, "31000:80," + entry));
    assertStartsWith(CONF + PORTMAPS + "[1] ('" + entry + "')", e);
    assertTrue(e.getMessage().contains(rule), e.getMessage());
  }

  @Test
  void portMapsNeedABridgeOrUserNetwork() throws Exception {
    assertStartsWith(CONF + PORTMAPS + ": port mappings need a bridge or user network, and the network is host",
        invalid(Map.of(PORTMAPS, "31000:80")));
    assertEquals(NetworkMode.BRIDGE, container(Map.of(PORTMAPS, "31000:80", PARAMETERS, "net=bridge")).network());
  }

  @Test
  void aTaskWithoutPortsHasNoHostPortToMap() {
    TaskInfo task = sparkTask(Map.of("spark.mesos.network.name", "n", PORTMAPS, "31000:80")).clearResources().build();
    InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> LaunchPlans.forSparkTask(task, CONTEXT));
    assertTrue(e.getMessage().contains("(the task has none)"), e.getMessage());
  }

  // ---- spark.mesos.executor.docker.parameters: key=value, checked against docker run's options

  @Test
  void parametersKeepRepeatedKeysInOrder() throws Exception {
    ContainerSpec spec = container(Map.of(PARAMETERS,
        "env=A=1, label=team=data,env=A=2,ulimit=nofile=1024:2048, env=B=,dns-opt=ndots:2,entrypoint="));
    assertEquals(List.of(new Parameter("env", "A=1"), new Parameter("label", "team=data"), new Parameter("env", "A=2"),
        new Parameter("ulimit", "nofile=1024:2048"), new Parameter("env", "B="), new Parameter("dns-option", "ndots:2"),
        new Parameter("entrypoint", "")), spec.parameters());
    assertEquals(List.of("A=1", "A=2", "B="), spec.parameterValues("env"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "noequals        | [1] ('noequals'): expected key=value",
      "=b              | [1]: the option name is empty",
      "frobnicate=1    | [1] (frobnicate): unknown docker run option 'frobnicate'",
      "memory=lots     | [1] (memory): the value 'lots' is not a size",
      "privileged=yes  | [1] (privileged): the value 'yes' is not true or false",
      "cpus=-1         | [1] (cpus): the value '-1' is not a decimal number",
      "restart=always  | [1] (restart): --restart is not allowed: the executor supervises",
      "env-file=/e     | [1] (env-file): --env-file is not allowed",
      "v=/a:/b         | [1] (v): 'v' is docker run's short alias",
      "env=HOME        | [1] (env): the value 'HOME' is not NAME=value"})
  void aBadParameterFailsNamingTheEntry(String entry, String message) {
    InvalidTaskException e = invalid(Map.of(PARAMETERS, "init=true," + entry));
    assertStartsWith(CONF + PARAMETERS + message, e);
  }

  @Test
  void aPublishParameterMustUseTheTasksPorts() throws Exception {
    assertEquals(List.of("31005:80"), container(Map.of(PARAMETERS, "net=bridge,publish=31005:80"))
        .parameterValues("publish"));
    InvalidTaskException e = invalid(Map.of(PARAMETERS, "net=bridge,publish=8080:80"));
    assertStartsWith(CONF + PARAMETERS + " (publish=8080:80): host port 8080 is not in", e);
  }

  @Test
  void anEnvParameterValueIsNeverPrinted() throws Exception {
    String secret = "hunter2-token";
    LaunchPlan plan = spark(Map.of(PARAMETERS, "env=TOKEN=" + secret));
    assertFalse(plan.toString().contains(secret), plan.toString());
    InvalidTaskException e = invalid(Map.of(PARAMETERS, "env=1TOKEN=" + secret));
    assertFalse(e.getMessage().contains(secret), e.getMessage());
  }

  // ---- the operator's policy

  @Test
  void theOperatorsPolicyRefusesNamingTheRule() {
    DockerPolicy policy = DockerPolicy.fromEnvironment(Map.of(
        DockerPolicy.DENY, "privileged,pid=host,cap-add", DockerPolicy.HOST_PATHS, "/data,/scratch"));
    LaunchPlans.Context context = new LaunchPlans.Context(Optional.of("alice"), Optional.empty(), Path.of("/sandbox"),
        CommandExecutorFlags.NONE, policy);
    for (String[] c : new String[][] {
        {PARAMETERS, "init=true,cap-add=NET_ADMIN", "parameters[1] (cap-add): refused by the operator"
            + " (SPARK_MESOS_EXECUTOR_DOCKER_DENY entry 'cap-add')"},
        {PARAMETERS, "pid=host", "parameters[0] (pid): refused by the operator (SPARK_MESOS_EXECUTOR_DOCKER_DENY entry"
            + " 'pid=host')"},
        {PARAMETERS, "privileged=true", "parameters[0] (privileged): refused"},
        {PARAMETERS, "volume=/etc:/host-etc", "parameters[0] (volume): host path '/etc' is not under the roots"},
        {VOLUMES, "/data/in:/in:ro,/etc:/etc", "volumes[1] ('/etc:/etc'): host path '/etc' is not under the roots"}}) {
      InvalidTaskException e = assertThrows(InvalidTaskException.class,
          () -> LaunchPlans.forSparkTask(sparkTask(Map.of(c[0], c[1])).build(), context));
      assertStartsWith(CONF + (c[0].equals(VOLUMES) ? VOLUMES : PARAMETERS) + c[2].substring(c[2].indexOf('[') < 0
          ? 0 : c[2].indexOf('[')), e);
    }
    TaskInfo privileged = task("t1").setCommand(CommandInfo.newBuilder().setValue("true"))
        .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.DOCKER)
            .setDocker(DockerInfo.newBuilder().setImage(IMAGE).setPrivileged(true))).build();
    assertStartsWith("TaskInfo.container.docker.privileged (privileged): refused by the operator",
        assertThrows(InvalidTaskException.class, () -> LaunchPlans.forCommandTask(privileged, context)));
  }

  // ---- labels, force pull, containerizer

  @ParameterizedTest
  @ValueSource(strings = {"k:v:x", "k:", ",a:b", "a:b,novalue"})
  void aMalformedNetworkLabelFails(String labels) {
    assertStartsWith(CONF + "spark.mesos.network.labels: malformed label",
        invalid(Map.of("spark.mesos.network.name", "n", "spark.mesos.network.labels", labels)));
  }

  @Test
  void networkLabelsHonourSparksEscapes() throws Exception {
    ContainerSpec spec = container(Map.of("spark.mesos.network.name", "n",
        "spark.mesos.network.labels", "a\\:b:c\\,d,team:data,:empty-key"));
    assertEquals(Map.of("a:b", "c,d", "team", "data", "", "empty-key"), spec.networkLabels());
  }

  @Test
  void forcePullIsSparksBooleanConf() throws Exception {
    assertTrue(container(Map.of("spark.mesos.executor.docker.forcePullImage", " TRUE ")).forcePull());
    assertFalse(container(Map.of("spark.mesos.executor.docker.forcePullImage", "false")).forcePull());
    assertFalse(container(Map.of()).forcePull());
    assertStartsWith(CONF + "spark.mesos.executor.docker.forcePullImage: should be boolean, but was 'yes'",
        invalid(Map.of("spark.mesos.executor.docker.forcePullImage", "yes")));
  }

  @Test
  void theContainerizerIsDockerOrMesos() throws Exception {
    assertStartsWith(CONF + "spark.mesos.containerizer: should be one of docker, mesos, but was 'podman'",
        invalid(Map.of("spark.mesos.containerizer", "podman")));
    LaunchPlan mesos = spark(Map.of("spark.mesos.containerizer", "mesos", "spark.mesos.network.name", "n",
        PORTMAPS, "31000:80", PARAMETERS, "init=true", VOLUMES, "/d:/d:ro"));
    assertEquals(LaunchPlan.Containerizer.MESOS, mesos.containerizer());
    ContainerSpec spec = mesos.container().orElseThrow();
    assertEquals(List.of(), spec.portMappings());
    assertEquals(List.of(), spec.parameters());
    assertEquals(List.of(Volume.hostPath("/d", "/d", true)), spec.volumes());
    assertTrue(mesos.warnings().stream().anyMatch(w -> w.contains(PORTMAPS + " is ignored with the Mesos containerizer")),
        mesos.warnings().toString());
    LaunchFailedException e = assertThrows(LaunchFailedException.class,
        () -> new Runtimes(new ProcessRuntime(Map.of()), NO_ENGINE).select(mesos));
    assertTrue(e.getMessage().contains("Mesos containerizer"), e.getMessage());
    assertEquals(LaunchPlan.Containerizer.DOCKER, spark(Map.of("spark.mesos.containerizer", "docker")).containerizer());
  }

  @Test
  void withoutAnImageTheDockerSettingsAreIgnoredButStillChecked() throws Exception {
    Map<String, String> conf = new HashMap<>(Map.of(VOLUMES, "/d:/d", "spark.executor.uri", "http://h/spark.tgz"));
    conf.put("spark.mesos.executor.docker.image", null);
    LaunchPlan plan = spark(conf);
    assertEquals(Optional.empty(), plan.container());
    assertTrue(plan.warnings().contains(VOLUMES + " is ignored: no container image is set (as in Spark)"),
        plan.warnings().toString());
    conf.put(VOLUMES, "/a:/b:/c:/d");
    assertStartsWith(CONF + VOLUMES + "[0]", invalid(conf));
  }

  // ---- TaskInfo.container of type DOCKER, as Mesos reads it

  private static final ContainerInfo DOCKER_CONTAINER = ContainerInfo.newBuilder().setType(ContainerInfo.Type.DOCKER)
      .setHostname("exec-1")
      .setDocker(DockerInfo.newBuilder().setImage("busybox:1.36").setNetwork(DockerInfo.Network.USER)
          .setForcePullImage(true)
          .addPortMappings(DockerInfo.PortMapping.newBuilder().setHostPort(31002).setContainerPort(4040))
          .addPortMappings(DockerInfo.PortMapping.newBuilder().setHostPort(31003).setContainerPort(53).setProtocol("UDP"))
          .addParameters(org.apache.mesos.v1.Protos.Parameter.newBuilder().setKey("env").setValue("A=1"))
          .addParameters(org.apache.mesos.v1.Protos.Parameter.newBuilder().setKey("env").setValue("A=2"))
          .addParameters(org.apache.mesos.v1.Protos.Parameter.newBuilder().setKey("net").setValue("cni-net")))
      .addVolumes(org.apache.mesos.v1.Protos.Volume.newBuilder().setContainerPath("/data").setHostPath("/srv/data")
          .setMode(org.apache.mesos.v1.Protos.Volume.Mode.RO))
      .addVolumes(org.apache.mesos.v1.Protos.Volume.newBuilder().setContainerPath("/work").setHostPath("work")
          .setMode(org.apache.mesos.v1.Protos.Volume.Mode.RW))
      .addVolumes(org.apache.mesos.v1.Protos.Volume.newBuilder().setContainerPath("/cache")
          .setMode(org.apache.mesos.v1.Protos.Volume.Mode.RW)
          .setSource(org.apache.mesos.v1.Protos.Volume.Source.newBuilder()
              .setType(org.apache.mesos.v1.Protos.Volume.Source.Type.DOCKER_VOLUME)
              .setDockerVolume(org.apache.mesos.v1.Protos.Volume.Source.DockerVolume.newBuilder().setName("cache")
                  .setDriver("local"))))
      .addVolumes(org.apache.mesos.v1.Protos.Volume.newBuilder().setContainerPath("/logs")
          .setMode(org.apache.mesos.v1.Protos.Volume.Mode.RW)
          .setSource(org.apache.mesos.v1.Protos.Volume.Source.newBuilder()
              .setType(org.apache.mesos.v1.Protos.Volume.Source.Type.SANDBOX_PATH)
              .setSandboxPath(org.apache.mesos.v1.Protos.Volume.Source.SandboxPath.newBuilder().setPath("logs"))))
      .addNetworkInfos(NetworkInfo.newBuilder().setName("cni-net")
          .setLabels(Labels.newBuilder().addLabels(Label.newBuilder().setKey("team").setValue("data"))))
      .build();

  @Test
  void aDockerTaskInfoContainerIsReadAsMesosReadsIt() throws Exception {
    TaskInfo task = task("t1").setCommand(CommandInfo.newBuilder().setValue("true")).setContainer(DOCKER_CONTAINER)
        .build();
    LaunchPlan plan = LaunchPlans.forCommandTask(task, CONTEXT);
    ContainerSpec spec = plan.container().orElseThrow();
    assertEquals("busybox:1.36", spec.image().toString());
    assertTrue(spec.forcePull());
    assertEquals(NetworkMode.user("cni-net"), spec.network());
    assertEquals(Map.of("team", "data"), spec.networkLabels());
    assertEquals(Optional.of("exec-1"), spec.hostname());
    assertEquals(List.of(new PortMapping(31002, 4040, PortMapping.Protocol.TCP),
        new PortMapping(31003, 53, PortMapping.Protocol.UDP)), spec.portMappings());
    assertEquals(List.of(new Parameter("env", "A=1"), new Parameter("env", "A=2")), spec.parameters());
    assertEquals(List.of(Volume.hostPath("/srv/data", "/data", true), Volume.sandbox("work", "/work", false),
        new Volume(Volume.Kind.NAMED_VOLUME, "cache", "/cache", false, Optional.of("local"), Map.of()),
        Volume.sandbox("logs", "/logs", false)), spec.volumes());
    assertEquals(LaunchPlan.Containerizer.DOCKER, plan.containerizer());
    assertThrows(LaunchFailedException.class, () -> new Runtimes(new ProcessRuntime(Map.of()), NO_ENGINE).select(plan));
  }

  @Test
  void aBadDockerTaskInfoContainerFailsNamingTheField() {
    record Case(ContainerInfo.Builder container, String message) {}
    List<Case> cases = List.of(
        new Case(DOCKER_CONTAINER.toBuilder().setDocker(DOCKER_CONTAINER.getDocker().toBuilder().setPortMappings(0,
            DockerInfo.PortMapping.newBuilder().setHostPort(8080).setContainerPort(80))),
            "TaskInfo.container.docker.port_mappings[0] (8080:80/tcp): host port 8080 is not in the task's ports"),
        new Case(DOCKER_CONTAINER.toBuilder().setDocker(DOCKER_CONTAINER.getDocker().toBuilder().setPortMappings(0,
            DockerInfo.PortMapping.newBuilder().setHostPort(31000).setContainerPort(0))),
            "TaskInfo.container.docker.port_mappings[0]: container port '0'"),
        new Case(DOCKER_CONTAINER.toBuilder().setDocker(DOCKER_CONTAINER.getDocker().toBuilder().setParameters(1,
            org.apache.mesos.v1.Protos.Parameter.newBuilder().setKey("frob").setValue("x"))),
            "TaskInfo.container.docker.parameters[1] (frob): unknown docker run option"),
        new Case(DOCKER_CONTAINER.toBuilder().clearNetworkInfos(),
            "TaskInfo.container.network_infos: a USER network needs exactly one network_infos entry"),
        new Case(DOCKER_CONTAINER.toBuilder().setDocker(DOCKER_CONTAINER.getDocker().toBuilder()
            .setNetwork(DockerInfo.Network.HOST).clearParameters()),
            "TaskInfo.container.hostname: cannot be set with host networking"),
        new Case(DOCKER_CONTAINER.toBuilder().clearHostname().setDocker(DOCKER_CONTAINER.getDocker().toBuilder()
            .setNetwork(DockerInfo.Network.HOST).clearParameters()),
            "TaskInfo.container.docker.port_mappings: port mappings need a bridge or user network"),
        new Case(DOCKER_CONTAINER.toBuilder().setDocker(DOCKER_CONTAINER.getDocker().toBuilder().setImage("Bad/Name")),
            "TaskInfo.container.docker.image: "),
        new Case(DOCKER_CONTAINER.toBuilder().addVolumes(org.apache.mesos.v1.Protos.Volume.newBuilder()
            .setContainerPath("/x").setMode(org.apache.mesos.v1.Protos.Volume.Mode.RW)),
            "TaskInfo.container.volumes[4]: host path or volume source is required"),
        new Case(DOCKER_CONTAINER.toBuilder().addVolumes(org.apache.mesos.v1.Protos.Volume.newBuilder()
            .setContainerPath("x").setHostPath("y").setMode(org.apache.mesos.v1.Protos.Volume.Mode.RW)),
            "TaskInfo.container.volumes[4].host_path: 'y:x': the host path and the container path cannot both be relative"),
        new Case(DOCKER_CONTAINER.toBuilder().addVolumes(org.apache.mesos.v1.Protos.Volume.newBuilder()
            .setContainerPath("/x").setMode(org.apache.mesos.v1.Protos.Volume.Mode.RW)
            .setSource(org.apache.mesos.v1.Protos.Volume.Source.newBuilder()
                .setType(org.apache.mesos.v1.Protos.Volume.Source.Type.CSI_VOLUME))),
            "TaskInfo.container.volumes[4].source.type: CSI_VOLUME volumes are not supported"));
    for (Case c : cases) {
      TaskInfo task = task("t1").setCommand(CommandInfo.newBuilder().setValue("true")).setContainer(c.container).build();
      assertStartsWith(c.message, assertThrows(InvalidTaskException.class, () -> LaunchPlans.forCommandTask(task, CONTEXT)));
    }
  }

  @Test
  void aSecretVolumeIsAFileSecretNotAPlainMount() throws Exception {
    org.apache.mesos.v1.Protos.Volume.Source.Builder source = org.apache.mesos.v1.Protos.Volume.Source.newBuilder()
        .setType(org.apache.mesos.v1.Protos.Volume.Source.Type.SECRET);
    TaskInfo.Builder task = task("t1").setCommand(CommandInfo.newBuilder().setValue("true"))
        .setContainer(DOCKER_CONTAINER.toBuilder().addVolumes(org.apache.mesos.v1.Protos.Volume.newBuilder()
            .setContainerPath("secret.txt").setMode(org.apache.mesos.v1.Protos.Volume.Mode.RO).setSource(source)));
    assertStartsWith("TaskInfo.container.volumes[4].source.secret: is required for a SECRET volume",
        assertThrows(InvalidTaskException.class, () -> LaunchPlans.forCommandTask(task.build(), CONTEXT)));
    source.setSecret(org.apache.mesos.v1.Protos.Secret.newBuilder()
        .setType(org.apache.mesos.v1.Protos.Secret.Type.REFERENCE)
        .setReference(org.apache.mesos.v1.Protos.Secret.Reference.newBuilder().setName("db").setKey("password")));
    task.getContainerBuilder().getVolumesBuilder(4).setSource(source);
    LaunchPlan plan = LaunchPlans.forCommandTask(task.build(), CONTEXT);
    assertEquals(4, plan.container().orElseThrow().volumes().size());
    assertEquals("[file secret.txt <- name 'db' key 'password']", plan.secrets().toString());
    assertTrue(plan.warnings().stream().noneMatch(w -> w.contains("SECRET")), plan.warnings().toString());
  }

  // ---- what wins: the document, setting by setting

  @Test
  void theDocumentWinsSettingBySettingOverTaskInfoContainer() throws Exception {
    TaskInfo task = sparkTask(Map.of(VOLUMES, "/from-doc:/doc:ro", "spark.mesos.network.name", "doc-net",
        "spark.mesos.network.labels", "origin:doc")).setContainer(DOCKER_CONTAINER).build();
    LaunchPlan plan = LaunchPlans.forSparkTask(task, CONTEXT);
    ContainerSpec spec = plan.container().orElseThrow();
    assertEquals(IMAGE, spec.image().toString(), "the document's image");
    assertEquals(List.of(Volume.hostPath("/from-doc", "/doc", true)), spec.volumes(), "the document's volumes");
    assertEquals(Map.of("origin", "doc"), spec.networkLabels(), "the document's network labels");
    // TaskInfo's parameters are used (the document has none); its net=cni-net overrides the network, as in Mesos
    assertEquals(NetworkMode.user("cni-net"), spec.network());
    assertEquals(List.of("A=1", "A=2"), spec.parameterValues("env"));
    assertEquals(2, spec.portMappings().size(), "TaskInfo's port mappings (the document has none)");
    assertTrue(spec.forcePull(), "TaskInfo's force_pull_image (the document has none)");
    assertEquals(Optional.of("exec-1"), spec.hostname(), "the hostname comes only from TaskInfo");
    assertTrue(plan.warnings().containsAll(List.of(
        "TaskInfo.container.docker.image is ignored: the document's spark.mesos.executor.docker.image wins",
        "TaskInfo.container.volumes is ignored: the document's spark.mesos.executor.docker.volumes wins",
        "TaskInfo.container.docker.network and network_infos is ignored: the document's spark.mesos.network.name wins")),
        plan.warnings().toString());

    TaskInfo overridden = sparkTask(Map.of(PARAMETERS, "init=true", PORTMAPS, "31009:9",
        "spark.mesos.executor.docker.forcePullImage", "false", "spark.mesos.network.name", "doc-net"))
        .setContainer(DOCKER_CONTAINER).build();
    ContainerSpec doc = LaunchPlans.forSparkTask(overridden, CONTEXT).container().orElseThrow();
    assertEquals(List.of(new Parameter("init", "true")), doc.parameters());
    assertEquals(NetworkMode.user("doc-net"), doc.network());
    assertEquals(List.of(new PortMapping(31009, 9, PortMapping.Protocol.TCP)), doc.portMappings());
    assertFalse(doc.forcePull());
  }
}
