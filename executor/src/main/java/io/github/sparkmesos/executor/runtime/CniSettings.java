package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.os.cni.CniConfigDirectory;
import io.github.sparkmesos.os.cni.CniNetworks;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's CNI settings, as the agent's {@code --network_cni_config_dir} and
 * {@code --network_cni_plugins_dir}: {@code SPARK_MESOS_EXECUTOR_CNI_CONFIG_DIR} (the networks' {@code *.conf}
 * and {@code *.conflist} files) and {@code SPARK_MESOS_EXECUTOR_CNI_PLUGIN_DIR} (where the plugins are, ':'
 * separated; {@code /usr/lib/cni}, Debian's, when unset).
 */
public record CniSettings(Optional<Path> configDirectory, String pluginPath) {

  public static final String CONFIG_DIR = "SPARK_MESOS_EXECUTOR_CNI_CONFIG_DIR";
  public static final String PLUGIN_DIR = "SPARK_MESOS_EXECUTOR_CNI_PLUGIN_DIR";
  static final String DEFAULT_PLUGIN_DIR = "/usr/lib/cni";

  /** Where, under the executor's sandbox, each task's networks are recorded until they are released. */
  public static Path recordDirectory(Path sandbox) {
    return sandbox.resolve(".cni");
  }

  public static CniSettings fromEnvironment(Map<String, String> env) {
    return new CniSettings(Optional.ofNullable(env.get(CONFIG_DIR)).filter(s -> !s.isBlank()).map(Path::of),
        Optional.ofNullable(env.get(PLUGIN_DIR)).filter(s -> !s.isBlank()).orElse(DEFAULT_PLUGIN_DIR));
  }

  /** The networks of the tasks of the executor whose sandbox is {@code sandbox}; none when not configured. */
  public Optional<CniNetworks> networks(Path sandbox) {
    return configDirectory.map(dir -> new CniNetworks(new CniConfigDirectory(dir), pluginPath,
        recordDirectory(sandbox)));
  }
}
