package io.github.sparkmesos.os.cni;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One CNI network as the operator configured it: a {@code .conf} file (one plugin, as Mesos's
 * {@code network/cni} isolator reads it) or a {@code .conflist} (a chain of plugins, as libcni runs it).
 *
 * @param plugins each plugin's configuration; for a {@code .conf}, the whole file
 */
public record CniNetworkConfig(String name, Path file, Optional<String> cniVersion, List<JsonObject> plugins,
    boolean chain) {

  /** The key of {@code args} that Mesos reserves for itself. */
  static final String MESOS_ARGS = "org.apache.mesos";

  public CniNetworkConfig {
    plugins = plugins.stream().map(JsonObject::deepCopy).toList();
  }

  /** The plugin's executable name: its {@code type}. */
  public String type(int plugin) {
    return plugins.get(plugin).get("type").getAsString();
  }

  /**
   * What plugin {@code plugin} reads on stdin: its configuration (with the list's {@code name} and
   * {@code cniVersion} for a chain), with {@code args["org.apache.mesos"] = {"network_info": networkInfo}}
   * added to the {@code args} already there, as Mesos passes it, and {@code prevResult} when given.
   */
  public JsonObject stdin(int plugin, JsonObject networkInfo, Optional<JsonElement> prevResult) {
    JsonObject config = plugins.get(plugin).deepCopy();
    if (chain) {
      config.addProperty("name", name);
      cniVersion.ifPresent(v -> config.addProperty("cniVersion", v));
    }
    JsonObject args = config.has("args") && config.get("args").isJsonObject()
        ? config.getAsJsonObject("args") : new JsonObject();
    JsonObject mesos = new JsonObject();
    mesos.add("network_info", networkInfo.deepCopy());
    args.add(MESOS_ARGS, mesos);
    config.add("args", args);
    prevResult.ifPresent(r -> config.add("prevResult", r.deepCopy()));
    return config;
  }
}
