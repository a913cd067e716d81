package io.github.sparkmesos.tools.demo;

import io.github.sparkmesos.executor.task.JavaModuleOptions;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ExitStatus;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import io.github.sparkmesos.os.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark 3.5.9 driver in its own JVM (spark-testkit's PiDriver, master "external-executors"):
 * it accepts any CoarseGrainedExecutorBackend that registers, computes Pi on it, and stops.
 */
public final class SparkDriver implements AutoCloseable {

  /** PiDriver's spark.app.name. */
  public static final String APP_NAME = "spark-mesos-executor-pi";

  /** Where the testkit's Spark jars and driver classes are in a built checkout. */
  public record Layout(Path sparkJars, Path driverClasses) {
    public static Layout of(Path projectHome) {
      return new Layout(projectHome.resolve("spark-testkit/target/spark-jars"),
          projectHome.resolve("spark-testkit/target/classes"));
    }

    public boolean built() {
      return Files.isDirectory(sparkJars) && Files.isRegularFile(
          driverClasses.resolve("io/github/sparkmesos/testkit/PiDriver.class"));
    }
  }

  private final ChildProcess process;
  private final Path output;
  private final String driverUrl;
  private final String appId;

  private SparkDriver(ChildProcess process, Path output, String driverUrl, String appId) {
    this.process = process;
    this.output = output;
    this.driverUrl = driverUrl;
    this.appId = appId;
  }

  /** Starts the driver and returns once its SparkContext is up (or fails if it never comes up). */
  public static SparkDriver start(Layout layout, Path workDir, List<String> driverArgs, Duration startTimeout)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Path info = workDir.resolve("driver.info");
    Files.deleteIfExists(info);
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(JavaModuleOptions.OPTIONS);
    argv.addAll(List.of("-Xmx768m", "-XX:+UseSerialGC", "-cp",
        layout.sparkJars() + "/*:" + layout.driverClasses(), "io.github.sparkmesos.testkit.PiDriver",
        "--info-file", info.toString()));
    argv.addAll(driverArgs);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    int host = driverArgs.indexOf("--host");
    env.put("SPARK_LOCAL_IP", host >= 0 && host + 1 < driverArgs.size() ? driverArgs.get(host + 1) : "127.0.0.1");
    System.getenv().forEach((k, v) -> {
      if (k.equals("JAVA_HOME") || k.equals("HOME") || k.equals("LANG")) {
        env.put(k, v);
      }
    });
    Path output = workDir.resolve("driver.out");
    ChildProcess process = ProcessLauncher.spawn(new ProcessSpec(argv, env, workDir, output,
        workDir.resolve("driver.log")));
    // the driver writes its info file atomically once its SparkContext is up
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (!Files.exists(info)) {
      if (process.onExit().isDone()) {
        throw new IOException("the Spark driver exited (" + process.onExit().join().describe() + ") before it was up; "
            + "see " + workDir.resolve("driver.log"));
      }
      if (System.nanoTime() > deadline) {
        process.signalGroup(Signal.SIGKILL);
        throw new IOException("the Spark driver was not up within " + startTimeout.toSeconds() + "s; see "
            + workDir.resolve("driver.log"));
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    Properties p = new Properties();
    try (var in = Files.newInputStream(info)) {
      p.load(in);
    }
    return new SparkDriver(process, output, p.getProperty("driverUrl"), p.getProperty("appId"));
  }

  public String driverUrl() {
    return driverUrl;
  }

  public String appId() {
    return appId;
  }

  public ChildProcess process() {
    return process;
  }

  /** What the driver printed on stdout (DRIVER_READY, EXECUTOR_ADDED, PI_RESULT, Pi is roughly, DRIVER_DONE). */
  public List<String> output() throws IOException {
    return Files.exists(output) ? Files.readAllLines(output) : List.of();
  }

  public ExitStatus awaitExit(Duration timeout) throws Exception {
    return process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The Pi the driver computed, if it printed one. */
  public java.util.OptionalDouble pi() throws IOException {
    for (String line : output()) {
      if (line.startsWith("Pi is roughly ")) {
        return java.util.OptionalDouble.of(Double.parseDouble(line.substring("Pi is roughly ".length()).trim()));
      }
    }
    return java.util.OptionalDouble.empty();
  }

  @Override
  public void close() {
    if (!process.onExit().isDone()) {
      process.kill(Duration.ofSeconds(5));
    }
  }
}
