package io.github.sparkmesos.executor.cli;

import io.github.sparkmesos.executor.Executor;
import io.github.sparkmesos.executor.Warmup;
import io.github.sparkmesos.executor.harness.Harness;
import io.github.sparkmesos.executor.harness.HarnessOptions;
import io.github.sparkmesos.executor.mesos.AgentConnection;
import io.github.sparkmesos.executor.mesos.AgentEnvironment;
import io.github.sparkmesos.executor.mesos.WireFormat;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.fetcher.Fetcher;
import io.github.sparkmesos.fetcher.FetcherOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code spark-mesos-executor [executor|harness|fetch] ...}: the ways in. The demo and the benchmarks are
 * the tools module's (io.github.sparkmesos.tools.ToolsMain), which hands every other mode to this class.
 */
public final class Main {

  /** json or protobuf: what the executor speaks to the agent (protobuf by default). */
  public static final String CONTENT_TYPE_VARIABLE = "SPARK_MESOS_EXECUTOR_CONTENT_TYPE";

  private static final String USAGE = """
      usage: spark-mesos-executor [executor] [--content-type json|protobuf]
                                  run as a Mesos executor (the agent sets MESOS_* in the environment)
             spark-mesos-executor harness TASK.json [options]
                                  play a Mesos agent on loopback and run the executor under it
             spark-mesos-executor fetch [--sandbox DIR] [--cache DIR] [--sha256 HEX] URI...
                                  run the fetcher alone, to debug a URI
             spark-mesos-executor help
      bin/spark-mesos-executor also runs the tools: demo, spark-dist, bench-fetch, bench-launch""";

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args)));
  }

  static int run(List<String> args) {
    String mode = args.isEmpty() || args.get(0).startsWith("--") ? "executor" : args.get(0);
    List<String> rest = args.isEmpty() || args.get(0).startsWith("--") ? args : args.subList(1, args.size());
    try {
      return switch (mode) {
        case "executor" -> executor(rest, System.getenv());
        case "harness" -> harness(rest);
        case "fetch" -> {
          Log.component("fetch");
          yield io.github.sparkmesos.fetcher.cli.FetchCommand.run(rest, System.out, System.err);
        }
        case "help", "-h", "--help" -> {
          System.out.println(USAGE + "\n\n" + HarnessOptions.USAGE);
          yield 0;
        }
        default -> {
          System.err.println("unknown mode '" + mode + "'\n" + USAGE);
          yield 2;
        }
      };
    } catch (IllegalArgumentException e) {
      Log.error(e.getMessage());
      return 2;
    }
  }

  static int executor(List<String> args, Map<String, String> env) {
    Log.component("executor");
    WireFormat format = WireFormat.parse(Optional.ofNullable(env.get(CONTENT_TYPE_VARIABLE)).orElse("protobuf"));
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--content-type") && i + 1 < args.size()) {
        format = WireFormat.parse(args.get(++i));
      } else {
        throw new IllegalArgumentException("unknown executor option '" + args.get(i) + "'\n" + USAGE);
      }
    }
    // on a second core while the JVM sets up its first SUBSCRIBE: the first LAUNCH follows right after it
    Warmup.start(format);
    AgentEnvironment agentEnv = AgentEnvironment.from(env);
    AgentConnection agent = new AgentConnection(agentEnv, format);
    return new Executor(agentEnv, agent, env, new Fetcher(fetcherOptions(env), Main::runCommand)).run();
  }

  /** The fetcher's external commands (the hadoop CLI), through the one launcher and reaper of this JVM. */
  static io.github.sparkmesos.fetcher.CommandRunner.Result runCommand(List<String> argv, Map<String, String> env,
      java.nio.file.Path dir, java.time.Duration timeout) throws java.io.IOException, InterruptedException {
    io.github.sparkmesos.os.Command.Completed done = io.github.sparkmesos.os.Command.run(argv, env, dir, timeout);
    return new io.github.sparkmesos.fetcher.CommandRunner.Result(done.status().shellCode(), done.stderr());
  }

  /** The node's fetch cache directory (off when unset). */
  public static final String FETCH_CACHE_VARIABLE = "SPARK_MESOS_EXECUTOR_FETCH_CACHE";
  /** Its size bound, as Spark writes sizes (10g, 512m); 10g when unset. */
  public static final String FETCH_CACHE_MAX_VARIABLE = "SPARK_MESOS_EXECUTOR_FETCH_CACHE_MAX";

  static FetcherOptions fetcherOptions(Map<String, String> env) {
    FetcherOptions options = FetcherOptions.defaults();
    String cache = env.get(FETCH_CACHE_VARIABLE);
    if (cache != null && !cache.isBlank()) {
      options = options.withCacheDirectory(java.nio.file.Path.of(cache).toAbsolutePath());
    }
    String max = env.get(FETCH_CACHE_MAX_VARIABLE);
    if (max != null && !max.isBlank()) {
      try {
        long mib = new io.github.sparkmesos.executor.task.SparkConf(Map.of("max", max)).mebibytes("max", 10240);
        options = options.withCacheMaxBytes(Math.max(1, mib) << 20);
      } catch (io.github.sparkmesos.executor.task.InvalidTaskException e) {
        throw new IllegalArgumentException(FETCH_CACHE_MAX_VARIABLE + ": '" + max
            + "' is not a size such as 10g or 512m");
      }
    }
    return options;
  }

  static int harness(List<String> args) throws java.io.UncheckedIOException {
    Log.component("harness");
    if (args.isEmpty() || args.contains("--help")) {
      System.out.println(HarnessOptions.USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    HarnessOptions options = HarnessOptions.parse(args);
    try {
      Harness.Result result = Harness.run(options, System.out);
      if (result.exitCode() == 0) {
        Log.info("every task ended and the executor exited; sandbox " + result.sandbox());
      }
      return result.exitCode();
    } catch (java.io.IOException e) {
      Log.error(e.toString());
      return 1;
    }
  }
}
