package io.github.sparkmesos.executor.runtime;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.os.cni.CniAttachment;
import io.github.sparkmesos.os.cni.CniException;
import io.github.sparkmesos.os.cni.CniNetworks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The process runtime's CNI option: a task that names networks and runs as a process of its own (a task
 * document or a task of a group, without an image) joins them as it is prepared, as Mesos's {@code network/cni}
 * isolator would have joined its container: a network namespace of its own, each network's plugins run
 * with {@code ADD}, and the command started inside the namespace ({@link NamespaceEntry}) with
 * {@code MESOS_CONTAINER_IP} (the first address, Spark's {@code --hostname}) and {@code LIBPROCESS_IP=0.0.0.0}.
 * Once nothing of the task is left, however it ended, {@code DEL} runs and the namespace goes; what a
 * killed executor left is released by the next one in its sandbox from the record there.
 * A command task runs where the agent placed this executor: it is passed through.
 */
public final class CniRuntime implements TaskRuntime {

  private static final JsonFormat.Printer MESOS_JSON = JsonFormat.printer().preservingProtoFieldNames()
      .omittingInsignificantWhitespace();

  private final TaskRuntime processes;
  private final Optional<CniNetworks> networks;
  private final String unconfigured;
  /** Networks joined by {@link #prepare}, by task, until the start takes them or {@link #abandon} leaves them. */
  private final Map<String, CniAttachment> prepared = new java.util.concurrent.ConcurrentHashMap<>();
  private final ExecutorService releases = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "cni-release");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param networks     the operator's networks; none when this executor has no CNI configuration
   * @param unconfigured why there are none, for the message of a task that names a network
   */
  public CniRuntime(TaskRuntime processes, Optional<CniNetworks> networks, String unconfigured) {
    this.processes = processes;
    this.networks = networks;
    this.unconfigured = unconfigured;
  }

  /** The process runtime with the operator's CNI settings; what earlier executors left here is released first. */
  public static CniRuntime around(TaskRuntime processes, CniSettings settings, java.nio.file.Path sandbox) {
    Optional<CniNetworks> networks = settings.networks(sandbox);
    // whether or not CNI is configured now: the records name the plugins that DEL needs
    CniNetworks.releaseLeftovers(CniSettings.recordDirectory(sandbox)).forEach(Log::warn);
    return new CniRuntime(processes, networks, CniSettings.CONFIG_DIR + " is not set");
  }

  /** This option around another process runtime (one that runs a task as its user), with the same networks. */
  public CniRuntime around(TaskRuntime otherProcesses) {
    return otherProcesses == processes ? this : new CniRuntime(otherProcesses, networks, unconfigured);
  }

  /** Whether the plan's task joins its networks here (and not through the agent or a container engine). */
  public static boolean joinsNetworks(LaunchPlan plan) {
    return !plan.networks().isEmpty() && !plan.inSandbox() && plan.container().isEmpty();
  }

  /**
   * Joins the plan's networks (the plugins' ADD may take a while: here, before the start, a KILL still ends
   * the task at once, and {@link #abandon} takes them back).
   */
  @Override
  public void prepare(LaunchPlan plan, Consumer<String> progress) throws LaunchFailedException {
    processes.prepare(plan, progress);
    if (joinsNetworks(plan)) {
      prepared.put(plan.taskId(), attach(plan));
    }
  }

  @Override
  public void abandon(LaunchPlan plan) {
    CniAttachment attachment = prepared.remove(plan.taskId());
    if (attachment != null) {
      release(attachment, plan.taskId());
    }
    processes.abandon(plan);
  }

  /**
   * Checks, before anything of the task exists, that each network it joins here is configured and its
   * plugins are there, as Mesos's isolator does before the fetch.
   *
   * @throws LaunchFailedException naming the network
   */
  public void check(LaunchPlan plan) throws LaunchFailedException {
    if (!joinsNetworks(plan)) {
      return;
    }
    List<String> names = plan.networks().stream().map(LaunchPlan.Network::name).toList();
    if (networks.isEmpty()) {
      throw new LaunchFailedException("The task asks for CNI network" + (names.size() > 1 ? "s " : " ")
          + String.join(", ", names.stream().map(n -> "'" + n + "'").toList()) + ", but this executor has no CNI"
          + " configuration (" + unconfigured + ")");
    }
    try {
      networks.get().check(names);
    } catch (CniException e) {
      throw new LaunchFailedException(e.getMessage(), e);
    }
    int uid = effectiveUid();
    if (uid != 0) {
      throw new LaunchFailedException("The task asks for CNI network" + (names.size() > 1 ? "s " : " ")
          + String.join(", ", names.stream().map(n -> "'" + n + "'").toList()) + ": joining one needs root (a network"
          + " namespace, mounts), and this executor runs as uid " + uid);
    }
  }

  private static int effectiveUid() {
    try {
      return (Integer) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid");
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public RunningTask start(LaunchPlan plan) throws LaunchFailedException {
    if (!joinsNetworks(plan)) {
      return processes.start(plan);
    }
    CniAttachment joined = prepared.remove(plan.taskId());
    CniAttachment attachment = joined != null ? joined : attach(plan);
    String containerId = attachment.containerId();
    try {
      Map<String, String> env = new LinkedHashMap<>();
      attachment.addresses().stream().findFirst().ifPresent(ip -> env.put("MESOS_CONTAINER_IP", ip));
      env.put("LIBPROCESS_IP", "0.0.0.0"); // as Mesos's isolator: the task binds inside its own namespace
      // entered as the executor's user (root), before the process runtime switches to the task's
      LaunchPlan inside = plan.withEntry(NamespaceEntry.argv(attachment, plan.hostname().orElse(containerId)), env);
      RunningTask task = processes.start(inside);
      return new NetworkedTask(task, attachment, () -> release(attachment, plan.taskId()), releases);
    } catch (LaunchFailedException | RuntimeException e) {
      release(attachment, plan.taskId());
      throw e;
    }
  }

  private CniAttachment attach(LaunchPlan plan) throws LaunchFailedException {
    check(plan); // again: the operator's files may have changed since the launch
    String containerId = "sme-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try {
      return networks.orElseThrow().attach(containerId, requests(plan), plan.hostname().orElse(containerId));
    } catch (CniException e) {
      throw new LaunchFailedException(e.getMessage(), e);
    }
  }

  private void release(CniAttachment attachment, String taskId) {
    try {
      networks.orElseThrow().detach(attachment);
      Log.info("task " + taskId + ": left CNI networks " + attachment.networks().stream()
          .map(CniAttachment.Joined::network).toList() + " (" + attachment.containerId() + ")");
    } catch (CniException e) {
      Log.warn("task " + taskId + ": " + e.getMessage() + " (the record in " + attachment.directory()
          + " stays: the next executor in this sandbox tries again)");
    }
  }

  /** Each network, with Mesos's JSON of its {@code NetworkInfo} (proto field names) for the plugins' args. */
  private static List<CniNetworks.Request> requests(LaunchPlan plan) throws LaunchFailedException {
    List<CniNetworks.Request> requests = new ArrayList<>();
    for (LaunchPlan.Network n : plan.networks()) {
      try {
        requests.add(new CniNetworks.Request(n.name(), MESOS_JSON.print(n.info())));
      } catch (InvalidProtocolBufferException e) {
        throw new LaunchFailedException("Cannot write the NetworkInfo of CNI network '" + n.name() + "': "
            + e.getMessage(), e);
      }
    }
    return requests;
  }
}
