package io.github.sparkmesos.executor.harness;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.github.sparkmesos.executor.cli.Main;
import io.github.sparkmesos.executor.mesos.Durations;
import io.github.sparkmesos.executor.mesos.TaskStates;
import io.github.sparkmesos.executor.mesos.WireFormat;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ExitStatus;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import io.github.sparkmesos.os.Signal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskGroupInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * Plays one Mesos agent on loopback for one executor: serves the executor API ({@link AgentApi}),
 * starts the executor as a child with the environment an agent gives, sends LAUNCH (or LAUNCH_GROUP)
 * for the tasks of a JSON file, acknowledges and prints every status update, and on request kills,
 * shuts down, or restarts. It records protocol violations: an update re-sent after its
 * acknowledgement was delivered, a second terminal update, a process left after the executor exited.
 */
public final class Harness {

  public static final String FRAMEWORK_ID = "harness-framework-0001";
  public static final String AGENT_ID = "harness-agent-S0";
  /** Set in the executor's environment, so the harness can find every process of this run. */
  public static final String RUN_MARKER = "SPARK_MESOS_HARNESS_RUN";

  /** A status update as the harness received it. */
  public record Update(String taskId, TaskState state, String reason, String message, String source, double timestamp,
      String uuid) {

    public String json() {
      JsonObject o = new JsonObject();
      o.addProperty("task_id", taskId);
      o.addProperty("state", state.name());
      o.addProperty("reason", reason);
      o.addProperty("message", message);
      o.addProperty("source", source);
      o.addProperty("timestamp", timestamp);
      return new com.google.gson.GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(o);
    }
  }

  /** How the run went. {@link #exitCode()} is 0 only when everything held. */
  public record Result(int exitCode, List<Update> updates, List<String> problems, List<String> violations,
      Optional<ExitStatus> executorExit, Path sandbox, int subscriptions) {

    public List<TaskState> states(String taskId) {
      return updates.stream().filter(u -> u.taskId().equals(taskId)).map(Update::state).toList();
    }

    public Update terminal(String taskId) {
      return updates.stream().filter(u -> u.taskId().equals(taskId) && TaskStates.isTerminal(u.state())).reduce((a, b) -> b)
          .orElse(null);
    }
  }

  private final HarnessOptions options;
  private final PrintStream out;
  private final List<TaskInfo> tasks;
  /** LAUNCH_GROUP with all tasks, or one LAUNCH per task. */
  private final boolean group;
  private final String executorId;
  private final String runId = UUID.randomUUID().toString();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "harness-timers");
    t.setDaemon(true);
    return t;
  });

  // guarded by this
  private final List<Update> updates = new ArrayList<>();
  private final Set<ByteString> seen = new HashSet<>();
  private final Set<ByteString> ackDelivered = new HashSet<>();
  private final Map<String, TaskState> terminalStates = new LinkedHashMap<>();
  private final Set<String> running = new HashSet<>();
  private final List<String> violations = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private boolean launched;
  private boolean restartScheduled;
  private int subscriptions;
  private long firstSubscribeNanos;
  private AgentApi api;
  private ChildProcess executor;

  private Harness(HarnessOptions options, PrintStream out, List<TaskInfo> tasks, boolean group) {
    this.options = options;
    this.out = out;
    this.tasks = tasks;
    this.group = group;
    this.executorId = tasks.get(0).hasExecutor() ? tasks.get(0).getExecutor().getExecutorId().getValue()
        : "harness-executor";
  }

  /** Runs the harness to its end; updates are printed on {@code out} as JSON lines. */
  public static Result run(HarnessOptions options, PrintStream out) throws IOException {
    return start(options, out).awaitResult();
  }

  /**
   * Starts the agent API and the executor and returns at once; {@link #kill}, {@link #shutdown} and
   * {@link #awaitResult} drive the rest. The task file holds a TaskInfo (one LAUNCH), a JSON array of
   * TaskInfos (one LAUNCH each) or a TaskGroupInfo {"tasks": [...]} (one LAUNCH_GROUP).
   */
  public static Harness start(HarnessOptions options, PrintStream out) throws IOException {
    String text = Files.readString(options.taskFile(), StandardCharsets.UTF_8);
    boolean isGroup = false;
    List<TaskInfo> tasks = new ArrayList<>();
    try {
      com.google.gson.JsonElement root = JsonParser.parseString(text);
      if (root.isJsonArray()) {
        for (com.google.gson.JsonElement e : root.getAsJsonArray()) {
          tasks.add(parseTask(e.getAsJsonObject()));
        }
      } else if (root.getAsJsonObject().has("tasks")) {
        isGroup = true;
        for (com.google.gson.JsonElement e : root.getAsJsonObject().getAsJsonArray("tasks")) {
          tasks.add(parseTask(e.getAsJsonObject()));
        }
      } else {
        tasks.add(parseTask(root.getAsJsonObject()));
      }
    } catch (RuntimeException | InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(options.taskFile() + ": not a TaskInfo or TaskGroupInfo in Mesos v1 JSON: "
          + e.getMessage(), e);
    }
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException(options.taskFile() + ": the task group has no tasks");
    }
    Harness harness = new Harness(options, out, tasks, isGroup);
    harness.launchExecutor();
    return harness;
  }

  /** Parses one TaskInfo, first filling what the master and agent would have filled. */
  private static TaskInfo parseTask(JsonObject json) throws InvalidProtocolBufferException {
    if (!json.has("agent_id") && !json.has("agentId")) {
      JsonObject agent = new JsonObject();
      agent.addProperty("value", AGENT_ID);
      json.add("agent_id", agent);
    }
    if (!json.has("name") && json.has("task_id") && json.get("task_id").isJsonObject()) {
      json.addProperty("name", "task " + json.getAsJsonObject("task_id").get("value").getAsString());
    }
    TaskInfo.Builder b = TaskInfo.newBuilder();
    JsonFormat.parser().merge(json.toString(), b);
    if (!b.isInitialized()) {
      throw new IllegalArgumentException("missing required fields " + b.findInitializationErrors());
    }
    return b.build();
  }

  private Path sandbox;

  private void launchExecutor() throws IOException {
    sandbox = options.sandbox().orElseGet(() -> {
      try {
        return Files.createTempDirectory("spark-mesos-harness-");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).toAbsolutePath();
    Files.createDirectories(sandbox);
    Optional<String> token = options.authenticate() ? Optional.of("harness-" + UUID.randomUUID()) : Optional.empty();
    api = new AgentApi(FRAMEWORK_ID, executorId, token, new AgentApi.Handler() {
      @Override
      public void subscribed(Call.Subscribe subscribe, WireFormat format) {
        onSubscribed(subscribe);
      }

      @Override
      public void update(TaskStatus status) {
        onUpdate(status);
      }

      @Override
      public void message(byte[] data) {
        Log.info("executor message of " + data.length + " bytes");
      }

      @Override
      public void rejected(int status, String reason) {
        synchronized (Harness.this) {
          violation("the agent API answered " + status + ": " + reason);
        }
      }
    });
    api.start();
    Log.info("agent API on http://" + api.endpoint() + "/api/v1/executor; sandbox " + sandbox);
    Map<String, String> env = executorEnvironment(sandbox, token);
    List<String> argv = options.executorCommand().isEmpty() ? defaultExecutorCommand() : options.executorCommand();
    synchronized (this) {
      executor = ProcessLauncher.spawn(new ProcessSpec(argv, env, sandbox, sandbox.resolve("stdout"),
          sandbox.resolve("stderr")));
    }
    Log.info("executor started as process " + executor.pid() + " (its log: " + sandbox.resolve("stderr") + ")");
  }

  /** System.nanoTime() when the first SUBSCRIBE was accepted (its LAUNCH is sent at once), 0 before: for benchmarks. */
  public synchronized long firstSubscribeNanos() {
    return firstSubscribeNanos;
  }

  /** The executor's sandbox. */
  public Path sandbox() {
    return sandbox;
  }

  /** Waits for the executor to exit (or --timeout), does what the agent does then, and reports. */
  public Result awaitResult() {
    Optional<ExitStatus> exit = Optional.empty();
    try {
      exit = Optional.of(executor.onExit().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      problem("timed out after " + Durations.format(options.timeout()) + " (--timeout)");
      executor.signalGroup(Signal.SIGKILL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem("interrupted");
      executor.signalGroup(Signal.SIGKILL);
    } catch (java.util.concurrent.ExecutionException e) {
      problem("waiting for the executor failed: " + e.getCause());
    }
    try {
      executor.onGroupGone().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      executor.signalGroup(Signal.SIGKILL);
    }
    exit.ifPresent(s -> Log.info("executor " + s.describe()));
    afterExecutorExit(exit);
    timers.shutdownNow();
    api.stop();
    synchronized (this) {
      int code = problems.isEmpty() && violations.isEmpty() ? 0 : 1;
      for (String p : problems) {
        Log.error(p);
      }
      for (String v : violations) {
        Log.error("protocol violation: " + v);
      }
      return new Result(code, List.copyOf(updates), List.copyOf(problems), List.copyOf(violations), exit, sandbox,
          subscriptions);
    }
  }

  /** What the agent does when the executor is gone: tasks left running fail, the container is destroyed. */
  private synchronized void afterExecutorExit(Optional<ExitStatus> exit) {
    for (TaskInfo task : tasks) {
      String id = task.getTaskId().getValue();
      if (!terminalStates.containsKey(id)) {
        problem("task " + id + " never reached a terminal state");
        record(TaskStatus.newBuilder().setTaskId(task.getTaskId()).setState(TaskState.TASK_FAILED)
            .setReason(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED).setSource(TaskStatus.Source.SOURCE_AGENT)
            .setMessage("Executor terminated").setTimestamp(System.currentTimeMillis() / 1000.0)
            .setUuid(ByteString.copyFromUtf8(UUID.randomUUID().toString())).build());
      }
    }
    if (exit.isPresent() && !exit.get().isSuccess()) {
      problem("the executor " + exit.get().describe());
    }
    List<io.github.sparkmesos.os.ProcessTable.Entry> left = RunProcesses.find(RUN_MARKER, runId);
    for (var p : left) {
      violation("process " + p.pid() + " (" + p.command() + ") was still running after the executor exited");
    }
    RunProcesses.kill(left);
  }

  private Map<String, String> executorEnvironment(Path sandbox, Optional<String> token) {
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
      env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs");
    }
    token.ifPresent(t -> env.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", t));
    env.put(Main.CONTENT_TYPE_VARIABLE, options.contentType().name().toLowerCase(java.util.Locale.ROOT));
    env.put(RUN_MARKER, runId);
    env.putAll(options.executorEnvironment());
    return env;
  }

  /** This very program in executor mode, with the JVM and classpath the harness runs on. */
  static List<String> defaultExecutorCommand() {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dcom.google.protobuf.use_unsafe_pre22_gencode", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "executor");
  }

  // --- the agent's side of the protocol ---

  private synchronized void onSubscribed(Call.Subscribe subscribe) {
    if (subscriptions++ == 0) {
      firstSubscribeNanos = System.nanoTime();
    }
    FrameworkInfo.Builder framework = FrameworkInfo.newBuilder().setId(FrameworkID.newBuilder().setValue(FRAMEWORK_ID))
        .setName("spark-mesos-executor harness").setUser(System.getProperty("user.name"))
        .setCheckpoint(options.checkpoint());
    if (options.taskKillingState()) {
      framework.addCapabilities(FrameworkInfo.Capability.newBuilder()
          .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
    }
    Event subscribed = Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
        .setExecutorInfo(ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue(executorId))
            .setFrameworkId(FrameworkID.newBuilder().setValue(FRAMEWORK_ID))
            .setType(ExecutorInfo.Type.CUSTOM))
        .setFrameworkInfo(framework)
        .setAgentInfo(AgentInfo.newBuilder().setHostname("localhost").setId(AgentID.newBuilder().setValue(AGENT_ID)))
        .setContainerId(ContainerID.newBuilder().setValue(runId)))
        .build();
    api.send(subscribed);
    // the agent feeds replayed updates into its update path; their ACKs follow SUBSCRIBED
    for (Call.Update u : subscribe.getUnacknowledgedUpdatesList()) {
      String invalid = AgentApi.validateStatus(u.getStatus(), executorId);
      if (invalid != null) {
        violation("replayed update rejected: " + invalid);
        continue;
      }
      onUpdate(u.getStatus());
    }
    if (launched) {
      Set<String> listed = new HashSet<>();
      subscribe.getUnacknowledgedTasksList().forEach(t -> listed.add(t.getTaskId().getValue()));
      for (TaskInfo t : tasks) {
        String id = t.getTaskId().getValue();
        boolean anyUpdate = updates.stream().anyMatch(u -> u.taskId().equals(id));
        if (!anyUpdate && !listed.contains(id)) {
          violation("task " + id + " was launched but is neither in unacknowledged_tasks nor updated"
              + " (the agent would drop it)");
        }
      }
    }
    if (!launched) {
      launched = true;
      if (group) {
        api.send(Event.newBuilder().setType(Event.Type.LAUNCH_GROUP).setLaunchGroup(Event.LaunchGroup.newBuilder()
            .setTaskGroup(TaskGroupInfo.newBuilder().addAllTasks(tasks))).build());
      } else {
        for (TaskInfo task : tasks) {
          api.send(Event.newBuilder().setType(Event.Type.LAUNCH).setLaunch(Event.Launch.newBuilder().setTask(task))
              .build());
        }
      }
    }
  }

  private synchronized void onUpdate(TaskStatus status) {
    ByteString uuid = status.getUuid();
    String taskId = status.getTaskId().getValue();
    if (!seen.add(uuid)) {
      if (ackDelivered.contains(uuid)) {
        violation(status.getState() + " of task " + taskId + " was sent again after its acknowledgement was delivered");
      }
      acknowledge(status); // duplicates are acknowledged again, as the agent does
      return;
    }
    if (tasks.stream().noneMatch(t -> t.getTaskId().getValue().equals(taskId))) {
      violation("update for task " + taskId + ", which was never launched");
    }
    if (terminalStates.containsKey(taskId)) {
      violation("task " + taskId + " sent " + status.getState() + " after its terminal " + terminalStates.get(taskId));
      acknowledge(status);
      return;
    }
    record(status);
    if (status.getState() == TaskState.TASK_RUNNING && running.add(taskId)) {
      onRunning(status);
      if (restartScheduled && options.restartAgentAfter().orElseThrow().isZero()) {
        return; // the agent restarted before acknowledging this one: the ACK is lost
      }
    }
    acknowledge(status);
  }

  private void record(TaskStatus status) {
    Update u = new Update(status.getTaskId().getValue(), status.getState(),
        status.hasReason() ? status.getReason().name() : null, status.hasMessage() ? status.getMessage() : null,
        status.getSource().name(), status.getTimestamp(), java.util.HexFormat.of().formatHex(status.getUuid().toByteArray()));
    updates.add(u);
    if (TaskStates.isTerminal(status.getState())) {
      terminalStates.put(u.taskId(), status.getState());
    }
    out.println(u.json());
    out.flush();
  }

  private void acknowledge(TaskStatus status) {
    Event ack = Event.newBuilder().setType(Event.Type.ACKNOWLEDGED).setAcknowledged(Event.Acknowledged.newBuilder()
        .setTaskId(status.getTaskId()).setUuid(status.getUuid())).build();
    if (api.send(ack)) {
      ackDelivered.add(status.getUuid());
    }
  }

  /** Kill, shutdown and restart are timed from a task's first TASK_RUNNING. */
  private void onRunning(TaskStatus status) {
    options.killAfter().ifPresent(d -> at(d, () -> kill(status.getTaskId().getValue())));
    options.shutdownAfter().ifPresent(d -> at(d, this::shutdown));
    if (options.restartAgentAfter().isPresent() && !restartScheduled) {
      restartScheduled = true;
      Duration d = options.restartAgentAfter().get();
      if (d.isZero()) {
        restart();
      } else {
        at(d, this::restart);
      }
    }
  }

  private void at(Duration delay, Runnable action) {
    timers.schedule(() -> {
      synchronized (this) {
        action.run();
      }
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends KILL for a task now (with --kill-grace as its kill policy, if given). */
  public synchronized void kill(String taskId) {
    if (terminalStates.containsKey(taskId)) {
      return;
    }
    Event.Kill.Builder kill = Event.Kill.newBuilder().setTaskId(org.apache.mesos.v1.Protos.TaskID.newBuilder()
        .setValue(taskId));
    options.killGrace().ifPresent(g -> kill.setKillPolicy(KillPolicy.newBuilder()
        .setGracePeriod(DurationInfo.newBuilder().setNanoseconds(g.toNanos()))));
    Log.info("sending KILL for task " + taskId);
    if (!api.send(Event.newBuilder().setType(Event.Type.KILL).setKill(kill).build())) {
      problem("KILL for task " + taskId + " was lost: the executor was not connected");
    }
  }

  /** Sends SHUTDOWN now; the executor is destroyed if it still runs after the shutdown grace period. */
  public synchronized void shutdown() {
    Log.info("sending SHUTDOWN");
    api.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
    // then the agent destroys the container when the grace period is over
    timers.schedule(() -> {
      ChildProcess e = executor;
      if (e != null && !e.onExit().isDone()) {
        synchronized (this) {
          problem("the executor was still running " + Durations.format(options.shutdownGracePeriod())
              + " after SHUTDOWN; destroying it");
        }
        e.signalGroup(Signal.SIGKILL);
      }
    }, options.shutdownGracePeriod().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Closes the subscription and answers 503 for --restart-duration, as a restarting agent. */
  public synchronized void restart() {
    Log.info("agent restarting: closing the subscription, answering 503 for "
        + Durations.format(options.restartDuration()));
    api.restarting();
    timers.schedule(() -> {
      Log.info("agent recovered");
      api.recovered();
    }, options.restartDuration().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void violation(String text) {
    violations.add(text);
    Log.warn("protocol violation: " + text);
  }

  private void problem(String text) {
    problems.add(text);
  }

}
