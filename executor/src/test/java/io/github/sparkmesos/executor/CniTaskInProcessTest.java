package io.github.sparkmesos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.sparkmesos.executor.runtime.CniSettings;
import io.github.sparkmesos.os.Command;
import io.github.sparkmesos.testing.CniTestNetwork;
import io.github.sparkmesos.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks in a CNI network of the test's own (Debian's bridge and host-local plugins, 10.231.78.0/24), run by
 * the executor in this JVM: the task gets its own address in its own namespace, TASK_RUNNING reports it, the
 * plugins read the task's labels as Mesos passes them, and at the task's end the address and namespace go.
 */
class CniTaskInProcessTest {

  @TempDir Path dir;
  private CniTestNetwork network;
  private Path sandbox;
  private Map<String, String> operator;
  private List<Path> namespacesBefore;

  @BeforeEach
  void network() throws Exception {
    CniTestNetwork.requireRootAndPlugins();
    network = new CniTestNetwork(dir, "sme-cni-test", "smecni78", 78);
    sandbox = Files.createDirectories(dir.resolve("sandbox"));
    operator = Map.of(CniSettings.CONFIG_DIR, network.configDirectory().toString(),
        CniSettings.PLUGIN_DIR, network.pluginPath());
    namespacesBefore = namespaces();
  }

  private static List<Path> namespaces() throws Exception {
    try (Stream<Path> all = Files.isDirectory(Path.of("/run/netns")) ? Files.list(Path.of("/run/netns"))
        : Stream.empty()) {
      return all.filter(p -> p.getFileName().toString().startsWith("sme-")).toList();
    }
  }

  @AfterEach
  void removeBridge() throws Exception {
    if (network != null) {
      network.removeBridge(argv -> Command.run(argv, Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), dir,
          Duration.ofSeconds(30)));
    }
  }

  private static TaskInfo groupTask(String id, String command, NetworkInfo network) {
    return ExecutorInProcessTest.groupTask(id, command).toBuilder().setContainer(ContainerInfo.newBuilder()
        .setType(ContainerInfo.Type.MESOS).addNetworkInfos(network)).build();
  }

  /** The task's network namespaces and its records are gone, and host-local has no lease left. */
  private void assertReleased() throws Exception {
    assertEquals(List.of(), network.leasedAddresses(), "host-local's lease released");
    Path records = CniSettings.recordDirectory(sandbox);
    try (Stream<Path> left = Files.isDirectory(records) ? Files.list(records) : Stream.empty()) {
      assertEquals(List.of(), left.toList(), "no record left");
    }
    List<Path> left = new java.util.ArrayList<>(namespaces());
    left.removeAll(namespacesBefore);
    assertEquals(List.of(), left, "no network namespace of the test's tasks left");
  }

  @Test
  void aTcpHealthCheckReachesTheTasksOwnLoopback() throws Exception {
    int port = 47077; // listened on inside the task's namespace only; on the host's loopback it is refused
    assertHealthyInTheTasksNamespace(org.apache.mesos.v1.Protos.HealthCheck.newBuilder()
        .setType(org.apache.mesos.v1.Protos.HealthCheck.Type.TCP)
        .setTcp(org.apache.mesos.v1.Protos.HealthCheck.TCPCheckInfo.newBuilder().setPort(port)), namespace -> {
          java.net.ServerSocket listener = io.github.sparkmesos.os.NamespaceThread.inNetworkNamespace(namespace,
              () -> new java.net.ServerSocket(port, 50, java.net.InetAddress.getByName("127.0.0.1")));
          return listener::close;
        });
  }

  @Test
  void anHttpHealthCheckReachesTheTasksOwnLoopback() throws Exception {
    int port = 47078; // served inside the task's namespace only; on the host's loopback it is refused
    assertHealthyInTheTasksNamespace(org.apache.mesos.v1.Protos.HealthCheck.newBuilder()
        .setType(org.apache.mesos.v1.Protos.HealthCheck.Type.HTTP)
        .setHttp(org.apache.mesos.v1.Protos.HealthCheck.HTTPCheckInfo.newBuilder().setPort(port).setPath("/ok")),
        namespace -> {
          com.sun.net.httpserver.HttpServer server = io.github.sparkmesos.os.NamespaceThread.inNetworkNamespace(
              namespace, () -> com.sun.net.httpserver.HttpServer.create(
                  new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.1"), port), 0));
          server.createContext("/ok", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
          server.start();
          return () -> server.stop(0);
        });
  }

  /** What a test serves in a task's network namespace; closing it stops serving. */
  private interface ServedInNamespace {
    AutoCloseable serve(Path namespace) throws Exception;
  }

  private void assertHealthyInTheTasksNamespace(org.apache.mesos.v1.Protos.HealthCheck.Builder check,
      ServedInNamespace served) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, operator)) {
      agent.awaitSubscribe();
      agent.launchGroup(groupTask("t", "readlink /proc/self/ns/net > netns; touch ready; exec sleep 600",
          NetworkInfo.newBuilder().setName("sme-cni-test").build()).toBuilder()
          .setHealthCheck(check.setDelaySeconds(0).setIntervalSeconds(0.2).setGracePeriodSeconds(600)).build());
      agent.await("t", TaskState.TASK_RUNNING);
      Path task = sandbox.resolve("tasks/t");
      Waits.awaitFile(task.resolve("ready"));
      // the task's namespace, found by the inode its /proc/self/ns/net names
      String inode = Files.readString(task.resolve("netns")).strip().replaceAll("\\D", "");
      Path namespace = namespaces().stream().filter(p -> {
        try {
          return String.valueOf(Files.getAttribute(p, "unix:ino")).equals(inode);
        } catch (java.io.IOException e) {
          return false;
        }
      }).findFirst().orElseThrow();
      try (AutoCloseable serving = served.serve(namespace)) {
        TaskStatus healthy = agent.await("t", TaskState.TASK_RUNNING); // its first health status
        while (!healthy.hasHealthy()) {
          healthy = agent.await("t", TaskState.TASK_RUNNING);
        }
        assertTrue(healthy.getHealthy(), "the probe reached the task inside its namespace: " + healthy);
        agent.kill("t");
        agent.await("t", TaskState.TASK_KILLED);
      }
    }
    assertReleased();
  }

  @Test
  void aCommandCheckRunsInTheTasksNetworkNamespace() throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, operator)) {
      agent.awaitSubscribe();
      TaskInfo task = groupTask("c", "readlink /proc/self/ns/net > netns; until [ -e checked ]; do sleep 0.1; done",
          NetworkInfo.newBuilder().setName("sme-cni-test").build()).toBuilder()
          .setHealthCheck(org.apache.mesos.v1.Protos.HealthCheck.newBuilder()
              .setType(org.apache.mesos.v1.Protos.HealthCheck.Type.COMMAND)
              .setCommand(org.apache.mesos.v1.Protos.CommandInfo.newBuilder()
                  .setValue("readlink /proc/self/ns/net > check.ns && mv check.ns checked"))
              .setDelaySeconds(0).setIntervalSeconds(0.2)).build();
      agent.launchGroup(task);
      agent.await("c", TaskState.TASK_FINISHED);
      Path dirOf = sandbox.resolve("tasks/c");
      assertEquals(Files.readString(dirOf.resolve("netns")), Files.readString(dirOf.resolve("checked")),
          "the check ran where the task runs");
    }
    assertReleased();
  }

  @Test
  void aTasksContainerHostnameIsItsNamespacesHostname() throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, operator)) {
      agent.awaitSubscribe();
      TaskInfo task = groupTask("h", "hostname > name; cat /etc/hosts > hosts; exit 0",
          NetworkInfo.newBuilder().setName("sme-cni-test").build());
      agent.launchGroup(task.toBuilder().setContainer(task.getContainer().toBuilder().setHostname("spark-exec-7"))
          .build());
      TaskStatus running = agent.await("h", TaskState.TASK_RUNNING);
      String ip = running.getContainerStatus().getNetworkInfos(0).getIpAddresses(0).getIpAddress();
      agent.await("h", TaskState.TASK_FINISHED);
      Path dir = sandbox.resolve("tasks/h");
      assertEquals("spark-exec-7", Files.readString(dir.resolve("name")).strip());
      assertEquals("127.0.0.1 localhost\n" + ip + " spark-exec-7\n", Files.readString(dir.resolve("hosts")));
    }
    assertReleased();
  }

  @Test
  void aTaskGetsAnAddressOfItsOwnReportedInTaskRunningAndGivesItBackWhenKilled() throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, operator)) {
      agent.awaitSubscribe();
      agent.launchGroup(groupTask("n", "ip -o -4 addr show dev eth0 > addr; cat /etc/hosts > hosts;"
          + " hostname > name; echo \"$MESOS_CONTAINER_IP\" > ip; echo \"$LIBPROCESS_IP\" > libprocess;"
          + " readlink /proc/self/ns/net > netns; touch ready; exec sleep 600",
          NetworkInfo.newBuilder().setName("sme-cni-test").build()));
      TaskStatus running = agent.await("n", TaskState.TASK_RUNNING);
      assertEquals(1, running.getContainerStatus().getNetworkInfosCount(), running.toString());
      NetworkInfo reported = running.getContainerStatus().getNetworkInfos(0);
      assertEquals("sme-cni-test", reported.getName());
      assertEquals(1, reported.getIpAddressesCount());
      String ip = reported.getIpAddresses(0).getIpAddress();
      assertTrue(network.inSubnet(ip), ip);
      assertEquals(List.of(ip), network.leasedAddresses());

      Path task = sandbox.resolve("tasks/n");
      Waits.awaitFile(task.resolve("ready"));
      assertTrue(Files.readString(task.resolve("addr")).contains(" inet " + ip + "/24 "), "the task is in its"
          + " namespace, at that address: " + Files.readString(task.resolve("addr")));
      assertEquals(ip, Files.readString(task.resolve("ip")).strip());
      assertEquals("0.0.0.0", Files.readString(task.resolve("libprocess")).strip());
      String hostname = Files.readString(task.resolve("name")).strip();
      assertTrue(hostname.startsWith("sme-"), "its own hostname: " + hostname);
      assertEquals("127.0.0.1 localhost\n" + ip + " " + hostname + "\n", Files.readString(task.resolve("hosts")),
          "its own /etc/hosts, as Mesos writes it");
      assertFalse(Files.readString(task.resolve("netns")).strip().equals(
          Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString()), "not the host's namespace");
      assertTrue(Files.readString(Path.of("/etc/hosts")).lines().noneMatch(l -> l.contains(hostname)),
          "the host's /etc/hosts is untouched");

      agent.kill("n");
      agent.await("n", TaskState.TASK_KILLED);
      assertReleased();
      assertEquals("DEL", network.recordedEnvironment("DEL").get("CNI_COMMAND"));
    }
  }

  @Test
  void resolversThePluginNamesAreTheTasksOwnResolvConfAndTheHostsIsUntouched() throws Exception {
    // bridge returns the configuration's "dns" as its result's
    Files.writeString(network.configDirectory().resolve("30-dns.conf"), "{\"cniVersion\":\"0.4.0\",\"name\":"
        + "\"sme-cni-dns\",\"type\":\"bridge\",\"bridge\":\"smecni78\",\"dns\":{\"nameservers\":"
        + "[\"10.231.78.53\"],\"domain\":\"cni.test\",\"search\":[\"a.cni.test\"],\"options\":[\"ndots:2\"]},"
        + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.231.78.0/24\",\"dataDir\":\""
        + dir.resolve("dns-leases") + "\"}}");
    String hostResolvConf = Files.readString(Path.of("/etc/resolv.conf"));
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, operator)) {
      agent.awaitSubscribe();
      agent.launchGroup(groupTask("r", "cat /etc/resolv.conf > resolv", NetworkInfo.newBuilder()
          .setName("sme-cni-dns").build()));
      agent.await("r", TaskState.TASK_FINISHED);
      assertEquals("domain cni.test\nsearch a.cni.test\noptions ndots:2\nnameserver 10.231.78.53\n",
          Files.readString(sandbox.resolve("tasks/r/resolv")), "as Mesos writes it");
      assertEquals(hostResolvConf, Files.readString(Path.of("/etc/resolv.conf")), "the host's is untouched");
      assertReleased();
      try (Stream<Path> leases = Files.list(dir.resolve("dns-leases/sme-cni-dns"))) {
        assertEquals(List.of(), leases.filter(p -> p.getFileName().toString().startsWith("10.231.")).toList());
      }
    }
  }

  @Test
  void aSparkDocumentsNetworkLabelsReachThePluginAsMesosPassesThemAndItsHostnameIsItsAddress() throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, operator)) {
      agent.awaitSubscribe();
      // the document's own command, with what Spark's --hostname would be
      TaskInfo task = ExecutorInProcessTest.documentTask("d", "echo \"$MESOS_CONTAINER_IP\" > ip",
          Map.of("spark.mesos.network.name", "sme-cni-test", "spark.mesos.network.labels", "app:spark,team:data"));
      agent.launch(task);
      String ip = agent.await("d", TaskState.TASK_RUNNING).getContainerStatus().getNetworkInfos(0)
          .getIpAddresses(0).getIpAddress();
      agent.await("d", TaskState.TASK_FINISHED);
      assertEquals(ip, Files.readString(sandbox.resolve("tasks/d/ip")).strip());
      assertReleased();
      JsonObject stdin = JsonParser.parseString(network.recordedStdin("ADD")).getAsJsonObject();
      assertEquals(JsonParser.parseString("{\"name\":\"sme-cni-test\",\"labels\":{\"labels\":[{\"key\":\"app\","
          + "\"value\":\"spark\"},{\"key\":\"team\",\"value\":\"data\"}]}}"),
          stdin.getAsJsonObject("args").getAsJsonObject("org.apache.mesos").get("network_info"));
    }
  }

  @Test
  void aTaskGroupsWholeNetworkInfoReachesThePlugin() throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, operator)) {
      agent.awaitSubscribe();
      agent.launchGroup(groupTask("g", "true", NetworkInfo.newBuilder().setName("sme-cni-test").addGroups("g1")
          .setLabels(Labels.newBuilder().addLabels(Label.newBuilder().setKey("k").setValue("v")))
          .addPortMappings(NetworkInfo.PortMapping.newBuilder().setHostPort(8080).setContainerPort(80)).build()));
      agent.await("g", TaskState.TASK_FINISHED);
      assertReleased();
      assertEquals(JsonParser.parseString("{\"name\":\"sme-cni-test\",\"groups\":[\"g1\"],\"labels\":{\"labels\":"
          + "[{\"key\":\"k\",\"value\":\"v\"}]},\"port_mappings\":[{\"host_port\":8080,\"container_port\":80}]}"),
          JsonParser.parseString(network.recordedStdin("ADD")).getAsJsonObject().getAsJsonObject("args")
              .getAsJsonObject("org.apache.mesos").get("network_info"));
    }
  }

  @Test
  void aNetworkWithoutConfigurationFailsTheTaskNamingItAndLeavesNothing() throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, operator)) {
      agent.awaitSubscribe();
      agent.launchGroup(groupTask("x", "touch started", NetworkInfo.newBuilder().setName("nowhere").build()));
      TaskStatus failed = agent.await("x", TaskState.TASK_FAILED);
      assertEquals(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED, failed.getReason());
      assertTrue(failed.getMessage().contains("CNI network 'nowhere' has no configuration in "
          + network.configDirectory()), failed.getMessage());
      assertFalse(Files.exists(sandbox.resolve("tasks/x")), "refused before anything of the task was made");
      assertFalse(network.ran("ADD"), "no plugin ran");
      assertReleased();
    }
  }

  @Test
  void withoutCniSettingsATaskThatNamesANetworkFailsSayingSo() throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, Map.of())) {
      agent.awaitSubscribe();
      agent.launchGroup(groupTask("u", "touch started", NetworkInfo.newBuilder().setName("sme-cni-test").build()));
      TaskStatus failed = agent.await("u", TaskState.TASK_FAILED);
      assertEquals("The task asks for CNI network 'sme-cni-test', but this executor has no CNI configuration ("
          + CniSettings.CONFIG_DIR + " is not set)", failed.getMessage());
      assertFalse(Files.exists(sandbox.resolve("tasks/u")), "refused before anything of the task was made");
    }
  }
}
