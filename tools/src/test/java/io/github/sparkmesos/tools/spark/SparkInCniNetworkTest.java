package io.github.sparkmesos.tools.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.executor.harness.HarnessRun;
import io.github.sparkmesos.executor.runtime.CniSettings;
import io.github.sparkmesos.os.Command;
import io.github.sparkmesos.testing.CniTestNetwork;
import io.github.sparkmesos.tools.demo.Demo;
import io.github.sparkmesos.tools.demo.SparkDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark 3.5.9 executor started by the executor in a CNI network of the test's own (Debian's bridge
 * and host-local plugins, 10.231.80.0/24): it registers with a real driver bound to the host's address on
 * the bridge, from its own address, and runs the job; its address is released at its end.
 */
class SparkInCniNetworkTest {

  private static final Map<String, String> PATH = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");

  private static ServedSpark spark;
  private static SparkDriver.Layout layout;
  private static String executorUri;

  @TempDir Path dir;
  private CniTestNetwork network;

  @BeforeAll
  static void distribution() throws Exception {
    CniTestNetwork.requireRootAndPlugins();
    spark = ServedSpark.start();
    layout = spark.layout;
    executorUri = spark.executorUri;
  }

  @AfterAll
  static void stopServer() {
    if (spark != null) {
      spark.close();
    }
  }

  @AfterEach
  void removeBridge() throws Exception {
    if (network != null) {
      network.removeBridge(argv -> Command.run(argv, PATH, dir, Duration.ofSeconds(30)));
    }
  }

  @Test
  void aSparkExecutorInItsOwnNetworkRegistersWithTheDriverFromItsAddressAndRunsTheJob() throws Exception {
    network = new CniTestNetwork(dir.resolve("net"), "sme-cni-spark", "smecni80", 80);
    network.createBridge(argv -> {
      Command.Completed done = Command.run(argv, PATH, dir, Duration.ofSeconds(30));
      assertTrue(done.status().isSuccess(), argv + ": " + done.stderr());
    });
    try (SparkDriver driver = SparkDriver.start(layout, dir.resolve("driver"), List.of("--partitions", "20",
        "--host", network.gateway()), Duration.ofMinutes(3))) {
      assertTrue(driver.driverUrl().contains("@" + network.gateway() + ":"), driver.driverUrl());
      Map<String, Object> conf = new LinkedHashMap<>();
      conf.put("spark.executor.uri", executorUri);
      conf.put("spark.executor.memory", "512m");
      conf.put("spark.mesos.network.name", "sme-cni-spark");
      conf.put("spark.mesos.network.labels", "app:pi");
      // the document says hostname 127.0.0.1, as Demo writes it; in the network it is the task's address
      HarnessRun.Run run = HarnessRun.run(dir, Demo.taskInfoJson("1", conf, driver.driverUrl(), driver.appId()),
          "--env", CniSettings.CONFIG_DIR + "=" + network.configDirectory(),
          "--env", CniSettings.PLUGIN_DIR + "=" + network.pluginPath());
      assertEquals(List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED),
          run.result().states("1").stream().distinct().toList(), run.stdout().toString());
      assertEquals(0, run.result().exitCode(), run.result().problems() + " " + run.result().violations());
      assertTrue(driver.awaitExit(Duration.ofMinutes(2)).isSuccess(), driver.output().toString());
      double pi = driver.pi().orElseThrow();
      assertTrue(Math.abs(pi - Math.PI) < 0.01, "pi = " + pi);
      List<String> output = driver.output();
      String added = output.stream().filter(l -> l.startsWith("EXECUTOR_ADDED id=1 ")).findFirst()
          .orElseThrow(() -> new AssertionError(output.toString()));
      String host = added.substring(added.indexOf("host=") + "host=".length()).strip();
      assertTrue(network.inSubnet(host), "the executor registered from its own address: " + added);
      String result = output.stream().filter(l -> l.startsWith("PI_RESULT")).findFirst().orElseThrow();
      assertTrue(result.contains("ranOn=1/"), "every task ran on executor 1: " + result);
      assertEquals(List.of(), network.leasedAddresses(), "its address was released at its end");
      assertTrue(network.recordedStdin("ADD").contains("{\"key\":\"app\",\"value\":\"pi\"}"),
          network.recordedStdin("ADD"));
    }
  }
}
