package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.executor.runtime.CniSettings;
import io.github.sparkmesos.os.Command;
import io.github.sparkmesos.os.cni.NetworkNamespace;
import io.github.sparkmesos.testing.CniTestNetwork;
import io.github.sparkmesos.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real executor, killed with SIGKILL while its task is in a CNI network (Debian's plugins,
 * 10.231.79.0/24): the next executor started in the same sandbox releases the address and the namespace from
 * the record the first left there.
 */
class CniExecutorDeathTest {

  private static final Map<String, String> PATH = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");

  @TempDir Path dir;
  private CniTestNetwork network;

  @AfterEach
  void removeBridge() throws Exception {
    if (network != null) {
      network.removeBridge(argv -> Command.run(argv, PATH, dir, Duration.ofSeconds(30)));
    }
  }

  @Test
  void whatAnExecutorKilledWithSigkillLeftIsReleasedByTheNextOneInItsSandbox() throws Exception {
    CniTestNetwork.requireRootAndPlugins();
    network = new CniTestNetwork(dir.resolve("net"), "sme-cni-death", "smecni79", 79);
    String[] operator = {"--env", CniSettings.CONFIG_DIR + "=" + network.configDirectory(),
        "--env", CniSettings.PLUGIN_DIR + "=" + network.pluginPath()};
    Path run = dir.resolve("run");
    Path ready = dir.resolve("ready");
    Harness first = HarnessRun.start(run, TaskFile.commandTask("k", "touch " + ready + "; exec sleep 1000", Map.of("spark.mesos.network.name", "sme-cni-death")), operator);
    Waits.awaitFile(ready);
    assertEquals(1, network.leasedAddresses().size(), "the task has its address");
    Path records = CniSettings.recordDirectory(first.sandbox());
    List<Path> recorded = list(records);
    assertEquals(1, recorded.size(), "and its record in the sandbox");
    NetworkNamespace namespace = NetworkNamespace.named(recorded.get(0).getFileName().toString());
    assertTrue(namespace.exists());

    Command.Completed kill = Command.run(List.of("kill", "-KILL", Long.toString(first.executorPid())), PATH, dir,
        Duration.ofSeconds(30));
    assertTrue(kill.status().isSuccess(), kill.stderr());
    HarnessRun.Run killed = HarnessRun.finish(first);
    assertTrue(killed.result().terminal("k").state() != TaskState.TASK_RUNNING, killed.stdout().toString());
    assertEquals(1, network.leasedAddresses().size(), "a SIGKILL leaves no time to release anything");

    // the next executor in the same sandbox, with a task of no network
    HarnessRun.Run next = HarnessRun.run(run, TaskFile.commandTask("n", "true", Map.of()), operator);
    assertEquals(TaskState.TASK_FINISHED, next.result().terminal("n").state(), next.stdout().toString());
    assertEquals(List.of(), network.leasedAddresses(), "host-local's lease released by the next executor");
    assertFalse(namespace.exists(), "the namespace is gone");
    assertEquals(List.of(), list(records), "and the record");
    assertEquals("DEL", network.recordedEnvironment("DEL").get("CNI_COMMAND"));
    assertEquals(namespace.path().toString(), network.recordedEnvironment("DEL").get("CNI_NETNS"));
  }

  private static List<Path> list(Path directory) throws Exception {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(directory)) {
      return s.toList();
    }
  }
}
