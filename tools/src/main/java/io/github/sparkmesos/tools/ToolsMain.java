package io.github.sparkmesos.tools;

import io.github.sparkmesos.executor.cli.Main;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.tools.bench.FetchBenchmark;
import io.github.sparkmesos.tools.bench.LaunchBenchmark;
import io.github.sparkmesos.tools.bench.LogBenchmark;
import io.github.sparkmesos.tools.demo.Demo;
import io.github.sparkmesos.tools.demo.SparkDistribution;
import io.github.sparkmesos.tools.demo.SparkDriver;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code spark-mesos-executor demo|spark-dist|bench-fetch|bench-launch ...}: the tools that are not the
 * executor. Every other mode is the executor's own ({@link Main}).
 */
public final class ToolsMain {

  private static final String USAGE = """
      usage: spark-mesos-executor demo [--command-task]
                                  a real Spark driver computing Pi on an executor run by the harness
                                  (--command-task: sent as Spark's Mesos backend sends it, a command
                                  task that the harness runs as an agent runs its command executor)
             spark-mesos-executor spark-dist
                                  build (once) the Spark 3.5.9 distribution tarball; print its path
             spark-mesos-executor bench-fetch URL [--runs N]
                                  time the fetcher against curl | tar (see bench/fetch-benchmark.sh)
             spark-mesos-executor bench-launch [--runs N] [--work DIR]
                                  time the executor's launch path against baselines (bench/launch-benchmark.sh)
             spark-mesos-executor bench-logs [--runs N] [--bytes B] [--max-size B] [--max-files N] [--work DIR]
                                  time 1 GiB of stdout through log rotation against a file (bench/log-benchmark.sh)""";

  private static final List<String> MODES = List.of("demo", "spark-dist", "bench-fetch", "bench-launch",
      "bench-logs");

  private ToolsMain() {}

  public static void main(String[] args) {
    List<String> all = Arrays.asList(args);
    if (all.isEmpty() || !MODES.contains(all.get(0))) {
      Main.main(args);
      return;
    }
    System.exit(run(all.get(0), all.subList(1, all.size())));
  }

  static int run(String mode, List<String> args) {
    try {
      return switch (mode) {
        case "demo" -> Demo.run(args);
        case "spark-dist" -> sparkDist();
        case "bench-fetch" -> FetchBenchmark.run(args);
        case "bench-logs" -> LogBenchmark.run(args);
        default -> LaunchBenchmark.run(args);
      };
    } catch (IllegalArgumentException e) {
      Log.error(e.getMessage() + "\n" + USAGE);
      return 2;
    } catch (Exception e) {
      Log.error(e.toString());
      return 1;
    }
  }

  /** Prints the path of the demo's Spark distribution, built from the testkit's jars when missing. */
  static int sparkDist() throws java.io.IOException {
    Path home = Path.of(System.getProperty("sme.home", ".")).toAbsolutePath().normalize();
    System.out.println(SparkDistribution.ensureTarball(SparkDriver.Layout.of(home).sparkJars(),
        home.resolve("build/spark")));
    return 0;
  }
}
