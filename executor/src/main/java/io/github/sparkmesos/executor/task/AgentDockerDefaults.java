package io.github.sparkmesos.executor.task;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.sparkmesos.docker.ContainerSpec;
import io.github.sparkmesos.docker.ContainerSpec.NetworkMode;
import io.github.sparkmesos.docker.ContainerSpec.Parameter;
import io.github.sparkmesos.executor.mesos.DockerExecutorFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the agent's Docker containerizer adds to a Docker command task's container through the Docker
 * executor's flags (src/docker/docker.cpp, {@code RunOptions::create}): the default DNS of
 * {@code --default_container_dns} for the container's network, unless the task's parameters set it,
 * and with {@code --cgroups_enable_cfs} a CPU quota of {@code max(100 ms × cpus, 1 ms)} per 100 ms.
 * Both go in as parameters, after the task's own, where the task did not set the same option.
 */
final class AgentDockerDefaults {

  private static final long CFS_PERIOD_MICROS = 100_000;
  private static final long MIN_CFS_QUOTA_MICROS = 1_000;

  private AgentDockerDefaults() {}

  static ContainerPlans.Result apply(ContainerPlans.Result result, DockerExecutorFlags flags, Optional<Double> cpus)
      throws InvalidTaskException {
    if (result.container().isEmpty()) {
      return result;
    }
    ContainerSpec spec = result.container().get();
    List<Parameter> parameters = new ArrayList<>(spec.parameters());
    if (flags.defaultDns().isPresent()) {
      dnsEntry(flags.defaultDns().get(), spec.network()).ifPresent(dns -> {
        addUnlessSet(parameters, spec, "dns", dns.getAsJsonArray("nameservers"));
        addUnlessSet(parameters, spec, "dns-search", dns.getAsJsonArray("search"));
        addUnlessSet(parameters, spec, "dns-option", dns.getAsJsonArray("options"));
      });
    }
    if (flags.cgroupsEnableCfs() && cpus.isPresent() && spec.parameterValues("cpu-quota").isEmpty()
        && spec.parameterValues("cpus").isEmpty()) {
      long quota = Math.max((long) (CFS_PERIOD_MICROS * cpus.get()), MIN_CFS_QUOTA_MICROS);
      parameters.add(new Parameter("cpu-period", Long.toString(CFS_PERIOD_MICROS)));
      parameters.add(new Parameter("cpu-quota", Long.toString(quota)));
    }
    ContainerSpec applied = new ContainerSpec(spec.image(), spec.forcePull(), spec.volumes(), spec.portMappings(),
        spec.network(), spec.networkLabels(), spec.hostname(), spec.privileged(), parameters);
    return new ContainerPlans.Result(Optional.of(applied), result.containerizer(), result.warnings());
  }

  /**
   * The {@code dns} of the {@code docker} entry for the container's network: its mode (HOST, BRIDGE,
   * USER) and, for USER, its network name (an entry without a name serves every user network).
   */
  private static Optional<JsonObject> dnsEntry(JsonObject defaults, NetworkMode network)
      throws InvalidTaskException {
    JsonElement docker = defaults.get("docker");
    if (docker == null) {
      return Optional.empty();
    }
    if (!docker.isJsonArray()) {
      throw new InvalidTaskException("--default_container_dns.docker", "must be a JSON array");
    }
    JsonObject fallback = null;
    for (JsonElement e : docker.getAsJsonArray()) {
      JsonObject entry = e.getAsJsonObject();
      String mode = entry.has("network_mode") ? entry.get("network_mode").getAsString().toUpperCase(Locale.ROOT) : "";
      if (!mode.equals(network.kind().name()) || !entry.has("dns")) {
        continue;
      }
      if (network.kind() != NetworkMode.Kind.USER) {
        return Optional.of(entry.getAsJsonObject("dns"));
      }
      if (entry.has("network_name") && network.name().isPresent()
          && entry.get("network_name").getAsString().equals(network.name().get())) {
        return Optional.of(entry.getAsJsonObject("dns"));
      }
      if (!entry.has("network_name")) {
        fallback = entry.getAsJsonObject("dns");
      }
    }
    return Optional.ofNullable(fallback);
  }

  private static void addUnlessSet(List<Parameter> parameters, ContainerSpec spec, String option, JsonArray values) {
    if (values == null || !spec.parameterValues(option).isEmpty()) {
      return;
    }
    for (JsonElement v : values) {
      parameters.add(new Parameter(option, v.getAsString()));
    }
  }
}
