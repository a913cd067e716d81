package io.github.sparkmesos.executor;

import io.github.sparkmesos.executor.mesos.AgentConnection;
import io.github.sparkmesos.executor.mesos.AgentEnvironment;
import io.github.sparkmesos.executor.mesos.CommandExecutorFlags;
import io.github.sparkmesos.executor.mesos.DockerExecutorFlags;
import io.github.sparkmesos.executor.mesos.WireFormat;
import io.github.sparkmesos.executor.task.InvalidTaskException;
import io.github.sparkmesos.executor.task.SparkConf;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.fetcher.CommandRunner;
import io.github.sparkmesos.fetcher.Fetcher;
import io.github.sparkmesos.fetcher.FetcherOptions;
import io.github.sparkmesos.os.Command;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The executor's way in, as a Mesos agent (or the harness) starts it: {@code [--content-type
 * json|protobuf]} and the agent's environment; started as the agent's command executor
 * ({@code <launcher_dir>/mesos-executor}), the agent's flags for it too ({@link CommandExecutorFlags}). Its own main class, so that the harness can start it
 * without the CLI, which itself runs the harness.
 */
public final class ExecutorMain {

  /** json or protobuf: what the executor speaks to the agent (protobuf by default). */
  public static final String CONTENT_TYPE_VARIABLE = "SPARK_MESOS_EXECUTOR_CONTENT_TYPE";
  /** The node's fetch cache directory (off when unset). */
  public static final String FETCH_CACHE_VARIABLE = "SPARK_MESOS_EXECUTOR_FETCH_CACHE";
  /** Its size bound, as Spark writes sizes (10g, 512m); 10g when unset. */
  public static final String FETCH_CACHE_MAX_VARIABLE = "SPARK_MESOS_EXECUTOR_FETCH_CACHE_MAX";
  public static final String USAGE = "spark-mesos-executor [executor] [--content-type json|protobuf]"
      + " [--launcher_dir=DIR and the other flags an agent gives mesos-executor: --"
      + String.join(", --", CommandExecutorFlags.NAMES) + "; or, as mesos-docker-executor, --"
      + String.join(", --", DockerExecutorFlags.NAMES) + "]";

  private ExecutorMain() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(Arrays.asList(args), System.getenv());
    } catch (IllegalArgumentException e) {
      Log.error(e.getMessage());
      code = 2;
    }
    System.exit(code);
  }

  /** Runs the executor to its end; returns its exit code. */
  public static int run(List<String> args, Map<String, String> env) {
    Log.component("executor");
    WireFormat format = WireFormat.parse(Optional.ofNullable(env.get(CONTENT_TYPE_VARIABLE)).orElse("protobuf"));
    List<String> own = new java.util.ArrayList<>();
    // the agent's Docker containerizer names the container; its command executor gets --launcher_dir alone
    Optional<DockerExecutorFlags> docker = DockerExecutorFlags.given(args)
        ? Optional.of(DockerExecutorFlags.parse(args, own)) : Optional.empty();
    CommandExecutorFlags flags = docker.isPresent() ? CommandExecutorFlags.NONE
        : CommandExecutorFlags.parse(args, own);
    for (int i = 0; i < own.size(); i++) {
      if (own.get(i).equals("--content-type") && i + 1 < own.size()) {
        format = WireFormat.parse(own.get(++i));
      } else {
        throw new IllegalArgumentException("unknown executor option '" + own.get(i) + "'; usage: " + USAGE);
      }
    }
    docker.ifPresent(d -> Log.info("started as the agent's Docker executor for container " + d.container()));
    if (flags.commandExecutor()) {
      Log.info("started as the agent's command executor (launcher dir "
          + flags.launcherDir().map(Object::toString).orElse("not given") + ")"
          + ("0".equals(env.get("MESOS_HTTP_COMMAND_EXECUTOR"))
              ? "; MESOS_HTTP_COMMAND_EXECUTOR=0 asks for the v0 driver API: speaking the v1 HTTP API, which the"
                  + " agent accepts from any executor" : ""));
    }
    // on a second core while the JVM sets up its first SUBSCRIBE: the first LAUNCH follows right after it
    Warmup.start(format);
    AgentEnvironment agentEnv = AgentEnvironment.from(env);
    AgentConnection agent = new AgentConnection(agentEnv, format);
    return new Executor(agentEnv, agent, env, fetcher(env), new SystemTimers(), flags, docker).run();
  }

  /** The fetcher of an executor with this environment: its node cache, and its commands run by our launcher. */
  public static Fetcher fetcher(Map<String, String> env) {
    return new Fetcher(fetcherOptions(env), ExecutorMain::runCommand);
  }

  /** The fetcher's external commands (the hadoop CLI), through the one launcher and reaper of this JVM. */
  static CommandRunner.Result runCommand(List<String> argv, Map<String, String> env, Path dir, Duration timeout)
      throws IOException, InterruptedException {
    Command.Completed done = Command.run(argv, env, dir, timeout);
    return new CommandRunner.Result(done.status().shellCode(), done.stderr());
  }

  static FetcherOptions fetcherOptions(Map<String, String> env) {
    FetcherOptions options = FetcherOptions.defaults();
    String cache = env.get(FETCH_CACHE_VARIABLE);
    if (cache != null && !cache.isBlank()) {
      options = options.withCacheDirectory(Path.of(cache).toAbsolutePath());
    }
    String max = env.get(FETCH_CACHE_MAX_VARIABLE);
    if (max != null && !max.isBlank()) {
      try {
        long mib = new SparkConf(Map.of("max", max)).mebibytes("max", 10240);
        options = options.withCacheMaxBytes(Math.max(1, mib) << 20);
      } catch (InvalidTaskException e) {
        throw new IllegalArgumentException(FETCH_CACHE_MAX_VARIABLE + ": '" + max
            + "' is not a size such as 10g or 512m");
      }
    }
    return options;
  }
}
