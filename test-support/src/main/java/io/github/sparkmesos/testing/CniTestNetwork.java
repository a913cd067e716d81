package io.github.sparkmesos.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A CNI network of a test's own, run by the real plugins of Debian's {@code containernetworking-plugins}:
 * {@code bridge} (a bridge named by the test) with {@code host-local} leases in a
 * subnet the test chooses, kept in the test's directory. Its configuration's plugin is a recorder that keeps
 * what each command read on stdin and its environment, then hands the same stdin to {@code bridge}.
 */
public final class CniTestNetwork {

  /** Where Debian installs the plugins. */
  public static final Path DEBIAN_PLUGINS = Path.of("/usr/lib/cni");

  /** Runs a command to its end (through the JVM's own launcher: a reaping JVM must not use ProcessBuilder). */
  @FunctionalInterface
  public interface Runner {
    void run(List<String> argv) throws Exception;
  }

  private final String name;
  private final String bridge;
  private final String subnetPrefix;
  private final Path configDirectory;
  private final Path pluginDirectory;
  private final Path leases;
  private final Path records;

  /**
   * Skips the test (never under CI=true) unless this process is root and the plugins are installed.
   */
  public static void requireRootAndPlugins() throws IOException {
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    Skips.require(Integer.valueOf(0).equals(uid), "CNI tests need root (network namespaces, bridges); uid is " + uid);
    Skips.require(Files.isExecutable(DEBIAN_PLUGINS.resolve("bridge"))
        && Files.isExecutable(DEBIAN_PLUGINS.resolve("host-local")),
        "CNI tests need Debian's containernetworking-plugins in " + DEBIAN_PLUGINS + " (apt-get install"
            + " containernetworking-plugins; .ci/run installs it)");
  }

  /**
   * @param thirdOctet the subnet is {@code 10.231.<thirdOctet>.0/24}, the gateway (the bridge on the host)
   *                   {@code .1}
   */
  public CniTestNetwork(Path directory, String name, String bridge, int thirdOctet) throws IOException {
    this.name = name;
    this.bridge = bridge;
    this.subnetPrefix = "10.231." + thirdOctet + ".";
    this.configDirectory = Files.createDirectories(directory.resolve("cni-conf"));
    this.pluginDirectory = Files.createDirectories(directory.resolve("cni-plugins"));
    this.leases = Files.createDirectories(directory.resolve("cni-leases"));
    this.records = Files.createDirectories(directory.resolve("cni-recorded"));
    Path recorder = pluginDirectory.resolve("recording-bridge");
    Files.writeString(recorder, "#!/bin/sh\n"
        + "cat > '" + records + "'/stdin-$CNI_COMMAND.json\n"
        + "env > '" + records + "'/env-$CNI_COMMAND\n"
        + "exec '" + DEBIAN_PLUGINS.resolve("bridge") + "' < '" + records + "'/stdin-$CNI_COMMAND.json\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(recorder, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(configDirectory.resolve("10-" + name + ".conf"), "{\n"
        + "  \"cniVersion\": \"0.4.0\",\n"
        + "  \"name\": \"" + name + "\",\n"
        + "  \"type\": \"recording-bridge\",\n"
        + "  \"bridge\": \"" + bridge + "\",\n"
        + "  \"isGateway\": false,\n"
        + "  \"ipMasq\": false,\n"
        + "  \"args\": {\"operator\": {\"kept\": \"yes\"}},\n"
        + "  \"ipam\": {\"type\": \"host-local\", \"subnet\": \"" + subnetPrefix + "0/24\",\n"
        + "           \"dataDir\": \"" + leases + "\", \"routes\": [{\"dst\": \"0.0.0.0/0\"}]}\n"
        + "}\n", StandardCharsets.UTF_8);
    // a file of another network, and one that is no configuration at all: both passed over
    Files.writeString(configDirectory.resolve("20-other.conf"),
        "{\"cniVersion\": \"0.4.0\", \"name\": \"other-" + name + "\", \"type\": \"bridge\"}\n", StandardCharsets.UTF_8);
    Files.writeString(configDirectory.resolve("README.conf"), "not json\n", StandardCharsets.UTF_8);
  }

  public String name() {
    return name;
  }

  public String bridge() {
    return bridge;
  }

  /** The host's address on the bridge ({@link #createBridge}): the containers' gateway. */
  public String gateway() {
    return subnetPrefix + "1";
  }

  /** Whether {@code address} is one host-local may hand out in this network. */
  public boolean inSubnet(String address) {
    return address.startsWith(subnetPrefix) && !address.equals(gateway());
  }

  public Path configDirectory() {
    return configDirectory;
  }

  /** The recorder's directory, then Debian's. */
  public String pluginPath() {
    return pluginDirectory + ":" + DEBIAN_PLUGINS;
  }

  /** The addresses host-local has leased in this network (its lease files). */
  public List<String> leasedAddresses() throws IOException {
    Path dir = leases.resolve(name);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(subnetPrefix)).sorted().toList();
    }
  }

  /** What the plugin read on stdin for {@code command} (ADD, DEL), the last time it ran it. */
  public String recordedStdin(String command) throws IOException {
    return Files.readString(records.resolve("stdin-" + command + ".json"), StandardCharsets.UTF_8);
  }

  /** The environment the plugin ran {@code command} with (as its shell saw it, so with PWD). */
  public Map<String, String> recordedEnvironment(String command) throws IOException {
    Map<String, String> env = new java.util.TreeMap<>();
    for (String line : Files.readAllLines(records.resolve("env-" + command), StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return env;
  }

  public boolean ran(String command) {
    return Files.exists(records.resolve("stdin-" + command + ".json"));
  }

  /**
   * Makes the bridge before any plugin runs, up, with the host's address {@link #gateway()} on it: a server
   * on the host (a Spark driver) can bind to it before the first container joins. The plugin takes the
   * bridge as it finds it ({@code isGateway} is false: it changes nothing of the host's).
   */
  public void createBridge(Runner runner) throws Exception {
    runner.run(List.of("ip", "link", "add", bridge, "type", "bridge"));
    runner.run(List.of("ip", "addr", "add", gateway() + "/24", "dev", bridge));
    runner.run(List.of("ip", "link", "set", bridge, "up"));
  }

  /** Removes the bridge the plugin made (the plugin itself never does). */
  public void removeBridge(Runner runner) throws Exception {
    if (Files.exists(Path.of("/sys/class/net", bridge))) {
      runner.run(List.of("ip", "link", "delete", bridge));
    }
  }
}
