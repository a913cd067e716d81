package io.github.sparkmesos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.ContainerLifecycle;
import io.github.sparkmesos.docker.DockerEngine;
import io.github.sparkmesos.docker.EngineException;
import io.github.sparkmesos.executor.harness.Harness;
import io.github.sparkmesos.executor.harness.HarnessRun;
import io.github.sparkmesos.executor.runtime.DockerRuntime;
import io.github.sparkmesos.testing.Skips;
import io.github.sparkmesos.tools.demo.Demo;
import io.github.sparkmesos.tools.demo.SparkDriver;
import io.github.sparkmesos.tools.spark.ServedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark 3.5.9 executor in the executor's own image (spark-mesos-executor:&lt;version&gt;, from
 * images/executor-image.sh in pre-integration-test: a JRE 17, its own JAVA_HOME, the entrypoint as PID
 * 1): the executor fetches the Spark tarball (served on loopback) into the task's sandbox, then runs
 * Spark's command in that image with the sandbox mounted at /mnt/mesos/sandbox and the host's network,
 * so the CoarseGrainedExecutorBackend registers with the driver on 127.0.0.1 and computes Pi.
 */
class SparkInExecutorImageIT {

  static final String IMAGE = System.getProperty("executor.image");

  private static ServedSpark spark;
  private static String engineHost;

  @BeforeAll
  static void distributionAndImage() throws Exception {
    engineHost = DockerEngine.hostFrom(System.getenv());
    boolean socket = !engineHost.startsWith("unix://")
        || Files.exists(Path.of(engineHost.substring("unix://".length())));
    Skips.require(socket, "no Docker engine at " + engineHost + " (.ci/run starts one)");
    try (DockerEngine engine = DockerEngine.connect(engineHost)) {
      engine.version();
      Skips.require(engine.imageId(IMAGE).isPresent(),
          IMAGE + " is missing (images/executor-image.sh, in the distribution module's pre-integration-test)");
    } catch (EngineException e) {
      Skips.require(false, "no Docker engine answers at " + engineHost + " (.ci/run starts one): " + e.getMessage());
    }
    spark = ServedSpark.start();
  }

  @AfterAll
  static void stopServer() {
    if (spark != null) {
      spark.close();
    }
  }

  @Test
  void aSparkExecutorInTheExecutorsImageRegistersWithTheDriverOnTheHostAndComputesPi(@TempDir Path dir)
      throws Exception {
    long since = System.currentTimeMillis() / 1000 - 1;
    try (SparkDriver driver = SparkDriver.start(spark.layout, dir.resolve("driver"), List.of("--partitions", "100"),
        Duration.ofMinutes(3))) {
      Map<String, Object> conf = new LinkedHashMap<>();
      conf.put("spark.executor.uri", spark.executorUri);
      conf.put("spark.executor.memory", "512m");
      conf.put("spark.mesos.executor.docker.image", IMAGE); // host network: the default
      HarnessRun.Run run = HarnessRun.run(dir, Demo.taskInfoJson("1", conf, driver.driverUrl(), driver.appId()));

      assertEquals(List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED),
          run.result().states("1").stream().distinct().toList(), run.stdout().toString());
      String started = run.result().updates().stream().filter(u -> u.state() == TaskState.TASK_RUNNING)
          .map(u -> u.message()).filter(m -> m.startsWith("Command started as container sme-")).findFirst()
          .orElseThrow(() -> new AssertionError(run.stdout().toString()));
      String container = started.substring("Command started as container ".length()).split("[\\s,;:]", 2)[0];
      assertEquals(0, run.result().exitCode(), run.result().problems() + " " + run.result().violations());

      assertTrue(driver.awaitExit(Duration.ofMinutes(2)).isSuccess(), driver.output().toString());
      double pi = driver.pi().orElseThrow();
      assertTrue(Math.abs(pi - Math.PI) < 0.01, "pi = " + pi);
      String result = driver.output().stream().filter(l -> l.startsWith("PI_RESULT")).findFirst().orElseThrow();
      assertTrue(result.contains("ranOn=1/"), "every task ran on executor 1: " + result);

      Path task = dir.resolve("sandbox/tasks/1");
      assertTrue(Files.isDirectory(task.resolve("spark-3.5.9-bin-sme")), "fetched into the sandbox before the start");
      assertTrue(Files.readString(task.resolve("stderr")).contains("Successfully registered with driver"),
          "the executor's log, from the container, is in the task's stderr");
      try (DockerEngine engine = DockerEngine.connect(engineHost)) {
        assertEquals(List.of(), new ContainerLifecycle(engine).withLabels(Map.of(
            DockerRuntime.LABEL_FRAMEWORK, Harness.FRAMEWORK_ID, DockerRuntime.LABEL_TASK, "1")),
            "the container was removed at the task's end");
      }
      EntrypointImageIT.Result created = EntrypointImageIT.docker("events", "--since", Long.toString(since),
          "--until", Long.toString(System.currentTimeMillis() / 1000 + 1), "--filter", "type=container",
          "--filter", "event=create", "--filter", "container=" + container, "--format", "{{.From}}");
      assertEquals(0, created.exit(), created.err());
      assertEquals(List.of(IMAGE), created.out().lines().toList(),
          "the container " + container + " ran the executor's image");
    }
  }
}
