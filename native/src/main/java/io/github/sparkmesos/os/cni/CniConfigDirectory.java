package io.github.sparkmesos.os.cni;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The operator's CNI configuration directory (as the agent's {@code --network_cni_config_dir}): each
 * {@code *.conf} and {@code *.conflist} file there configures the network its {@code "name"} names.
 */
public final class CniConfigDirectory {

  private final Path directory;

  public CniConfigDirectory(Path directory) {
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }

  /**
   * The configuration of network {@code name}.
   *
   * @throws CniException naming the network when no file configures it, when two do, or when the file that
   *     does is not a valid configuration (no {@code type}, or an {@code args["org.apache.mesos"]} of its own)
   */
  public CniNetworkConfig find(String name) throws CniException {
    List<Path> files;
    try (Stream<Path> list = Files.list(directory)) {
      files = list.filter(p -> p.toString().endsWith(".conf") || p.toString().endsWith(".conflist"))
          .filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new CniException("Cannot read the CNI configuration directory " + directory + " for network '" + name
          + "': " + e.getMessage(), e);
    }
    List<CniNetworkConfig> found = new ArrayList<>();
    for (Path file : files) {
      JsonObject json;
      try {
        JsonElement parsed = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        if (!parsed.isJsonObject()) {
          continue; // not a configuration: the agent skips such files too
        }
        json = parsed.getAsJsonObject();
      } catch (IOException | RuntimeException e) {
        continue;
      }
      if (json.has("name") && json.get("name").isJsonPrimitive() && json.get("name").getAsString().equals(name)) {
        found.add(config(name, file, json));
      }
    }
    if (found.isEmpty()) {
      throw new CniException("CNI network '" + name + "' has no configuration in " + directory
          + " (no *.conf or *.conflist file there has \"name\": \"" + name + "\")");
    }
    if (found.size() > 1) {
      throw new CniException("CNI network '" + name + "' is configured twice in " + directory + ": "
          + found.stream().map(c -> c.file().getFileName().toString()).toList());
    }
    return found.get(0);
  }

  private static CniNetworkConfig config(String name, Path file, JsonObject json) throws CniException {
    Optional<String> version = json.has("cniVersion") ? Optional.of(json.get("cniVersion").getAsString())
        : Optional.empty();
    boolean chain = file.toString().endsWith(".conflist");
    List<JsonObject> plugins = new ArrayList<>();
    if (chain) {
      JsonElement list = json.get("plugins");
      if (list == null || !list.isJsonArray() || list.getAsJsonArray().isEmpty()) {
        throw new CniException("CNI network '" + name + "': " + file + " has no \"plugins\" list");
      }
      for (JsonElement plugin : (JsonArray) list) {
        if (!plugin.isJsonObject()) {
          throw new CniException("CNI network '" + name + "': " + file + " has a plugin that is not an object");
        }
        plugins.add(plugin.getAsJsonObject());
      }
    } else {
      plugins.add(json);
    }
    for (JsonObject plugin : plugins) {
      if (!plugin.has("type") || !plugin.get("type").isJsonPrimitive()
          || plugin.get("type").getAsString().contains("/")) {
        throw new CniException("CNI network '" + name + "': " + file + " names no plugin \"type\" (a file name)");
      }
      if (plugin.has("args") && plugin.get("args").isJsonObject()
          && plugin.getAsJsonObject("args").has(CniNetworkConfig.MESOS_ARGS)) {
        throw new CniException("CNI network '" + name + "': 'org.apache.mesos' in 'args' should not be set in CNI"
            + " network configuration file " + file + ". It is reserved by Mesos");
      }
    }
    return new CniNetworkConfig(name, file, version, plugins, chain);
  }
}
