package io.github.sparkmesos.os.cni;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A container's place in its CNI networks, as recorded on disk in its own directory ({@code attachment.json})
 * before the first plugin runs and after each network is joined: what {@code DEL} needs (the plugins and the
 * exact configuration each read on {@code ADD}) even when the executor that joined them is gone.
 *
 * @param directory where the record, and the container's {@code hosts} and {@code resolv.conf}, are
 * @param networks  in the order they are joined ({@code eth0}, {@code eth1}, ...)
 */
public record CniAttachment(String containerId, Path directory, String namespace, String pluginPath,
    List<Joined> networks) {

  static final String RECORD = "attachment.json";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  /**
   * One network: its plugins by type, what each read on stdin, and (once {@code ADD} succeeded) the result.
   *
   * @param stdin a JSON object per plugin run so far
   */
  public record Joined(String network, String ifname, List<String> plugins, List<String> stdin,
      Optional<String> result) {
    public Joined {
      plugins = List.copyOf(plugins);
      stdin = List.copyOf(stdin);
    }

    /** The addresses the network gave the container. */
    public List<String> addresses() {
      return result.map(r -> CniResult.parse(r).addresses()).orElse(List.of());
    }

    Joined withStdin(String more) {
      List<String> all = new ArrayList<>(stdin);
      all.add(more);
      return new Joined(network, ifname, plugins, all, result);
    }

    Joined withResult(String json) {
      return new Joined(network, ifname, plugins, stdin, Optional.of(json));
    }
  }

  public CniAttachment {
    networks = List.copyOf(networks);
  }

  public NetworkNamespace netns() {
    return NetworkNamespace.named(namespace);
  }

  /** Every address the container got, in network order. */
  public List<String> addresses() {
    return networks.stream().flatMap(n -> n.addresses().stream()).toList();
  }

  /** The container's own {@code /etc/hosts}. */
  public Path hosts() {
    return directory.resolve("hosts");
  }

  /** The container's own {@code /etc/resolv.conf}, when a plugin named resolvers (else the host's is used). */
  public Optional<Path> resolvConf() {
    Path p = directory.resolve("resolv.conf");
    return Files.exists(p) ? Optional.of(p) : Optional.empty();
  }

  CniAttachment with(int index, Joined joined) {
    List<Joined> all = new ArrayList<>(networks);
    all.set(index, joined);
    return new CniAttachment(containerId, directory, namespace, pluginPath, all);
  }

  /** Writes the record whole or not at all. */
  void save() throws IOException {
    JsonObject json = new JsonObject();
    json.addProperty("containerId", containerId);
    json.addProperty("namespace", namespace);
    json.addProperty("pluginPath", pluginPath);
    json.add("networks", GSON.toJsonTree(networks.stream().map(n -> new Stored(n.network(), n.ifname(), n.plugins(),
        n.stdin(), n.result().orElse(null))).toList()));
    Path tmp = directory.resolve(RECORD + ".tmp");
    Files.writeString(tmp, GSON.toJson(json), StandardCharsets.UTF_8);
    Files.move(tmp, directory.resolve(RECORD), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static CniAttachment load(Path directory) throws IOException {
    try {
      JsonObject json = JsonParser.parseString(Files.readString(directory.resolve(RECORD), StandardCharsets.UTF_8))
          .getAsJsonObject();
      Stored[] stored = GSON.fromJson(json.get("networks"), Stored[].class);
      List<Joined> networks = new ArrayList<>();
      for (Stored s : stored) {
        networks.add(new Joined(s.network, s.ifname, s.plugins, s.stdin, Optional.ofNullable(s.result)));
      }
      return new CniAttachment(json.get("containerId").getAsString(), directory, json.get("namespace").getAsString(),
          json.get("pluginPath").getAsString(), networks);
    } catch (RuntimeException e) {
      throw new IOException("unreadable CNI record " + directory.resolve(RECORD) + ": " + e, e);
    }
  }

  /** The record's JSON form of {@link Joined}. */
  private record Stored(String network, String ifname, List<String> plugins, List<String> stdin, String result) {}
}
