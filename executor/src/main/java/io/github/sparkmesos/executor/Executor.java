package io.github.sparkmesos.executor;

import com.google.protobuf.ByteString;
import io.github.sparkmesos.executor.mesos.AgentConnection;
import io.github.sparkmesos.executor.mesos.AgentEnvironment;
import io.github.sparkmesos.executor.mesos.CommandExecutorFlags;
import io.github.sparkmesos.executor.mesos.DockerExecutorFlags;
import io.github.sparkmesos.executor.mesos.TaskStates;
import io.github.sparkmesos.executor.pipeline.TaskPipeline;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.fetcher.Fetcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The executor: one loop thread owns all state and handles, in order, the agent's events, the
 * pipelines' state changes and the timers. The agent session, the status updates and the task table
 * are its parts; this class dispatches between them and decides when to leave: once the last
 * terminal update is acknowledged, or when the agent is lost.
 */
public final class Executor {

  static final Duration HEARTBEAT_INTERVAL = Duration.ofMinutes(30);

  private final AgentEnvironment agentEnv;
  private final AgentConnection agent;
  private final Timers timers;
  /** As one of the agent's own executors, the message that fails a second task; null otherwise. */
  private final String secondTask;
  private final TaskLaunches launches;
  private final AgentSession session;
  private final StatusUpdates updates;
  private final TaskTable tasks = new TaskTable();
  private final TaskReports reports;

  /** Every pipeline started, for the exit hook, which runs on a thread of its own. */
  private final List<TaskPipeline> started = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
  private final ExecutorService pipelines = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "task");
    t.setDaemon(true);
    return t;
  });

  // --- state, touched only on the loop thread ---
  private FrameworkInfo framework;
  private boolean shuttingDown;
  private int shutdownCode;
  private Timers.Scheduled terminalAckTimer;
  private Integer exitCode;

  /** @param flags the agent's command line when it runs this executor as its command executor, else NONE */
  Executor(AgentEnvironment agentEnv, AgentConnection agent, Map<String, String> processEnvironment, Fetcher fetcher,
      Timers timers, CommandExecutorFlags flags, Optional<DockerExecutorFlags> dockerExecutor) {
    this.agentEnv = agentEnv;
    this.agent = agent;
    this.timers = timers;
    this.launches = new TaskLaunches(agentEnv, flags, dockerExecutor, processEnvironment, fetcher);
    this.secondTask = launches.secondTaskRefusal();
    Calls calls = new Calls(agentEnv.frameworkId(), agentEnv.executorId());
    this.updates = new StatusUpdates(agentEnv.executorId(), agent, calls, timers);
    this.reports = new TaskReports(tasks, updates, t -> killTask(t, t.killGrace()));
    this.session = new AgentSession(agentEnv, agent, calls, timers, this::post, new SessionEvents());
    agentEnv.authenticationToken().ifPresent(Log.redactor()::add);
  }

  /** Runs until the executor is done; returns the process exit code. */
  public int run() {
    Log.info("executor " + agentEnv.executorId() + " of framework " + agentEnv.frameworkId() + " subscribing to "
        + agentEnv.agentUrl() + " (" + agent.format().mediaType() + ", checkpoint " + agentEnv.checkpoint() + ")");
    Thread hook = new Thread(this::killAllNow, "executor-exit");
    Runtime.getRuntime().addShutdownHook(hook);
    session.subscribe();
    scheduleHeartbeat();
    while (exitCode == null) {
      try {
        inbox.take().run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exit(1, "interrupted");
      } catch (RuntimeException e) {
        // one bad event or handler must not wedge the executor
        Log.error("executor loop: " + e);
        e.printStackTrace();
      }
    }
    killAllNow();
    launches.close();
    session.close();
    timers.shutdown();
    updates.close();
    agent.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException ignored) {
      // already shutting down
    }
    return exitCode;
  }

  /** Queues an action for the loop thread. */
  void post(Runnable action) {
    inbox.add(action);
  }

  private void scheduleHeartbeat() {
    timers.schedule(HEARTBEAT_INTERVAL, () -> post(() -> {
      updates.heartbeat();
      scheduleHeartbeat();
    }));
  }

  /** The session's news, on the loop thread. */
  private final class SessionEvents implements AgentSession.Listener {
    @Override
    public Call.Subscribe.Builder subscribeCall() {
      return Call.Subscribe.newBuilder().addAllUnacknowledgedUpdates(updates.unacknowledged())
          .addAllUnacknowledgedTasks(tasks.unacknowledged());
    }

    @Override
    public void subscribed(Event.Subscribed subscribed, Set<ByteString> replayed) {
      framework = subscribed.getFrameworkInfo();
      Log.info("subscribed to agent " + subscribed.getAgentInfo().getHostname()
          + (replayed.isEmpty() ? "" : "; replayed " + replayed.size() + " unacknowledged update(s)"));
      updates.connected(replayed);
      if (tasks.allTerminal() && !updates.allAcknowledged() && !tasks.isEmpty()) {
        armTerminalAckTimer(); // a new agent gets the whole fail-safe period again
      }
      checkDone();
    }

    @Override
    public void event(Event event) {
      dispatch(event);
    }

    @Override
    public void disconnected() {
      updates.disconnected();
    }

    @Override
    public void lost(String reason) {
      updates.disconnected();
      Log.warn(reason + ": shutting down");
      shutdown(shutdownKillGrace(), 1);
    }
  }

  private void dispatch(Event event) {
    switch (event.getType()) {
      case LAUNCH -> launch(event.getLaunch().getTask(), null);
      case LAUNCH_GROUP -> {
        if (secondTask != null) {
          // as Mesos's command and Docker executors: a task group goes only to a default executor
          Log.error("LAUNCH_GROUP is not for the agent's command or Docker executor: shutting down");
          shutdown(shutdownKillGrace(), 1);
          return;
        }
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

  // --- tasks ---

  private void launch(TaskInfo task, String group) {
    String taskId = task.getTaskId().getValue();
    if (tasks.contains(taskId)) {
      Log.warn("ignoring a second LAUNCH of task " + taskId);
      return;
    }
    Log.info("LAUNCH task " + taskId + (group == null ? "" : " (task group)"));
    if (secondTask != null && !tasks.isEmpty()) {
      tasks.add(task, null, group);
      taskStatus(taskId, TaskState.TASK_FAILED, null, secondTask);
      return;
    }
    TaskPipeline pipeline;
    try {
      pipeline = launches.prepare(task, group, framework, new PipelineReporter(taskId, this::post, reports, this::taskStatus, this::taskStatus));
    } catch (TaskLaunches.Refused e) {
      tasks.add(task, null, group);
      taskStatus(taskId, TaskState.TASK_FAILED, e.reason, e.getMessage());
      return;
    }
    LaunchPlan plan = pipeline.plan();
    boolean broken = tasks.groupBroken(group);
    TaskTable.Entry entry = tasks.add(task, pipeline, group);
    if (shuttingDown || broken) {
      pipeline.kill(Duration.ZERO);
    } else if (plan.maxCompletionTime().isPresent()) {
      Duration limit = plan.maxCompletionTime().get();
      entry.completionTimer = timers.schedule(limit, () -> post(() -> completionTimeReached(taskId, limit)));
    }
    started.add(pipeline);
    pipelines.submit(pipeline);
  }

  /** As Mesos's executors: killed at once, without TASK_KILLING, and failed with its own reason. */
  private void completionTimeReached(String taskId, Duration limit) {
    TaskTable.Entry t = tasks.get(taskId);
    if (t == null || t.terminal() || t.killing) {
      return;
    }
    Log.info("task " + taskId + " ran past its max_completion_time of " + limit.toMillis() + " ms: killing it");
    t.killing = true;
    t.pipeline.expire();
  }

  private void kill(Event.Kill kill) {
    String taskId = kill.getTaskId().getValue();
    TaskTable.Entry t = tasks.get(taskId);
    if (t == null) {
      Log.warn("KILL for unknown task " + taskId + " (ignored)");
      return;
    }
    if (t.terminal()) {
      Log.info("KILL for task " + taskId + ", which already ended (ignored)");
      return;
    }
    Duration grace = TaskTable.killGrace(t, kill);
    Log.info("KILL task " + taskId + " (grace " + grace.toMillis() + " ms)");
    killTask(t, grace);
  }

  /** TASK_KILLING first when the framework understands it, then the kill itself. */
  private void killTask(TaskTable.Entry t, Duration grace) {
    if (t.completionTimer != null) {
      t.completionTimer.cancel();
    }
    if (!t.killing && killingStateCapable()) {
      taskStatus(t.id(), TaskState.TASK_KILLING, null, "Killing the task (grace period " + grace.toMillis() + " ms)");
    }
    t.killing = true;
    t.pipeline.kill(grace);
  }

  private boolean killingStateCapable() {
    return framework != null && framework.getCapabilitiesList().stream()
        .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
  }

  private void acknowledged(Event.Acknowledged ack) {
    TaskTable.Entry t = tasks.get(ack.getTaskId().getValue());
    if (t != null) {
      t.acknowledged = true;
    }
    if (!updates.acknowledge(ack.getUuid())) {
      Log.info("ACKNOWLEDGED for an update no longer pending (task " + ack.getTaskId().getValue() + ")");
    }
    checkDone();
  }

  private void taskStatus(String taskId, TaskState state, TaskStatus.Reason reason, String message) {
    taskStatus(reports.status(taskId, state, reason, message), state);
  }

  /** After the update of {@code t} (null: none was made): a group's siblings, the acknowledgement timer, the exit. */
  private void taskStatus(TaskTable.Entry t, TaskState state) {
    if (t == null) {
      return;
    }
    boolean terminal = TaskStates.isTerminal(state);
    if (terminal) {
      if (!shuttingDown && (state == TaskState.TASK_FAILED || state == TaskState.TASK_KILLED)) {
        for (TaskTable.Entry sibling : tasks.liveSiblings(t)) {
          Log.info("killing task " + sibling.id() + ": task " + t.id() + " of its group ended");
          killTask(sibling, sibling.killGrace());
        }
      }
      if (tasks.allTerminal()) {
        armTerminalAckTimer();
      }
    }
    checkDone();
  }

  /** As Mesos's own executors: give up on the terminal updates' acknowledgements after a while. */
  private void armTerminalAckTimer() {
    if (terminalAckTimer != null) {
      terminalAckTimer.cancel();
    }
    terminalAckTimer = timers.schedule(StatusUpdates.TERMINAL_ACK_TIMEOUT, () -> post(() -> {
      if (tasks.allTerminal() && !updates.allAcknowledged()) {
        exit(1, "no acknowledgement of " + updates.pending() + " update(s) within "
            + StatusUpdates.TERMINAL_ACK_TIMEOUT.toSeconds() + "s");
      }
    }));
  }

  // --- ending ---

  /** Kills every task; the executor exits once they all ended and their updates are acknowledged. */
  private void shutdown(Duration grace, int code) {
    if (!shuttingDown) {
      shuttingDown = true;
      shutdownCode = code;
      for (TaskTable.Entry t : tasks.all()) {
        if (!t.terminal()) {
          killTask(t, grace);
        }
      }
      // the agent destroys the container after its shutdown grace period: leave before
      timers.schedule(agentEnv.shutdownGracePeriod(), () -> post(() -> exit(
          shutdownCode == 0 && updates.allAcknowledged() ? 0 : 1, "shutdown grace period over")));
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
    boolean allEnded = tasks.allTerminal();
    boolean subscribed = session.subscribed();
    if (shuttingDown && allEnded && (!subscribed || updates.allAcknowledged())) {
      exit(subscribed ? shutdownCode : 1, subscribed ? "all tasks ended after shutdown"
          : "all tasks ended; no agent to report to");
      return;
    }
    if (!tasks.isEmpty() && allEnded && updates.allAcknowledged()) {
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
    started.forEach(TaskPipeline::killNow);
  }
}
