package io.github.sparkmesos.executor.cli;

import io.github.sparkmesos.executor.ExecutorMain;
import io.github.sparkmesos.executor.harness.Harness;
import io.github.sparkmesos.executor.harness.HarnessOptions;
import io.github.sparkmesos.executor.util.Log;
import java.util.Arrays;
import java.util.List;

/**
 * {@code spark-mesos-executor [executor|harness|check|fetch|entrypoint] ...}: the ways in. The demo and the benchmarks are
 * the tools module's (io.github.sparkmesos.tools.ToolsMain), which hands every other mode to this class.
 */
public final class Main {

  private static final String USAGE = """
      usage: spark-mesos-executor [executor] [--content-type json|protobuf]
                                  run as a Mesos executor (the agent sets MESOS_* in the environment)
             spark-mesos-executor harness TASK.json [options]
                                  play a Mesos agent on loopback and run the executor under it
             spark-mesos-executor check TASK.json [--command-executor] [--framework-user USER] [--sandbox DIR]
                                  print the launch plan the executor would carry out for each task (secrets
                                  masked), or exit 1 with the first task's error
             spark-mesos-executor fetch [--sandbox DIR] [--cache DIR] [--sha256 HEX] URI...
                                  run the fetcher alone, to debug a URI
             spark-mesos-executor entrypoint [--] CMD [ARGS...]
                                  a container's PID 1: runs CMD, forwards signals to it, reaps zombies,
                                  exits with CMD's code (128+N for signal N)
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
        case "executor" -> ExecutorMain.run(rest, System.getenv());
        case "harness" -> harness(rest);
        case "check" -> {
          Log.component("check");
          yield Check.run(rest, System.getenv(), System.out, System.err);
        }
        case "entrypoint" -> io.github.sparkmesos.executor.entrypoint.Entrypoint.run(rest, System.getenv(), System.err);
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
