package io.github.sparkmesos.tools.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import io.github.sparkmesos.executor.harness.Harness;
import io.github.sparkmesos.executor.harness.HarnessRun;
import io.github.sparkmesos.executor.harness.TaskFile;
import io.github.sparkmesos.executor.task.InvalidTaskException;
import io.github.sparkmesos.executor.task.SparkLaunch;
import io.github.sparkmesos.executor.task.SparkTaskDocument;
import io.github.sparkmesos.tools.demo.Demo;
import io.github.sparkmesos.tools.demo.SparkDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark 3.5.9 driver, and a real CoarseGrainedExecutorBackend fetched as a tarball over HTTP
 * and started by the executor under the harness.
 */
class SparkEndToEndTest {

  private static ServedSpark spark;
  private static SparkDriver.Layout layout;
  private static String executorUri;
  private static String tarballSha256;

  @BeforeAll
  static void distribution() throws Exception {
    spark = ServedSpark.start();
    layout = spark.layout;
    executorUri = spark.executorUri;
    Path tarball = spark.tarball;
    java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
    try (var in = new java.security.DigestInputStream(Files.newInputStream(tarball), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    tarballSha256 = java.util.HexFormat.of().formatHex(digest.digest());
  }

  @AfterAll
  static void stopServer() {
    if (spark != null) {
      spark.close();
    }
  }

  /** The driver ended well, with Pi, every Spark task run by executor 1. */
  private static void assertPiComputedOnExecutor1(SparkDriver driver) throws Exception {
    assertTrue(driver.awaitExit(Duration.ofMinutes(2)).isSuccess(), driver.output().toString());
    double pi = driver.pi().orElseThrow();
    assertTrue(Math.abs(pi - Math.PI) < 0.01, "pi = " + pi);
    String result = driver.output().stream().filter(l -> l.startsWith("PI_RESULT")).findFirst().orElseThrow();
    assertTrue(result.contains("ranOn=1/"), "every task ran on executor 1: " + result);
  }

  /**
   * Task 2 of {@code taskJson} runs under the harness until the driver's job is done (the driver holds
   * until {@code hold} exists), then is killed with a 2 s grace: TASK_KILLED, nothing of it left.
   */
  private static void killMidJobEndsEverything(Path dir, SparkDriver driver, Path hold, String taskJson)
      throws Exception {
    Harness harness = HarnessRun.start(dir, taskJson, "--kill-grace", "2secs");
    awaitLine(driver, dir.resolve("driver"), "PI_RESULT");
    harness.kill("2");
    HarnessRun.Run run = HarnessRun.finish(harness);
    assertEquals(TaskState.TASK_KILLED, run.result().terminal("2").state(), run.stdout().toString());
    assertEquals(List.of(), run.result().violations(), "no process of the task outlived it");
    assertEquals(0, run.result().exitCode(), run.result().problems().toString());
    Files.createFile(hold);
    assertTrue(driver.awaitExit(Duration.ofMinutes(2)).isSuccess());
  }

  @Test
  void theJobRunsOnTheExecutorAndTheDriverStopGivesTaskFinished(@TempDir Path dir) throws Exception {
    try (SparkDriver driver = SparkDriver.start(layout, dir.resolve("driver"), List.of("--partitions", "100"),
        Duration.ofMinutes(3))) {
      HarnessRun.Run run = HarnessRun.run(dir, Demo.taskInfoJson("1", executorUri, driver.driverUrl(),
          driver.appId()));
      // TASK_STARTING repeats while the tarball is fetched, with progress in its message
      assertEquals(List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED),
          run.result().states("1").stream().distinct().toList(), run.stdout().toString());
      assertTrue(run.result().updates().stream().anyMatch(u -> u.state() == TaskState.TASK_STARTING
          && u.message().startsWith("Fetched " + executorUri)), run.stdout().toString());
      assertEquals(0, run.result().exitCode(), run.result().problems() + " " + run.result().violations());
      assertPiComputedOnExecutor1(driver);
      // Spark's scratch space went to the task's sandbox (MESOS_SANDBOX) and was removed at exit
      assertTrue(Files.isDirectory(dir.resolve("sandbox/tasks/1/spark-3.5.9-bin-sme")));
    }
  }

  @Test
  void killEndsEveryProcessOfTheTaskIncludingJavaUnderShAndATermIgnoringGrandchild(@TempDir Path dir)
      throws Exception {
    Path hold = dir.resolve("hold");
    try (SparkDriver driver = SparkDriver.start(layout, dir.resolve("driver"), List.of("--partitions", "20",
        "--hold-file", hold.toString()), Duration.ofMinutes(3))) {
      Map<String, Object> conf = new LinkedHashMap<>();
      conf.put("spark.executor.uri", executorUri);
      conf.put("spark.executor.memory", "512m");
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("conf", conf);
      doc.put("backend", Map.of("driverUrl", driver.driverUrl(), "executorId", "2", "appId", driver.appId(),
          "cores", 1, "hostname", "127.0.0.1"));
      // the command Spark would run, beside a grandchild that ignores SIGTERM
      doc.put("command", "sh -c \"trap '' TERM; exec sleep 1000\" & " + sparkCommand(doc));
      killMidJobEndsEverything(dir, driver, hold, TaskFile.taskInfoJson("2",
          new Gson().toJson(doc).getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void sparksOwnCommandTaskComputesPiUnderTheExecutorAsTheAgentsCommandExecutor(@TempDir Path dir) throws Exception {
    try (SparkDriver driver = SparkDriver.start(layout, dir.resolve("driver"), List.of("--partitions", "100"),
        Duration.ofMinutes(3))) {
      HarnessRun.Run run = HarnessRun.run(dir, Demo.sparkCommandTask("1", executorUri, driver).json());
      assertEquals(List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED),
          run.result().states("1"), run.stdout().toString());
      assertEquals("Command exited with status 0", run.result().terminal("1").message());
      assertEquals(0, run.result().exitCode(), run.result().problems() + " " + run.result().violations());
      assertPiComputedOnExecutor1(driver);
      // the agent fetched and extracted the tarball into the sandbox, where `cd spark-3*` found it
      assertTrue(Files.isDirectory(dir.resolve("sandbox/spark-3.5.9-bin-sme")));
    }
  }

  @Test
  void killOfSparksCommandTaskEndsItTaskKilledWithNothingLeft(@TempDir Path dir) throws Exception {
    Path hold = dir.resolve("hold");
    try (SparkDriver driver = SparkDriver.start(layout, dir.resolve("driver"), List.of("--partitions", "20",
        "--hold-file", hold.toString()), Duration.ofMinutes(3))) {
      killMidJobEndsEverything(dir, driver, hold, Demo.sparkCommandTask("2", executorUri, driver).json());
    }
  }

  @Test
  void aCommandExitingThreeIsTaskFailedWithThreeInItsMessage(@TempDir Path dir) throws Exception {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("conf", Map.of("spark.executor.uri", executorUri));
    doc.put("backend", HarnessRun.backend("3"));
    doc.put("command", "cd spark-3*/bin && test -x spark-class && exit 3");
    HarnessRun.Run run = HarnessRun.run(dir, TaskFile.taskInfoJson("3",
        new Gson().toJson(doc).getBytes(StandardCharsets.UTF_8)));
    Harness.Update last = run.result().terminal("3");
    assertEquals(TaskState.TASK_FAILED, last.state());
    assertTrue(last.message().contains("exited with status 3"), last.message());
    assertEquals(0, run.result().exitCode(), run.result().problems().toString());
  }

  @Test
  void aChecksumMismatchFailsTheLaunchWithBothSums(@TempDir Path dir) throws Exception {
    String wrong = "0".repeat(64);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("conf", Map.of("spark.executor.uri", executorUri + "#sha256=" + wrong));
    doc.put("backend", HarnessRun.backend("c"));
    HarnessRun.Run run = HarnessRun.run(dir, TaskFile.taskInfoJson("c",
        new Gson().toJson(doc).getBytes(StandardCharsets.UTF_8)));
    Harness.Update last = run.result().terminal("c");
    assertEquals(TaskState.TASK_FAILED, last.state());
    assertEquals("REASON_CONTAINER_LAUNCH_FAILED", last.reason());
    assertTrue(last.message().contains("expected sha256 " + wrong) && last.message().contains("got " + tarballSha256),
        last.message());
    try (var files = Files.list(dir.resolve("sandbox/tasks/c"))) {
      assertEquals(List.of("stderr"), files.map(f -> f.getFileName().toString()).toList(),
          "nothing of the archive is left in the sandbox");
    }
  }

  @Test
  void theSecondTaskIsServedFromTheNodeCacheAndSaysSo(@TempDir Path dir) throws Exception {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("conf", Map.of("spark.executor.uri", executorUri + "#sha256=" + tarballSha256,
        "spark.mesos.fetcherCache.enable", "true"));
    doc.put("command", "test -x spark-3.5.9-bin-sme/bin/spark-class");
    for (String id : List.of("first", "second")) {
      doc.put("backend", HarnessRun.backend(id));
      HarnessRun.Run run = HarnessRun.run(dir.resolve(id), TaskFile.taskInfoJson(id,
          new Gson().toJson(doc).getBytes(StandardCharsets.UTF_8)), "--fetch-cache", dir.resolve("cache").toString());
      assertEquals(TaskState.TASK_FINISHED, run.result().terminal(id).state(), run.stdout().toString());
      List<String> starting = run.result().updates().stream().filter(u -> u.state() == TaskState.TASK_STARTING)
          .map(Harness.Update::message).toList();
      String fetched = starting.get(starting.size() - 1);
      assertTrue(fetched.contains("sha256 " + tarballSha256), fetched);
      assertTrue(fetched.contains(id.equals("first") ? "from source" : "from cache"), fetched);
    }
  }

  private static String sparkCommand(Map<String, Object> doc) throws InvalidTaskException {
    Map<String, Object> withoutCommand = new LinkedHashMap<>(doc);
    withoutCommand.remove("command");
    SparkTaskDocument parsed = SparkTaskDocument.parse(new Gson().toJson(withoutCommand)
        .getBytes(StandardCharsets.UTF_8));
    return new SparkLaunch(parsed, Optional.empty(), Optional.empty()).command();
  }

  /** Waits (at most three minutes) for the driver to print a line: each write to its output is an event. */
  private static void awaitLine(SparkDriver driver, Path driverDir, String prefix) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    try (java.nio.file.WatchService watch = java.nio.file.FileSystems.getDefault().newWatchService()) {
      driverDir.register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY);
      while (driver.output().stream().noneMatch(l -> l.startsWith(prefix))) {
        assertTrue(System.nanoTime() < deadline && !driver.process().onExit().isDone(),
            "the driver never printed " + prefix + ": " + driver.output());
        var key = watch.poll(1, TimeUnit.SECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    }
  }
}
