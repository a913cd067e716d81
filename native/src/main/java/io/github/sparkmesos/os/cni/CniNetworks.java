package io.github.sparkmesos.os.cni;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Joins a container to CNI networks and takes it out again, as Mesos's {@code network/cni} isolator does:
 * a network namespace of its own, each network's plugins run with {@code ADD} (interfaces {@code eth0},
 * {@code eth1}, ... in order), the container's {@code hosts} and {@code resolv.conf} written as Mesos writes
 * them; {@code DEL} in reverse order and the namespace removed at the end. Each container's record lives in a
 * directory of its own under {@code recordDirectory}, so what an executor killed with SIGKILL left behind is
 * released by the next one ({@link #releaseLeftovers()}).
 */
public final class CniNetworks {

  /** A network to join: its name and Mesos's JSON of its {@code NetworkInfo} (proto field names). */
  public record Request(String name, String networkInfoJson) {}

  private final CniConfigDirectory configs;
  private final String pluginPath;
  private final Path recordDirectory;

  /**
   * @param pluginPath the plugin directories, ':'-separated (the agent's {@code --network_cni_plugins_dir})
   */
  public CniNetworks(CniConfigDirectory configs, String pluginPath, Path recordDirectory) {
    this.configs = configs;
    this.pluginPath = pluginPath;
    this.recordDirectory = recordDirectory;
  }

  /**
   * Joins container {@code containerId} (also the namespace's name) to {@code networks}. Every network's
   * configuration and plugins are found before anything is made; when a step fails, what was made is taken
   * back before this throws.
   *
   * @param hostname the name {@code hosts} gives the container's first address
   */
  public CniAttachment attach(String containerId, List<Request> networks, String hostname) throws CniException {
    List<CniNetworkConfig> found = check(networks.stream().map(Request::name).toList());
    NetworkNamespace.named(containerId); // validates the name before anything is made
    Path directory = recordDirectory.resolve(containerId);
    List<CniAttachment.Joined> planned = new ArrayList<>();
    for (int i = 0; i < found.size(); i++) {
      List<String> types = new ArrayList<>();
      for (int p = 0; p < found.get(i).plugins().size(); p++) {
        types.add(found.get(i).type(p));
      }
      planned.add(new CniAttachment.Joined(found.get(i).name(), "eth" + i, types, List.of(), Optional.empty()));
    }
    CniAttachment attachment = new CniAttachment(containerId, directory, containerId, pluginPath, planned);
    try {
      Files.createDirectories(directory);
      attachment.save(); // before the namespace exists: a crash from here on leaves a record to release
      NetworkNamespace.create(containerId);
      for (int i = 0; i < found.size(); i++) {
        attachment = add(attachment, i, found.get(i), JsonParser.parseString(networks.get(i).networkInfoJson())
            .getAsJsonObject());
      }
      writeNetworkFiles(attachment, hostname);
      return attachment;
    } catch (IOException | InterruptedException | RuntimeException | CniException e) {
      try {
        detach(attachment);
      } catch (CniException undo) {
        e.addSuppressed(undo);
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw e instanceof CniException c ? c
          : new CniException("Cannot join container " + containerId + " to its CNI networks: " + e.getMessage(), e);
    }
  }

  /**
   * The configurations of {@code names}, each found with its plugins, without making anything: what a
   * container's launch checks before its sandbox is prepared.
   *
   * @throws CniException naming the network that is configured nowhere (or twice), named twice, or whose
   *     plugin is missing
   */
  public List<CniNetworkConfig> check(List<String> names) throws CniException {
    List<CniNetworkConfig> found = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!seen.add(name)) {
        throw new CniException("CNI network '" + name + "' is named twice: a container joins a network once");
      }
      CniNetworkConfig config = configs.find(name);
      for (int i = 0; i < config.plugins().size(); i++) {
        if (CniPluginRun.find(config.type(i), pluginPath).isEmpty()) {
          throw new CniException("CNI network '" + name + "': its plugin '" + config.type(i)
              + "' is not in the plugin directories " + pluginPath + " (" + config.file() + ")");
        }
      }
      found.add(config);
    }
    return found;
  }

  private CniAttachment add(CniAttachment attachment, int index, CniNetworkConfig config, JsonObject networkInfo)
      throws IOException, InterruptedException, CniException {
    CniAttachment.Joined joined = attachment.networks().get(index);
    Optional<com.google.gson.JsonElement> previous = Optional.empty();
    String stdout = null;
    for (int p = 0; p < config.plugins().size(); p++) {
      String stdin = config.stdin(p, networkInfo, previous).toString();
      joined = joined.withStdin(stdin);
      attachment = attachment.with(index, joined);
      attachment.save(); // DEL reads what ADD read, even when ADD fails half way
      Path plugin = CniPluginRun.find(config.type(p), pluginPath).orElseThrow();
      CniPluginRun.Outcome out = CniPluginRun.run(plugin, "ADD", attachment.containerId(), pluginPath,
          joined.ifname(), Optional.of(attachment.netns().path()), stdin, attachment.directory());
      if (!out.succeeded()) {
        throw new CniException("The CNI plugin '" + plugin + "' failed to attach container " + attachment.containerId()
            + " to CNI network '" + config.name() + "' (" + out.status().describe() + "): stdout='"
            + out.stdout().strip() + "', stderr='" + out.stderr().strip() + "'");
      }
      stdout = out.stdout();
      previous = Optional.of(JsonParser.parseString(stdout));
    }
    try {
      CniResult.parse(stdout);
    } catch (RuntimeException e) {
      throw new CniException("CNI network '" + config.name() + "': the plugin's result is not a CNI result: '"
          + stdout.strip() + "'", e);
    }
    attachment = attachment.with(index, joined.withResult(stdout));
    attachment.save();
    return attachment;
  }

  /** {@code hosts} and {@code resolv.conf} as Mesos writes them for a container with its own network. */
  private static void writeNetworkFiles(CniAttachment attachment, String hostname) throws IOException {
    StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n");
    List<CniResult> results = attachment.networks().stream().map(n -> CniResult.parse(n.result().orElseThrow()))
        .toList();
    results.stream().flatMap(r -> r.addresses().stream()).filter(a -> !a.contains(":")).findFirst()
        .ifPresent(ip -> hosts.append(ip).append(' ').append(hostname).append('\n'));
    Files.writeString(attachment.hosts(), hosts.toString(), StandardCharsets.UTF_8);
    List<String> nameservers = new ArrayList<>();
    String domain = null;
    List<String> search = new ArrayList<>();
    List<String> options = new ArrayList<>();
    for (CniResult r : results) { // ordering kept; for single values the last network wins, as Mesos merges
      nameservers.addAll(r.dns().nameservers());
      search.addAll(r.dns().search());
      options.addAll(r.dns().options());
      domain = r.dns().domain() != null ? r.dns().domain() : domain;
    }
    if (!nameservers.isEmpty()) { // none: the host's /etc/resolv.conf, as Mesos
      Files.writeString(attachment.directory().resolve("resolv.conf"),
          new CniResult.Dns(nameservers, domain, search, options).resolvConf(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Takes the container out of its networks: {@code DEL} for each plugin that read an {@code ADD}, last
   * first ({@code CNI_NETNS} left out when the namespace is gone), then the namespace and the record go.
   * When a {@code DEL} fails, the namespace and the record stay, for a later try.
   */
  public void detach(CniAttachment attachment) throws CniException {
    release(attachment);
  }

  private static void release(CniAttachment attachment) throws CniException {
    boolean interrupted = Thread.interrupted(); // a kill's interrupt must not cut the release short
    try {
      releaseAll(attachment);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void releaseAll(CniAttachment attachment) throws CniException {
    List<String> failures = new ArrayList<>();
    NetworkNamespace netns = attachment.netns();
    for (int i = attachment.networks().size() - 1; i >= 0; i--) {
      CniAttachment.Joined joined = attachment.networks().get(i);
      for (int p = joined.stdin().size() - 1; p >= 0; p--) {
        String type = joined.plugins().get(p);
        Optional<Path> plugin = CniPluginRun.find(type, attachment.pluginPath());
        if (plugin.isEmpty()) {
          failures.add("the CNI plugin '" + type + "' of network '" + joined.network() + "' is gone from "
              + attachment.pluginPath());
          continue;
        }
        try {
          CniPluginRun.Outcome out = CniPluginRun.run(plugin.get(), "DEL", attachment.containerId(),
              attachment.pluginPath(), joined.ifname(), netns.exists() ? Optional.of(netns.path()) : Optional.empty(),
              joined.stdin().get(p), attachment.directory());
          if (!out.succeeded()) {
            failures.add("The CNI plugin '" + plugin.get() + "' failed to detach container "
                + attachment.containerId() + " from CNI network '" + joined.network() + "' ("
                + out.status().describe() + "): stdout='" + out.stdout().strip() + "', stderr='"
                + out.stderr().strip() + "'");
          }
        } catch (IOException | InterruptedException e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          failures.add("DEL of network '" + joined.network() + "' by " + plugin.get() + ": " + e.getMessage());
        }
      }
    }
    if (failures.isEmpty()) {
      try {
        netns.delete();
        deleteTree(attachment.directory());
      } catch (IOException | InterruptedException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        failures.add("removing network namespace " + netns.path() + " and " + attachment.directory() + ": "
            + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new CniException(String.join("; ", failures));
    }
  }

  /**
   * Releases what earlier executors recorded and left (killed before they could): one message per
   * container, saying what was released or why it could not be.
   */
  public List<String> releaseLeftovers() {
    return releaseLeftovers(recordDirectory);
  }

  /**
   * As {@link #releaseLeftovers()}, for the records under {@code recordDirectory}: each record names its
   * plugins and their directories, so no configuration is needed (the operator may have removed it since).
   */
  public static List<String> releaseLeftovers(Path recordDirectory) {
    List<String> said = new ArrayList<>();
    if (!Files.isDirectory(recordDirectory)) {
      return said;
    }
    List<Path> left;
    try (Stream<Path> list = Files.list(recordDirectory)) {
      left = list.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      return List.of("cannot list " + recordDirectory + ": " + e.getMessage());
    }
    for (Path directory : left) {
      try {
        CniAttachment attachment = CniAttachment.load(directory);
        release(attachment);
        said.add("released container " + attachment.containerId() + " left in CNI networks "
            + attachment.networks().stream().map(CniAttachment.Joined::network).toList());
      } catch (IOException | CniException e) {
        said.add("could not release the CNI networks recorded in " + directory + ": " + e.getMessage());
      }
    }
    return said;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
