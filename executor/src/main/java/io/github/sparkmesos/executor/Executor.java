package io.github.sparkmesos.executor;

import com.google.protobuf.ByteString;
import io.github.sparkmesos.executor.mesos.AgentConnection;
import io.github.sparkmesos.executor.mesos.TaskStates;
import io.github.sparkmesos.executor.mesos.AgentEnvironment;
import io.github.sparkmesos.executor.task.LaunchSpecs;
import io.github.sparkmesos.executor.task.TaskRunner;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.fetcher.Fetcher;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.Signal;
import io.github.sparkmesos.secrets.ChildEnvironment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The executor: one loop thread owns all state and handles, in order, the agent's events, the
 * runners' state changes and the timers. Every status update gets a fresh UUID and
 * SOURCE_EXECUTOR, is kept until the agent acknowledges it, and is replayed with the unacknowledged
 * tasks on every SUBSCRIBE. It exits once the last terminal update is acknowledged.
 */
public final class Executor {

  /** Mesos's built-in executors' kill grace when neither KILL nor TaskInfo gives one. */
  static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(3);
  /** The agent's default --executor_registration_timeout. */
  static final Duration REGISTRATION_TIMEOUT = Duration.ofMinutes(1);
  /** As the built-in executors: give up on a terminal update's ACK after this long. */
  static final Duration TERMINAL_ACK_TIMEOUT = Duration.ofSeconds(60);
  static final Duration HEARTBEAT_INTERVAL = Duration.ofMinutes(30);

  private final AgentEnvironment agentEnv;
  private final AgentConnection agent;
  private final Map<String, String> childEnvironment;
  private final Fetcher fetcher;

  private final BlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("timers"));
  private final ExecutorService subscriber = Executors.newSingleThreadExecutor(daemon("subscriber"));
  private final ExecutorService sender = Executors.newSingleThreadExecutor(daemon("sender"));
  private final ExecutorService runners = Executors.newCachedThreadPool(daemon("task"));

  // --- state, touched only on the loop thread ---
  private final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
  private final LinkedHashMap<ByteString, Call.Update> unacknowledged = new LinkedHashMap<>();
  private FrameworkInfo framework;
  private boolean subscribed;
  /** Mirrors of {@code subscribed} and {@code attempt} for the sender thread. */
  private volatile boolean connected;
  private volatile int currentAttempt;
  private boolean everSubscribed;
  private int attempt;
  private AgentConnection.Subscription subscription;
  private Instant disconnectedSince;
  private final Instant registrationDeadline;
  private boolean shuttingDown;
  private int shutdownCode;
  private boolean launchedAny;
  private Integer exitCode;

  private static final class TaskRecord {
    final TaskInfo info;
    final TaskRunner runner;
    final String group;
    boolean acknowledged; // any of its updates acknowledged: no longer an "unacknowledged task"
    boolean terminal;
    boolean terminalAcknowledged;
    boolean killingSent;
    ByteString terminalUuid;

    TaskRecord(TaskInfo info, TaskRunner runner, String group) {
      this.info = info;
      this.runner = runner;
      this.group = group;
    }
  }

  public Executor(AgentEnvironment agentEnv, AgentConnection agent, Map<String, String> processEnvironment,
      Fetcher fetcher) {
    this.agentEnv = agentEnv;
    this.agent = agent;
    this.childEnvironment = ChildEnvironment.inheritable(processEnvironment);
    this.fetcher = fetcher;
    this.registrationDeadline = Instant.now().plus(REGISTRATION_TIMEOUT);
    agentEnv.authenticationToken().ifPresent(Log.redactor()::add);
  }

  /** Runs until the executor is done; returns the process exit code. */
  public int run() {
    Log.info("executor " + agentEnv.executorId() + " of framework " + agentEnv.frameworkId() + " subscribing to "
        + agentEnv.agentUrl() + " (" + agent.format().mediaType() + ", checkpoint " + agentEnv.checkpoint() + ")");
    Thread hook = new Thread(this::killAllNow, "executor-exit");
    Runtime.getRuntime().addShutdownHook(hook);
    subscribe();
    timers.scheduleAtFixedRate(() -> post(this::heartbeat), HEARTBEAT_INTERVAL.toMillis(),
        HEARTBEAT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    while (exitCode == null) {
      try {
        inbox.take().run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exit(1, "interrupted");
      } catch (RuntimeException e) {
        Log.error("executor loop: " + e);
        e.printStackTrace();
      }
    }
    killAllNow();
    if (subscription != null) {
      subscription.close();
    }
    timers.shutdownNow();
    subscriber.shutdownNow();
    sender.shutdown();
    agent.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException ignored) {
      // already shutting down
    }
    return exitCode;
  }

  private void post(Runnable action) {
    inbox.add(action);
  }

  private void schedule(Duration delay, Runnable action) {
    timers.schedule(() -> post(action), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
  }

  // --- subscription ---

  private void subscribe() {
    int mine = ++attempt;
    currentAttempt = mine;
    Call.Subscribe.Builder sub = Call.Subscribe.newBuilder();
    sub.addAllUnacknowledgedUpdates(unacknowledged.values());
    for (TaskRecord t : tasks.values()) {
      if (!t.acknowledged) {
        sub.addUnacknowledgedTasks(t.info);
      }
    }
    Call call = call(Call.Type.SUBSCRIBE).setSubscribe(sub).build();
    Set<ByteString> replayed = new HashSet<>(unacknowledged.keySet());
    subscriber.submit(() -> {
      AgentConnection.Subscription s;
      try {
        s = agent.subscribe(call);
      } catch (IOException e) {
        post(() -> subscribeFailed(mine, e));
        return;
      }
      post(() -> {
        if (mine == attempt) {
          subscription = s;
        } else {
          s.close();
        }
      });
      String reason;
      try {
        Event event;
        while ((event = s.next()) != null) {
          Event e = event;
          post(() -> onEvent(mine, replayed, e));
        }
        reason = "the agent closed the event stream";
      } catch (IOException e) {
        reason = "the event stream broke: " + e.getMessage();
      }
      String why = reason;
      post(() -> disconnected(mine, why));
    });
  }

  private void subscribeFailed(int which, IOException error) {
    if (which != attempt || exitCode != null) {
      return;
    }
    boolean retryable = !(error instanceof AgentConnection.RejectedException r) || r.retryable();
    if (!retryable) {
      exit(1, "the agent refused SUBSCRIBE: " + error.getMessage());
      return;
    }
    if (!everSubscribed) {
      if (Instant.now().isAfter(registrationDeadline)) {
        exit(1, "could not subscribe within " + REGISTRATION_TIMEOUT.toSeconds() + "s: " + error.getMessage());
        return;
      }
      Log.info("SUBSCRIBE not accepted yet (" + error.getMessage() + "); retrying");
      schedule(backoff(), this::subscribe);
      return;
    }
    retryOrGiveUp(error.getMessage());
  }

  private void disconnected(int which, String reason) {
    if (which != attempt || exitCode != null) {
      return;
    }
    subscribed = false;
    connected = false;
    subscription = null;
    if (!everSubscribed) {
      subscribeFailed(which, new IOException(reason));
      return;
    }
    Log.warn("disconnected from the agent: " + reason);
    retryOrGiveUp(reason);
  }

  private void retryOrGiveUp(String reason) {
    if (!agentEnv.checkpoint()) {
      Log.warn("checkpointing is off, so the agent will not take this executor back: shutting down");
      shutdown(shutdownKillGrace(), 1);
      return;
    }
    if (disconnectedSince == null) {
      disconnectedSince = Instant.now();
    }
    if (Instant.now().isAfter(disconnectedSince.plus(agentEnv.recoveryTimeout()))) {
      Log.error("no agent within MESOS_RECOVERY_TIMEOUT (" + agentEnv.recoveryTimeout() + "): shutting down");
      shutdown(shutdownKillGrace(), 1);
      return;
    }
    Duration wait = backoff();
    Log.info("re-subscribing in " + wait.toMillis() + " ms (" + reason + ")");
    schedule(wait, this::subscribe);
  }

  /** Uniform in [0, MESOS_SUBSCRIPTION_BACKOFF_MAX], as the reference library. */
  private Duration backoff() {
    long max = Math.max(1, agentEnv.subscriptionBackoffMax().toMillis());
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(max + 1));
  }

  // --- events ---

  private void onEvent(int which, Set<ByteString> replayed, Event event) {
    if (which != attempt || exitCode != null) {
      return;
    }
    switch (event.getType()) {
      case SUBSCRIBED -> onSubscribed(event.getSubscribed(), replayed);
      case LAUNCH -> launch(event.getLaunch().getTask(), null);
      case LAUNCH_GROUP -> {
        String group = UUID.randomUUID().toString();
        for (TaskInfo task : event.getLaunchGroup().getTaskGroup().getTasksList()) {
          launch(task, group);
        }
      }
      case KILL -> kill(event.getKill());
      case ACKNOWLEDGED -> acknowledged(event.getAcknowledged());
      case MESSAGE -> Log.info("framework message of " + event.getMessage().getData().size() + " bytes (ignored)");
      case SHUTDOWN -> {
        Log.info("SHUTDOWN from the agent");
        shutdown(shutdownKillGrace(), 0);
      }
      case ERROR -> Log.error("ERROR from the agent: " + event.getError().getMessage());
      case HEARTBEAT -> { }
      default -> Log.warn("ignoring an event of unknown type " + event.getType());
    }
  }

  private void onSubscribed(Event.Subscribed subscribedEvent, Set<ByteString> replayed) {
    subscribed = true;
    connected = true;
    everSubscribed = true;
    disconnectedSince = null;
    framework = subscribedEvent.getFrameworkInfo();
    Log.info("subscribed to agent " + subscribedEvent.getAgentInfo().getHostname()
        + (replayed.isEmpty() ? "" : "; replayed " + replayed.size() + " unacknowledged update(s)"));
    // updates made while the SUBSCRIBE was under way were not in it
    for (Map.Entry<ByteString, Call.Update> e : unacknowledged.entrySet()) {
      if (!replayed.contains(e.getKey())) {
        sendUpdate(e.getKey(), e.getValue());
      }
    }
    if (shuttingDown) {
      checkDone();
    }
  }

  private void launch(TaskInfo task, String group) {
    String taskId = task.getTaskId().getValue();
    if (tasks.containsKey(taskId)) {
      Log.warn("ignoring a second LAUNCH of task " + taskId);
      return;
    }
    launchedAny = true;
    Log.info("LAUNCH task " + taskId + (group == null ? "" : " (task group)"));
    LaunchSpecs.Context context = new LaunchSpecs.Context(
        Optional.ofNullable(framework).filter(FrameworkInfo::hasUser).map(FrameworkInfo::getUser),
        Optional.ofNullable(childEnvironment.get("SPARK_HOME")));
    TaskRunner.SpecSource spec = group == null
        ? () -> LaunchSpecs.forSparkTask(task, context)
        : () -> LaunchSpecs.forCommandTask(task);
    Path dir = agentEnv.sandbox().resolve("tasks").resolve(safeDirectoryName(taskId));
    TaskRunner runner = new TaskRunner(taskId, spec, dir, childEnvironment, fetcher,
        context.frameworkUser().orElse(null), DEFAULT_KILL_GRACE,
        (state, reason, message) -> post(() -> taskStatus(taskId, state, reason, message)));
    tasks.put(taskId, new TaskRecord(task, runner, group));
    if (shuttingDown) {
      runner.kill(Duration.ZERO);
    }
    runners.submit(runner);
  }

  /** The runner validates the id; until then keep a bad one from naming a path. */
  private static String safeDirectoryName(String taskId) {
    return taskId.isEmpty() || taskId.equals(".") || taskId.equals("..") || taskId.contains("/")
        ? "invalid-" + UUID.nameUUIDFromBytes(taskId.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        : taskId;
  }

  private void kill(Event.Kill kill) {
    String taskId = kill.getTaskId().getValue();
    TaskRecord t = tasks.get(taskId);
    if (t == null) {
      Log.warn("KILL for unknown task " + taskId + " (ignored)");
      return;
    }
    if (t.terminal) {
      Log.info("KILL for task " + taskId + ", which already ended (ignored)");
      return;
    }
    Duration grace = DEFAULT_KILL_GRACE;
    if (kill.hasKillPolicy() && kill.getKillPolicy().hasGracePeriod()) {
      grace = Duration.ofNanos(Math.max(0, kill.getKillPolicy().getGracePeriod().getNanoseconds()));
    } else if (t.info.hasKillPolicy() && t.info.getKillPolicy().hasGracePeriod()) {
      grace = Duration.ofNanos(Math.max(0, t.info.getKillPolicy().getGracePeriod().getNanoseconds()));
    }
    Log.info("KILL task " + taskId + " (grace " + grace.toMillis() + " ms)");
    if (!t.killingSent && killingStateCapable()) {
      t.killingSent = true;
      taskStatus(taskId, TaskState.TASK_KILLING, null, "Killing the task (grace period " + grace.toMillis() + " ms)");
    }
    t.runner.kill(grace);
  }

  private boolean killingStateCapable() {
    return framework != null && framework.getCapabilitiesList().stream()
        .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
  }

  private void acknowledged(Event.Acknowledged ack) {
    Call.Update update = unacknowledged.remove(ack.getUuid());
    TaskRecord t = tasks.get(ack.getTaskId().getValue());
    if (t != null) {
      t.acknowledged = true;
      if (ack.getUuid().equals(t.terminalUuid)) {
        t.terminalAcknowledged = true;
      }
    }
    if (update == null) {
      Log.info("ACKNOWLEDGED for an update no longer pending (task " + ack.getTaskId().getValue() + ")");
    }
    checkDone();
  }

  // --- status updates ---

  private void taskStatus(String taskId, TaskState state, org.apache.mesos.v1.Protos.TaskStatus.Reason reason,
      String message) {
    TaskRecord t = tasks.get(taskId);
    if (t == null || t.terminal) {
      return; // exactly one terminal update per task
    }
    if (t.killingSent && state != TaskState.TASK_KILLING && !TaskStates.isTerminal(state)) {
      return; // a runner's TASK_RUNNING that crossed the KILL must not follow TASK_KILLING
    }
    TaskStatus.Builder status = TaskStatus.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue(taskId))
        .setState(state)
        .setSource(TaskStatus.Source.SOURCE_EXECUTOR)
        .setExecutorId(ExecutorID.newBuilder().setValue(agentEnv.executorId()))
        .setTimestamp(System.currentTimeMillis() / 1000.0)
        .setUuid(randomUuid());
    if (reason != null) {
      status.setReason(reason);
    }
    if (message != null) {
      status.setMessage(Log.redactor().redact(message));
    }
    ByteString uuid = status.getUuid();
    Call.Update update = Call.Update.newBuilder().setStatus(status).build();
    unacknowledged.put(uuid, update);
    Log.info("task " + taskId + " is " + state + (reason == null ? "" : " (" + reason + ")")
        + (message == null ? "" : ": " + message));
    if (TaskStates.isTerminal(state)) {
      t.terminal = true;
      t.terminalUuid = uuid;
      if (t.group != null && !shuttingDown && (state == TaskState.TASK_FAILED || state == TaskState.TASK_KILLED)) {
        killGroup(t);
      }
      if (tasks.values().stream().allMatch(r -> r.terminal)) {
        schedule(TERMINAL_ACK_TIMEOUT, () -> {
          if (subscribed && !unacknowledged.isEmpty() && tasks.values().stream().allMatch(r -> r.terminal)) {
            exit(1, "no acknowledgement of the terminal update(s) within " + TERMINAL_ACK_TIMEOUT.toSeconds() + "s");
          }
        });
      }
    }
    if (subscribed) {
      sendUpdate(uuid, update);
    }
    checkDone();
  }

  /** A task group fails as a whole, as with Mesos's default executor. */
  private void killGroup(TaskRecord failed) {
    for (TaskRecord other : tasks.values()) {
      if (other != failed && failed.group.equals(other.group) && !other.terminal) {
        Log.info("killing task " + other.info.getTaskId().getValue() + ": task "
            + failed.info.getTaskId().getValue() + " of its group ended");
        other.runner.kill(DEFAULT_KILL_GRACE);
      }
    }
  }

  /**
   * POSTs an update. The sender is one thread, so updates leave in order; a failed POST is retried
   * there (before any later update) while this subscription lasts, else the update waits in the
   * unacknowledged set for the next SUBSCRIBE. A duplicate is harmless: the agent dedupes by UUID.
   */
  private void sendUpdate(ByteString uuid, Call.Update update) {
    Call call = call(Call.Type.UPDATE).setUpdate(update).build();
    int which = attempt;
    sender.submit(() -> {
      for (int tries = 1; ; tries++) {
        try {
          agent.send(call);
          return;
        } catch (AgentConnection.RejectedException e) {
          if (!e.retryable()) {
            Log.error("the agent rejected an update: " + e.getMessage());
            return;
          }
          if (!retrySend(which, tries, e)) {
            return;
          }
        } catch (IOException e) {
          if (!retrySend(which, tries, e)) {
            return;
          }
        }
      }
    });
  }

  /** On the sender thread: waits before another try, or says the next SUBSCRIBE will carry it. */
  private boolean retrySend(int which, int tries, IOException e) {
    if (!connected || which != currentAttempt) {
      return false;
    }
    Log.warn("sending an update failed (" + e.getMessage() + "); trying again");
    try {
      TimeUnit.MILLISECONDS.sleep(Math.min(5000, 250L << Math.min(tries, 5)));
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return false;
    }
    return connected && which == currentAttempt;
  }

  private void heartbeat() {
    if (subscribed) {
      Call call = call(Call.Type.HEARTBEAT).build();
      sender.submit(() -> {
        try {
          agent.send(call);
        } catch (IOException e) {
          Log.warn("heartbeat failed: " + e.getMessage());
        }
      });
    }
  }

  // --- ending ---

  /** Kills every task; the executor exits once they all ended and their updates are acknowledged. */
  private void shutdown(Duration grace, int code) {
    if (!shuttingDown) {
      shuttingDown = true;
      shutdownCode = code;
      for (TaskRecord t : tasks.values()) {
        if (!t.terminal) {
          t.runner.kill(grace);
        }
      }
      // the agent destroys the container after its shutdown grace period: leave before
      schedule(agentEnv.shutdownGracePeriod(), () -> exit(shutdownCode == 0 && unacknowledged.isEmpty() ? 0 : 1,
          "shutdown grace period over"));
    }
    checkDone();
  }

  /** As the command executor: leave 2 s of the agent's grace period to report and exit. */
  private Duration shutdownKillGrace() {
    Duration grace = agentEnv.shutdownGracePeriod().minusSeconds(2);
    return grace.isNegative() ? Duration.ZERO : grace;
  }

  private void checkDone() {
    if (exitCode != null) {
      return;
    }
    boolean allEnded = tasks.values().stream().allMatch(t -> t.terminal);
    if (shuttingDown && allEnded && (!subscribed || unacknowledged.isEmpty())) {
      exit(subscribed ? shutdownCode : 1, subscribed ? "all tasks ended after shutdown"
          : "all tasks ended; no agent to report to");
      return;
    }
    if (launchedAny && allEnded && unacknowledged.isEmpty()) {
      exit(0, "every task ended and its terminal update was acknowledged");
    }
  }

  private void exit(int code, String why) {
    if (exitCode == null) {
      Log.info("exiting with status " + code + ": " + why);
      exitCode = code;
    }
  }

  /** Last resort at exit: nothing of a task outlives the executor. */
  private void killAllNow() {
    for (TaskRecord t : new ArrayList<>(tasks.values())) {
      ChildProcess p = t.runner.process();
      if (p != null && p.groupAlive()) {
        p.signalGroup(Signal.SIGKILL);
      }
    }
  }

  // --- helpers ---

  private Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type)
        .setFrameworkId(FrameworkID.newBuilder().setValue(agentEnv.frameworkId()))
        .setExecutorId(ExecutorID.newBuilder().setValue(agentEnv.executorId()));
  }

  static ByteString randomUuid() {
    UUID uuid = UUID.randomUUID();
    return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits()).array());
  }


  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
