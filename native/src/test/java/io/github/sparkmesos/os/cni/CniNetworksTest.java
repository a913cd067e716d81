package io.github.sparkmesos.os.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.sparkmesos.os.Command;
import io.github.sparkmesos.testing.CniTestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Joins and leaves a real bridge network with Debian's CNI plugins, in a namespace of the test's own. */
class CniNetworksTest {

  private static final String INFO = "{\"name\":\"cnitest\",\"labels\":{\"labels\":[{\"key\":\"app\",\"value\":"
      + "\"spark\"},{\"key\":\"team\",\"value\":\"data\"}]}}";

  @TempDir Path dir;
  private CniTestNetwork network;
  private CniNetworks networks;
  private Path records;

  @BeforeEach
  void network() throws Exception {
    CniTestNetwork.requireRootAndPlugins();
    network = new CniTestNetwork(dir, "cnitest", "smecni77", 77);
    records = dir.resolve("sandbox/.cni");
    networks = new CniNetworks(new CniConfigDirectory(network.configDirectory()), network.pluginPath(), records);
  }

  @AfterEach
  void removeBridge() throws Exception {
    if (network != null) {
      network.removeBridge(argv -> Command.run(argv, Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), dir,
          Duration.ofSeconds(30)));
    }
  }

  private static String inNamespace(String ns, String... argv) throws Exception {
    List<String> all = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns));
    all.addAll(List.of(argv));
    Command.Completed done = Command.run(all, Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), Path.of("/"),
        Duration.ofSeconds(30));
    assertTrue(done.status().isSuccess(), all + ": " + done.stderr());
    return done.stdout();
  }

  @Test
  void aContainerGetsAnAddressOfItsOwnAndGivesItBackWhenItLeaves() throws Exception {
    CniAttachment joined = networks.attach("sme-test-a", List.of(new CniNetworks.Request("cnitest", INFO)),
        "sme-test-a");
    try {
      assertEquals(1, joined.addresses().size(), joined.toString());
      String ip = joined.addresses().get(0);
      assertTrue(network.inSubnet(ip), ip);
      assertTrue(joined.netns().exists());
      assertEquals(List.of(ip), network.leasedAddresses());
      String addresses = inNamespace("sme-test-a", "ip", "-o", "addr", "show", "dev", "eth0");
      assertTrue(addresses.contains(" " + ip + "/24 "), addresses);
      assertTrue(inNamespace("sme-test-a", "ip", "-o", "link", "show", "lo").contains("UP"), "loopback up");
      assertEquals("127.0.0.1 localhost\n" + ip + " sme-test-a\n", Files.readString(joined.hosts()));
      assertTrue(joined.resolvConf().isEmpty(), "host-local names no resolver: the host's resolv.conf");
      assertTrue(Files.exists(records.resolve("sme-test-a/attachment.json")), "recorded on disk");
    } finally {
      networks.detach(joined);
    }
    assertFalse(joined.netns().exists(), "namespace gone");
    assertEquals(List.of(), network.leasedAddresses(), "lease released");
    assertFalse(Files.exists(records.resolve("sme-test-a")), "record gone");
    assertEquals(network.recordedStdin("ADD"), network.recordedStdin("DEL"), "DEL reads what ADD read");
  }

  @Test
  void thePluginReadsTheNetworkInfoAsMesosPassesItWithExactlyTheCniEnvironment() throws Exception {
    CniAttachment joined = networks.attach("sme-test-b", List.of(new CniNetworks.Request("cnitest", INFO)),
        "sme-test-b");
    networks.detach(joined);
    JsonObject stdin = JsonParser.parseString(network.recordedStdin("ADD")).getAsJsonObject();
    assertEquals(JsonParser.parseString(INFO), stdin.getAsJsonObject("args").getAsJsonObject("org.apache.mesos")
        .get("network_info"));
    assertEquals("yes", stdin.getAsJsonObject("args").getAsJsonObject("operator").get("kept").getAsString(),
        "the operator's own args are kept");
    assertEquals("smecni77", stdin.get("bridge").getAsString());
    Map<String, String> env = network.recordedEnvironment("ADD");
    assertEquals("ADD", env.get("CNI_COMMAND"));
    assertEquals("sme-test-b", env.get("CNI_CONTAINERID"));
    assertEquals("eth0", env.get("CNI_IFNAME"));
    assertEquals("/run/netns/sme-test-b", env.get("CNI_NETNS"));
    assertEquals(network.pluginPath(), env.get("CNI_PATH"));
    assertTrue(env.containsKey("PATH"));
    env.keySet().removeAll(List.of("CNI_COMMAND", "CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS", "CNI_PATH", "PATH",
        "PWD")); // PWD: the recorder's shell sets it
    assertEquals(Map.of(), env, "nothing else, no CNI_ARGS");
    assertEquals("DEL", network.recordedEnvironment("DEL").get("CNI_COMMAND"));
  }

  @Test
  void aNetworkWithoutConfigurationIsRefusedByNameAndNothingIsMade() throws Exception {
    CniException e = assertThrows(CniException.class, () -> networks.attach("sme-test-c",
        List.of(new CniNetworks.Request("nowhere", "{\"name\":\"nowhere\"}")), "sme-test-c"));
    assertTrue(e.getMessage().contains("CNI network 'nowhere' has no configuration in " + network.configDirectory()),
        e.getMessage());
    assertFalse(NetworkNamespace.named("sme-test-c").exists());
    assertFalse(Files.exists(records), "no record");
    assertFalse(network.ran("ADD"), "no plugin ran");
  }

  @Test
  void aConfigurationThatSetsMesosArgsIsRefused() throws Exception {
    Files.writeString(network.configDirectory().resolve("30-reserved.conf"), "{\"name\":\"reserved\",\"type\":"
        + "\"bridge\",\"args\":{\"org.apache.mesos\":{}}}");
    CniException e = assertThrows(CniException.class, () -> networks.attach("sme-test-d",
        List.of(new CniNetworks.Request("reserved", "{\"name\":\"reserved\"}")), "sme-test-d"));
    assertTrue(e.getMessage().contains("It is reserved by Mesos"), e.getMessage());
  }

  @Test
  void aConflistRunsItsChainInOrderAndDeletesInReverse() throws Exception {
    Files.writeString(network.configDirectory().resolve("50-chain.conflist"), "{\"cniVersion\":\"0.4.0\",\"name\":"
        + "\"chain\",\"plugins\":[{\"type\":\"bridge\",\"bridge\":\"smecni77\",\"ipam\":{\"type\":"
        + "\"host-local\",\"subnet\":\"10.231.77.0/24\",\"dataDir\":\"" + dir.resolve("chain-leases") + "\"}},"
        + "{\"type\":\"tuning\",\"mtu\":1400}]}");
    CniAttachment joined = networks.attach("sme-test-g", List.of(new CniNetworks.Request("chain",
        "{\"name\":\"chain\"}")), "sme-test-g");
    try {
      String ip = joined.addresses().get(0);
      assertTrue(network.inSubnet(ip), ip);
      assertEquals(List.of("bridge", "tuning"), joined.networks().get(0).plugins());
      JsonObject tuning = JsonParser.parseString(joined.networks().get(0).stdin().get(1)).getAsJsonObject();
      assertEquals("chain", tuning.get("name").getAsString(), "the list's name and version reach each plugin");
      assertEquals("0.4.0", tuning.get("cniVersion").getAsString());
      assertTrue(tuning.getAsJsonObject("prevResult").toString().contains(ip), "with the bridge's result");
      String link = inNamespace("sme-test-g", "ip", "-o", "link", "show", "dev", "eth0");
      assertTrue(link.contains("mtu 1400"), "the second plugin ran: " + link);
      assertTrue(Files.exists(dir.resolve("chain-leases/chain/" + ip)));
    } finally {
      networks.detach(joined);
    }
    assertFalse(Files.exists(dir.resolve("chain-leases/chain/" + joined.addresses().get(0))), "lease released");
    assertFalse(joined.netns().exists());
  }

  @Test
  void aFailedAddTakesBackWhatWasMade() throws Exception {
    Files.writeString(network.configDirectory().resolve("40-broken.conf"), "{\"cniVersion\":\"0.4.0\",\"name\":"
        + "\"broken\",\"type\":\"bridge\",\"bridge\":\"smecni77\",\"ipam\":{\"type\":\"host-local\"}}");
    CniException e = assertThrows(CniException.class, () -> networks.attach("sme-test-e",
        List.of(new CniNetworks.Request("broken", "{\"name\":\"broken\"}")), "sme-test-e"));
    assertTrue(e.getMessage().startsWith("The CNI plugin '/usr/lib/cni/bridge' failed to attach container sme-test-e"
        + " to CNI network 'broken'"), e.getMessage());
    assertFalse(NetworkNamespace.named("sme-test-e").exists(), "namespace gone");
    assertFalse(Files.exists(records.resolve("sme-test-e")), "record gone");
  }

  @Test
  void whatAKilledExecutorLeftIsReleasedByTheNextFromItsRecord() throws Exception {
    CniAttachment joined = networks.attach("sme-test-f", List.of(new CniNetworks.Request("cnitest", INFO)),
        "sme-test-f");
    assertEquals(1, network.leasedAddresses().size());
    // the next executor in the same sandbox knows nothing but the directory
    CniNetworks next = new CniNetworks(new CniConfigDirectory(network.configDirectory()), network.pluginPath(),
        records);
    List<String> said = next.releaseLeftovers();
    assertEquals(List.of("released container sme-test-f left in CNI networks [cnitest]"), said);
    assertFalse(joined.netns().exists(), "namespace gone");
    assertEquals(List.of(), network.leasedAddresses(), "lease released");
    assertEquals(List.of(), next.releaseLeftovers(), "nothing left");
  }

  @Test
  void leftoversAreReleasedFromTheRecordAloneWhenTheConfigurationIsGone() throws Exception {
    CniAttachment joined = networks.attach("sme-test-h", List.of(new CniNetworks.Request("cnitest", INFO)),
        "sme-test-h");
    Files.delete(network.configDirectory().resolve("10-cnitest.conf"));
    assertEquals(List.of("released container sme-test-h left in CNI networks [cnitest]"),
        CniNetworks.releaseLeftovers(records));
    assertFalse(joined.netns().exists(), "namespace gone");
    assertEquals(List.of(), network.leasedAddresses(), "lease released");
  }
}
