package io.github.sparkmesos.tools.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.ContainerLifecycle;
import io.github.sparkmesos.docker.DockerEngine;
import io.github.sparkmesos.executor.harness.Harness;
import io.github.sparkmesos.executor.harness.HarnessRun;
import io.github.sparkmesos.executor.runtime.DockerRuntime;
import io.github.sparkmesos.tools.demo.Demo;
import io.github.sparkmesos.tools.demo.SparkDriver;
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
 * A real Spark 3.5.9 executor in a container: the executor fetches the Spark tarball (served on
 * loopback) into the task's sandbox, then runs Spark's command in the base image (a JRE 17, its own
 * JAVA_HOME) with the sandbox mounted at /mnt/mesos/sandbox and the host's network, so the
 * CoarseGrainedExecutorBackend registers with the driver on 127.0.0.1 and computes Pi.
 */
class SparkInDockerTest {

  private static ServedSpark spark;
  private static SparkDriver.Layout layout;
  private static String executorUri;
  private static String image;
  private static String engineHost;

  @BeforeAll
  static void distributionAndImage() throws Exception {
    spark = ServedSpark.start();
    layout = spark.layout;
    executorUri = spark.executorUri;
    engineHost = BaseImage.engine();
    image = BaseImage.ensure(spark.home, spark.home.resolve("build/images"));
  }

  @AfterAll
  static void stopServer() {
    if (spark != null) {
      spark.close();
    }
  }

  @Test
  void aSparkExecutorInAContainerRegistersWithTheDriverOnTheHostAndComputesPi(@TempDir Path dir) throws Exception {
    try (SparkDriver driver = SparkDriver.start(layout, dir.resolve("driver"), List.of("--partitions", "100"),
        Duration.ofMinutes(3))) {
      Map<String, Object> conf = new LinkedHashMap<>();
      conf.put("spark.executor.uri", executorUri);
      conf.put("spark.executor.memory", "512m");
      conf.put("spark.mesos.executor.docker.image", image); // host network: the default
      HarnessRun.Run run = HarnessRun.run(dir, Demo.taskInfoJson("1", conf, driver.driverUrl(), driver.appId()));

      assertEquals(List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED),
          run.result().states("1").stream().distinct().toList(), run.stdout().toString());
      assertTrue(run.result().updates().stream().anyMatch(u -> u.state() == TaskState.TASK_RUNNING
          && u.message().startsWith("Command started as container sme-")), run.stdout().toString());
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
    }
  }
}
