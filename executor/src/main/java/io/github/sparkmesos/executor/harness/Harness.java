package io.github.sparkmesos.executor.harness;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.sparkmesos.docker.EngineException;
import io.github.sparkmesos.executor.ExecutorMain;
import io.github.sparkmesos.executor.mesos.Durations;
import io.github.sparkmesos.executor.mesos.TaskStates;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.executor.util.Shell;
import io.github.sparkmesos.fetcher.FetchException;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ExitStatus;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import io.github.sparkmesos.os.Signal;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;

/**
 * Plays one Mesos agent on loopback for one executor: serves the executor API ({@link AgentApi}),
 * starts the executor as a child with the environment an agent gives, plays the agent's side
 * ({@link Agent}) for the tasks of a {@link TaskFile}, and on request or on a schedule
 * ({@link Scenario}) kills, shuts down, or restarts. The {@link Result} holds every status update and
 * what went wrong ({@link Verdict}).
 */
public final class Harness {

  public static final String FRAMEWORK_ID = "harness-framework-0001";
  public static final String AGENT_ID = "harness-agent-S0";
  /** The agent's host name, which offers would carry. */
  public static final String AGENT_HOSTNAME = "localhost";
  /** Set in the executor's environment, so the harness can find every process of this run. */
  public static final String RUN_MARKER = "SPARK_MESOS_HARNESS_RUN";

  private static final Gson JSON_LINES = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

  /**
   * A status update as the harness received it; {@code healthy} and {@code checkStatus} only when the
   * update has them.
   */
  public record Update(String taskId, TaskState state, String reason, String message, String source, double timestamp,
      String uuid, Optional<Boolean> healthy, Optional<CheckStatusInfo> checkStatus) {

    public String json() {
      JsonObject o = new JsonObject();
      o.addProperty("task_id", taskId);
      o.addProperty("state", state.name());
      o.addProperty("reason", reason);
      o.addProperty("message", message);
      o.addProperty("source", source);
      o.addProperty("timestamp", timestamp);
      healthy.ifPresent(h -> o.addProperty("healthy", h));
      checkStatus.ifPresent(c -> o.add("check_status", JsonParser.parseString(StoutJson.print(c))));
      return JSON_LINES.toJson(o);
    }
  }

  /**
   * How the run went. {@link #exitCode()} is 0 only when everything held; {@link #answers()} counts
   * the agent API's answers by call type and status ("SUBSCRIBE 200", "request 404", "UPDATE 503").
   */
  public record Result(int exitCode, List<Update> updates, List<String> problems, List<String> violations,
      Optional<ExitStatus> executorExit, Path sandbox, int subscriptions, Map<String, Integer> answers) {

    public List<TaskState> states(String taskId) {
      return updates.stream().filter(u -> u.taskId().equals(taskId)).map(Update::state).toList();
    }

    public Update terminal(String taskId) {
      return updates.stream().filter(u -> u.taskId().equals(taskId) && TaskStates.isTerminal(u.state())).reduce((a, b) -> b)
          .orElse(null);
    }

    public int answered(String answer) {
      return answers.getOrDefault(answer, 0);
    }
  }

  private final HarnessOptions options;
  private final Verdict verdict;
  private final Scenario scenario;
  private final Agent agent;
  private final AgentApi api;
  private final Path sandbox;
  private final UnixSocketRelay relay;
  private final LauncherFolder launcher;
  private final Container container;
  /** Why the executor's container could not be launched (the agent's fetch or pull failed), or null. */
  private final String launchFailure;
  /** The Docker containerizer of a Docker command task, or null. */
  private final AgentDocker docker;

  private Harness(HarnessOptions givenOptions, PrintStream out, TaskFile taskFile) throws IOException {
    TaskFileSecrets.register(taskFile, Log.redactor());
    Optional<TaskInfo> commandTask = taskFile.commandTask();
    launcher = commandTask.isPresent()
        ? LauncherFolder.of(givenOptions.launcherDir(), executorShellCommand(givenOptions)) : null;
    Optional<CommandTaskExecutor> commandExecutor;
    try {
      commandExecutor = commandTask.map(t -> CommandTaskExecutor.of(t, FRAMEWORK_ID, launcher.path()));
    } catch (IllegalArgumentException e) {
      launcher.close();
      throw e;
    }
    // an ExecutorInfo's shutdown grace period overrides the agent's flag
    options = commandExecutor.flatMap(CommandTaskExecutor::shutdownGracePeriod)
        .map(givenOptions::withShutdownGracePeriod).orElse(givenOptions);
    ExecutorInfo executorInfo = commandExecutor.map(CommandTaskExecutor::info)
        .orElseGet(() -> customExecutor(taskFile));
    String executorId = executorInfo.getExecutorId().getValue();
    String runId = UUID.randomUUID().toString();
    verdict = new Verdict(out);
    scenario = new Scenario(options);
    agent = new Agent(options, taskFile, executorInfo, runId, verdict, scenario::firstRunning);
    scenario.attach(agent);
    sandbox = options.sandbox().orElseGet(Harness::temporarySandbox).toAbsolutePath();
    Files.createDirectories(sandbox);
    Optional<String> token = options.authenticate() ? Optional.of("harness-" + UUID.randomUUID()) : Optional.empty();
    Optional<HarnessTls> tls = options.tls().map(dir -> HarnessTls.load(dir, options.tlsClientAuth()));
    api = new AgentApi(FRAMEWORK_ID, executorId, token, agent, tls);
    agent.attach(api);
    api.start();
    Log.info("agent API on " + api.scheme() + "://" + api.endpoint() + AgentApi.PATH + "; sandbox " + sandbox);
    if (options.domainSocket()) {
      relay = UnixSocketRelay.start(socketPath(sandbox, runId), api.address());
      api.restrictSocketPaths(relay::relayed);
      Log.info("agent API also on the Unix socket " + relay.path());
    } else {
      relay = null;
    }
    Map<String, String> env = executorEnvironment(executorId, runId, token, tls);
    List<String> argv;
    String failure = null;
    AgentDocker dockerAgent = null;
    if (commandExecutor.isPresent()) {
      CommandTaskExecutor command = commandExecutor.get();
      Log.info("a command task: running " + executorInfo.getName() + " from " + launcher.path());
      if (!command.found() && !command.docker()) {
        Log.warn(launcher.path().resolve(CommandTaskExecutor.PROGRAM) + " does not exist: the agent runs "
            + command.argv() + " instead");
      }
      env.putAll(command.environment());
      argv = command.argv();
      try {
        AgentFetch.run(executorInfo, sandbox, env, System.getProperty("user.name"));
      } catch (FetchException e) {
        failure = e.getMessage();
      }
      if (command.docker()) {
        // the Docker containerizer: no MESOS_SANDBOX (the executor gets --mapped_directory), pull, then its argv
        env.remove("MESOS_SANDBOX");
        dockerAgent = AgentDocker.connect(runId);
        if (failure == null) {
          try {
            dockerAgent.pull(command.dockerInfo(), sandbox);
            argv = command.dockerArgv(dockerAgent.containerName(), dockerAgent.socket(), sandbox);
            Log.info("a Docker command task: running " + argv.get(0) + " " + argv.subList(1, argv.size()));
          } catch (EngineException | IOException e) {
            failure = e.getMessage();
          }
        }
      }
    } else {
      argv = options.executorCommand().map(c -> List.of("/bin/sh", "-c", c))
          .orElseGet(Harness::defaultExecutorCommand);
    }
    launchFailure = failure;
    docker = dockerAgent;
    if (launchFailure != null) {
      container = null;
      return;
    }
    ChildProcess executor = ProcessLauncher.spawn(new ProcessSpec(argv, env, sandbox, sandbox.resolve("stdout"),
        sandbox.resolve("stderr")));
    container = new Container(executor, runId);
    agent.attach(container);
    scenario.executorStarted();
    Log.info("executor started as process " + executor.pid() + " (its log: " + sandbox.resolve("stderr") + ")");
  }

  /** The ExecutorInfo of a task file for this executor: the first task's executor id, else harness-executor. */
  private static ExecutorInfo customExecutor(TaskFile taskFile) {
    TaskInfo first = taskFile.tasks().get(0);
    String id = first.hasExecutor() ? first.getExecutor().getExecutorId().getValue() : "harness-executor";
    return ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue(id))
        .setFrameworkId(FrameworkID.newBuilder().setValue(FRAMEWORK_ID)).setType(ExecutorInfo.Type.CUSTOM).build();
  }

  /** --executor-command, else this program's executor mode, as one shell command. */
  private static String executorShellCommand(HarnessOptions options) {
    return options.executorCommand().orElseGet(() -> "exec " + defaultExecutorCommand().stream().map(Shell::quote)
        .collect(Collectors.joining(" ")));
  }

  /** Runs the harness to its end; updates are printed on {@code out} as JSON lines. */
  public static Result run(HarnessOptions options, PrintStream out) throws IOException {
    return start(options, out).awaitResult();
  }

  /**
   * Starts the agent API and the executor and returns at once; {@link #kill}, {@link #shutdown},
   * {@link #restart} and {@link #awaitResult} drive the rest.
   */
  public static Harness start(HarnessOptions options, PrintStream out) throws IOException {
    return new Harness(options, out, TaskFile.read(options.taskFile()));
  }

  private static Path temporarySandbox() {
    try {
      return Files.createTempDirectory("spark-mesos-harness-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** System.nanoTime() when the first SUBSCRIBE was accepted (its LAUNCH is sent at once), 0 before: for benchmarks. */
  public long firstSubscribeNanos() {
    return agent.firstSubscribeNanos();
  }

  /** System.nanoTime() when the request of the update with this UUID (hex) arrived, or 0: for benchmarks. */
  public long updateArrivalNanos(String uuidHex) {
    return api.updateArrivalNanos(com.google.protobuf.ByteString.copyFrom(java.util.HexFormat.of().parseHex(uuidHex)));
  }

  /** The executor's sandbox. */
  public Path sandbox() {
    return sandbox;
  }

  /** The name a Docker command task's container must have ({@code --container}), if the task is one. */
  public Optional<String> dockerContainer() {
    return Optional.ofNullable(docker).map(AgentDocker::containerName);
  }

  /** The executor's process id, or -1 when its container failed to launch. */
  public long executorPid() {
    return container == null ? -1 : container.executor().pid();
  }

  /** Sends KILL for a task now (with --kill-grace as its kill policy, if given). */
  public void kill(String taskId) {
    agent.kill(taskId);
  }

  /** Sends SHUTDOWN now; the executor is destroyed if it still runs after the shutdown grace period. */
  public void shutdown() {
    scenario.shutdown();
  }

  /** Restarts the agent now, through the phases of --restart-duration (see {@link Scenario#restart}). */
  public void restart() {
    scenario.restart();
  }

  /** Waits for the executor to exit (or --timeout), does what the agent does then, and reports. */
  public Result awaitResult() {
    if (launchFailure != null) {
      agent.containerLaunchFailed(launchFailure);
      scenario.stop();
      api.stop();
      closeRelayAndLauncher();
      return verdict.result(Optional.empty(), sandbox, agent.subscriptions(), api.answers());
    }
    ChildProcess executor = container.executor();
    Optional<ExitStatus> exit = Optional.empty();
    try {
      exit = Optional.of(executor.onExit().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      verdict.problem("timed out after " + Durations.format(options.timeout()) + " (--timeout)");
      executor.signalGroup(Signal.SIGKILL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      verdict.problem("interrupted");
      executor.signalGroup(Signal.SIGKILL);
    } catch (ExecutionException e) {
      verdict.problem("waiting for the executor failed: " + e.getCause());
    }
    try {
      executor.onGroupGone().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      executor.signalGroup(Signal.SIGKILL);
    }
    exit.ifPresent(s -> Log.info("executor " + s.describe()));
    if (docker != null) {
      docker.removeContainer(verdict);
    }
    scenario.stop();
    agent.executorTerminated(exit);
    api.stop();
    closeRelayAndLauncher();
    return verdict.result(exit, sandbox, agent.subscriptions(), api.answers());
  }

  private void closeRelayAndLauncher() {
    if (relay != null) {
      try {
        relay.close();
      } catch (IOException e) {
        Log.warn("closing the agent socket: " + e.getMessage());
      }
    }
    if (launcher != null) {
      launcher.close();
    }
    if (docker != null) {
      docker.close();
    }
  }

  /**
   * Where the agent's socket goes: next to the sandbox, or in a new temporary directory when that
   * path would not fit a socket address (108 bytes with the NUL).
   */
  private static Path socketPath(Path sandbox, String runId) throws IOException {
    String name = "agent-" + runId.substring(0, 8) + ".sock";
    Path path = sandbox.getParent().resolve(name);
    if (path.toString().getBytes(StandardCharsets.UTF_8).length < 108) {
      return path;
    }
    return Files.createTempDirectory("sme-agent-").resolve(name);
  }

  private Map<String, String> executorEnvironment(String executorId, String runId, Optional<String> token,
      Optional<HarnessTls> tls) {
    Map<String, String> env = new LinkedHashMap<>();
    // --executor_environment_variables of a typical agent: what a JVM and a shell need
    for (String name : List.of("JAVA_HOME", "LANG", "TZ")) {
      Optional.ofNullable(System.getenv(name)).ifPresent(v -> env.put(name, v));
    }
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("LIBPROCESS_PORT", "0");
    env.put("MESOS_FRAMEWORK_ID", FRAMEWORK_ID);
    env.put("MESOS_EXECUTOR_ID", executorId);
    env.put("MESOS_DIRECTORY", sandbox.toString());
    env.put("MESOS_SANDBOX", sandbox.toString());
    env.put("MESOS_SLAVE_ID", AGENT_ID);
    env.put("MESOS_SLAVE_PID", "slave(1)@" + api.endpoint());
    env.put("MESOS_AGENT_ENDPOINT", api.endpoint());
    env.put("MESOS_CHECKPOINT", options.checkpoint() ? "1" : "0");
    env.put("MESOS_HTTP_COMMAND_EXECUTOR", "0");
    env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", Durations.format(options.shutdownGracePeriod()));
    if (options.checkpoint()) {
      env.put("MESOS_RECOVERY_TIMEOUT", "15mins");
      // the agent passes its --executor_reregistration_timeout
      env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", Durations.format(options.executorReregistrationTimeout()));
    }
    token.ifPresent(t -> env.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", t));
    if (relay != null) {
      env.put("MESOS_DOMAIN_SOCKET", relay.path().toString());
    }
    tls.ifPresent(t -> env.putAll(t.executorEnvironment()));
    env.put(ExecutorMain.CONTENT_TYPE_VARIABLE, options.contentType().name().toLowerCase(Locale.ROOT));
    env.put(RUN_MARKER, runId);
    env.putAll(options.executorEnvironment());
    return env;
  }

  /** This very program in executor mode, with the JVM and classpath the harness runs on. */
  static List<String> defaultExecutorCommand() {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dcom.google.protobuf.use_unsafe_pre22_gencode", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), ExecutorMain.class.getName());
  }
}
