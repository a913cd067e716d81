package io.github.sparkmesos.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.executor.task.LaunchPlans;
import io.github.sparkmesos.os.Command;
import io.github.sparkmesos.os.cni.NetworkNamespace;
import io.github.sparkmesos.testing.CniTestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process runtime's CNI option around a runtime of the test's, with Debian's plugins (10.231.81.0/24). */
class CniRuntimeTest {

  @TempDir Path dir;
  private CniTestNetwork network;
  private Path sandbox;
  private CniSettings settings;

  @BeforeEach
  void network() throws Exception {
    CniTestNetwork.requireRootAndPlugins();
    network = new CniTestNetwork(dir, "sme-cni-runtime", "smecni81", 81);
    sandbox = Files.createDirectories(dir.resolve("sandbox"));
    settings = new CniSettings(Optional.of(network.configDirectory()), network.pluginPath());
  }

  @AfterEach
  void removeBridge() throws Exception {
    if (network != null) {
      network.removeBridge(argv -> Command.run(argv, Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), dir,
          Duration.ofSeconds(30)));
    }
  }

  private LaunchPlan plan(String taskId) throws Exception {
    return LaunchPlans.forCommandTask(TaskInfo.newBuilder().setName(taskId)
        .setTaskId(TaskID.newBuilder().setValue(taskId))
        .setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue("a"))
        .setCommand(CommandInfo.newBuilder().setValue("exec sleep 600"))
        .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)
            .addNetworkInfos(NetworkInfo.newBuilder().setName("sme-cni-runtime"))).build(),
        new LaunchPlans.Context(Optional.empty(), Optional.empty(), sandbox));
  }

  @Test
  void whenTheStartFailsAfterTheNetworkWasJoinedTheNetworkIsLeftAndTheFailureStands() throws Exception {
    AtomicReference<LaunchPlan> given = new AtomicReference<>();
    LaunchFailedException cause = new LaunchFailedException("the process could not start");
    TaskRuntime failing = plan -> {
      given.set(plan);
      assertEquals(1, uncheckedLeases(), "joined when the command starts");
      throw cause;
    };
    CniRuntime runtime = CniRuntime.around(failing, settings, sandbox);
    LaunchPlan plan = plan("f");
    LaunchFailedException e = assertThrows(LaunchFailedException.class, () -> runtime.start(plan));
    assertSame(cause, e);

    LaunchPlan inside = given.get();
    String ip = inside.environment().get("MESOS_CONTAINER_IP");
    assertTrue(network.inSubnet(ip), String.valueOf(ip));
    assertEquals("0.0.0.0", inside.environment().get("LIBPROCESS_IP"));
    assertTrue(inside.entry().get(0).endsWith("/nsenter"), inside.entry().toString());
    String namespace = inside.entry().get(1).substring("--net=/run/netns/".length());
    assertEquals(plan.argv(), inside.argv(), "the task's own command, after the entry and the user switch");

    assertEquals(List.of(), network.leasedAddresses(), "the address was released");
    assertFalse(NetworkNamespace.named(namespace).exists(), "the namespace is gone");
    try (Stream<Path> records = Files.list(CniSettings.recordDirectory(sandbox))) {
      assertEquals(List.of(), records.toList(), "and its record");
    }
  }

  @Test
  void theNetworkIsJoinedAsTheTaskIsPreparedAndLeftWhenItIsAbandonedBeforeItsStart() throws Exception {
    AtomicReference<LaunchPlan> given = new AtomicReference<>();
    TaskRuntime failing = plan -> {
      given.set(plan);
      throw new LaunchFailedException("the process could not start");
    };
    CniRuntime runtime = CniRuntime.around(failing, settings, sandbox);
    LaunchPlan abandoned = plan("a");
    runtime.prepare(abandoned, line -> { });
    assertEquals(1, network.leasedAddresses().size(), "joined as it is prepared");
    runtime.abandon(abandoned); // killed before its start
    assertEquals(List.of(), network.leasedAddresses(), "left");
    try (Stream<Path> records = Files.list(CniSettings.recordDirectory(sandbox))) {
      assertEquals(List.of(), records.toList(), "no record");
    }

    LaunchPlan started = plan("s");
    runtime.prepare(started, line -> { });
    List<String> leased = network.leasedAddresses();
    assertThrows(LaunchFailedException.class, () -> runtime.start(started));
    assertEquals(List.of(given.get().environment().get("MESOS_CONTAINER_IP")), leased,
        "the start takes the network its preparation joined");
    assertEquals(List.of(), network.leasedAddresses());
    runtime.abandon(started); // the pipeline's undo after a failed start: nothing left to take back
  }

  @Test
  void aTaskWithAnImageOrWithoutNetworksIsPassedThroughUntouched() throws Exception {
    AtomicReference<LaunchPlan> given = new AtomicReference<>();
    TaskRuntime recording = plan -> {
      given.set(plan);
      throw new LaunchFailedException("recorded");
    };
    CniRuntime runtime = new CniRuntime(recording, Optional.empty(), "not configured");
    LaunchPlan plain = LaunchPlans.forCommandTask(TaskInfo.newBuilder().setName("p")
        .setTaskId(TaskID.newBuilder().setValue("p")).setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder()
            .setValue("a")).setCommand(CommandInfo.newBuilder().setValue("true")).build(),
        new LaunchPlans.Context(Optional.empty(), Optional.empty(), sandbox));
    assertThrows(LaunchFailedException.class, () -> runtime.start(plain));
    assertSame(plain, given.get());
    runtime.check(plain); // nothing to check
    LaunchFailedException e = assertThrows(LaunchFailedException.class, () -> runtime.check(plan("n")));
    assertEquals("The task asks for CNI network 'sme-cni-runtime', but this executor has no CNI configuration"
        + " (not configured)", e.getMessage());
  }

  private int uncheckedLeases() {
    try {
      return network.leasedAddresses().size();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
