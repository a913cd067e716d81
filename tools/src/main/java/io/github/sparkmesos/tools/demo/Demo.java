package io.github.sparkmesos.tools.demo;

import com.google.gson.Gson;
import io.github.sparkmesos.executor.harness.Harness;
import io.github.sparkmesos.executor.harness.HarnessOptions;
import io.github.sparkmesos.executor.harness.TaskFile;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.os.ExitStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The main job: builds (once) a Spark 3.5.9 distribution from Maven Central jars, serves it on
 * loopback, starts a real Spark driver, and runs the executor under the harness with a TaskInfo whose
 * spark.executor.uri points at the served tarball. The driver computes Pi on that executor. With
 * {@code --command-task} the TaskInfo is the command task Spark's own Mesos backend sends
 * ({@link SparkCommandTask}), which the harness runs as an agent runs it: the executor as its command
 * executor.
 */
public final class Demo {

  private Demo() {}

  public static final String USAGE = "spark-mesos-executor demo [--command-task]";

  public static int run(List<String> args) {
    Log.component("demo");
    boolean commandTask = false;
    for (String a : args) {
      if (!a.equals("--command-task")) {
        throw new IllegalArgumentException("unknown demo option '" + a + "'; usage: " + USAGE);
      }
      commandTask = true;
    }
    Path home = Path.of(System.getProperty("sme.home", ".")).toAbsolutePath().normalize();
    SparkDriver.Layout layout = SparkDriver.Layout.of(home);
    if (!layout.built()) {
      Log.error("the Spark jars and the driver are not built under " + home
          + "/spark-testkit/target: run ./mvnw -DskipTests package (bin/spark-mesos-executor does it)");
      return 1;
    }
    Path work = home.resolve("build/demo").resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern(
        "yyyyMMdd-HHmmss")));
    try {
      Path tarball = SparkDistribution.ensureTarball(layout.sparkJars(), home.resolve("build/spark"));
      Log.info("Spark distribution: " + tarball + " (" + Files.size(tarball) / (1 << 20) + " MiB)");
      try (FileServer server = new FileServer(tarball.getParent());
          SparkDriver driver = SparkDriver.start(layout, work.resolve("driver"), List.of("--partitions", "200"),
              Duration.ofMinutes(3))) {
        String uri = server.url(tarball.getFileName().toString());
        Log.info("serving it at " + uri + "; Spark driver up at " + driver.driverUrl() + " (" + driver.appId() + ")");
        Path taskFile = work.resolve("task.json");
        Files.writeString(taskFile, commandTask ? sparkCommandTask("1", uri, driver).json()
            : taskInfoJson("1", uri, driver.driverUrl(), driver.appId()));
        Log.info("running the executor under the harness with " + taskFile);
        HarnessOptions options = HarnessOptions.parse(List.of(taskFile.toString(), "--sandbox",
            work.resolve("sandbox").toString(), "--timeout", "5mins"));
        Harness.Result result = Harness.run(options, System.out);
        ExitStatus driverExit = driver.awaitExit(Duration.ofMinutes(2));
        for (String line : driver.output()) {
          if (line.startsWith("PI_RESULT") || line.startsWith("Pi is roughly")) {
            System.out.println(line);
          }
        }
        OptionalDouble pi = driver.pi();
        boolean ok = result.exitCode() == 0 && driverExit.isSuccess() && pi.isPresent()
            && Math.abs(pi.getAsDouble() - Math.PI) < 0.01;
        Log.info((ok ? "demo passed" : "demo FAILED") + ": harness exit " + result.exitCode() + ", driver "
            + driverExit.describe() + "; logs in " + work);
        return ok ? 0 : 1;
      }
    } catch (Exception e) {
      Log.error("demo failed: " + e + "; logs in " + work);
      return 1;
    }
  }

  /**
   * Executor {@code taskId} as Spark's Mesos backend sends it to an agent: 1 core, 512 MiB of heap,
   * the driver's application id as the framework id, the harness's agent as the offer's host.
   */
  public static SparkCommandTask sparkCommandTask(String taskId, String executorUri, SparkDriver driver) {
    return new SparkCommandTask(SparkDriver.APP_NAME, taskId, Harness.AGENT_ID, executorUri, false,
        driver.driverUrl(), driver.appId(), Harness.AGENT_HOSTNAME, 1, 512, System.getProperty("user.name"));
  }

  /** A TaskInfo as Spark's Mesos backend would send it to this executor (Mesos v1 JSON). */
  public static String taskInfoJson(String taskId, String executorUri, String driverUrl, String appId) {
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("spark.executor.uri", executorUri);
    conf.put("spark.executor.memory", "512m");
    return taskInfoJson(taskId, conf, driverUrl, appId);
  }

  public static String taskInfoJson(String taskId, Map<String, Object> conf, String driverUrl, String appId) {
    Map<String, Object> backend = new LinkedHashMap<>();
    backend.put("driverUrl", driverUrl);
    backend.put("executorId", taskId);
    backend.put("appId", appId);
    backend.put("cores", 1);
    backend.put("hostname", "127.0.0.1");
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("version", 1);
    document.put("conf", conf);
    document.put("backend", backend);
    return TaskFile.taskInfoJson(taskId, new Gson().toJson(document).getBytes(StandardCharsets.UTF_8));
  }
}
