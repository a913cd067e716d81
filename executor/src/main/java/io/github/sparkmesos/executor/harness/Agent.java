package io.github.sparkmesos.executor.harness;

import com.google.protobuf.ByteString;
import io.github.sparkmesos.executor.mesos.Durations;
import io.github.sparkmesos.executor.mesos.WireFormat;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.os.ExitStatus;
import io.github.sparkmesos.os.ProcessTable;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskGroupInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The agent's side of the protocol for one executor (src/slave/slave.cpp): SUBSCRIBED and the queued
 * tasks on the first SUBSCRIBE, replayed updates, acknowledgements, KILL and SHUTDOWN, the recovery
 * steps of a restart, the registration and re-registration timeouts, and the updates the agent (or
 * the master) sends itself when the executor's container is gone.
 */
final class Agent implements AgentApi.Handler {

  /** The state, reason and message the agent gives the tasks of a container it destroyed. */
  private record Termination(TaskState state, TaskStatus.Reason reason, String message) {}

  private final HarnessOptions options;
  private final TaskFile taskFile;
  private final ExecutorInfo executorInfo;
  private final String executorId;
  private final String containerId;
  private final Verdict verdict;
  private final Consumer<TaskStatus> onFirstRunning;
  private AgentApi api;
  private Container container;

  // guarded by this
  private final Set<ByteString> seen = new HashSet<>();
  private final Set<ByteString> ackDelivered = new HashSet<>();
  private final Set<String> running = new HashSet<>();
  private boolean launched;
  private int subscriptions;
  private long firstSubscribeNanos;
  private boolean frameworkTerminating;
  private Termination pendingTermination;

  Agent(HarnessOptions options, TaskFile taskFile, ExecutorInfo executorInfo, String containerId, Verdict verdict,
      Consumer<TaskStatus> onFirstRunning) {
    this.options = options;
    this.taskFile = taskFile;
    this.executorInfo = executorInfo;
    this.executorId = executorInfo.getExecutorId().getValue();
    this.containerId = containerId;
    this.verdict = verdict;
    this.onFirstRunning = onFirstRunning;
  }

  void attach(AgentApi api) {
    this.api = api;
  }

  synchronized void attach(Container container) {
    this.container = container;
  }

  /** System.nanoTime() when the first SUBSCRIBE was accepted (its LAUNCH follows at once), 0 before. */
  synchronized long firstSubscribeNanos() {
    return firstSubscribeNanos;
  }

  synchronized int subscriptions() {
    return subscriptions;
  }

  // --- calls from the executor ---

  @Override
  public synchronized void subscribed(Call.Subscribe subscribe, WireFormat format) {
    if (subscriptions++ == 0) {
      firstSubscribeNanos = System.nanoTime();
    }
    api.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
        .setExecutorInfo(executorInfo)
        .setFrameworkInfo(frameworkInfo())
        .setAgentInfo(AgentInfo.newBuilder().setHostname(Harness.AGENT_HOSTNAME)
            .setId(AgentID.newBuilder().setValue(Harness.AGENT_ID)))
        .setContainerId(ContainerID.newBuilder().setValue(containerId)))
        .build());
    // replayed updates go, unvalidated, into the update path; their ACKs follow SUBSCRIBED
    for (Call.Update u : subscribe.getUnacknowledgedUpdatesList()) {
      String invalid = CallValidation.validateStatus(u.getStatus(), executorId);
      if (invalid != null) {
        verdict.violation("replayed update rejected: " + invalid);
        continue;
      }
      update(u.getStatus());
    }
    if (launched) {
      Set<String> listed = new HashSet<>();
      subscribe.getUnacknowledgedTasksList().forEach(t -> listed.add(t.getTaskId().getValue()));
      for (TaskInfo t : taskFile.tasks()) {
        String id = t.getTaskId().getValue();
        if (!verdict.anyUpdate(id) && !listed.contains(id)) {
          verdict.violation("task " + id + " was launched but is neither in unacknowledged_tasks nor updated"
              + " (the agent would drop it)");
        }
      }
      return;
    }
    launched = true;
    if (taskFile.group()) {
      api.send(Event.newBuilder().setType(Event.Type.LAUNCH_GROUP).setLaunchGroup(Event.LaunchGroup.newBuilder()
          .setTaskGroup(TaskGroupInfo.newBuilder().addAllTasks(taskFile.tasks()))).build());
    } else {
      for (TaskInfo task : taskFile.tasks()) {
        api.send(Event.newBuilder().setType(Event.Type.LAUNCH).setLaunch(Event.Launch.newBuilder().setTask(task))
            .build());
      }
    }
  }

  private FrameworkInfo frameworkInfo() {
    FrameworkInfo.Builder framework = FrameworkInfo.newBuilder()
        .setId(FrameworkID.newBuilder().setValue(Harness.FRAMEWORK_ID))
        .setName("spark-mesos-executor harness").setUser(System.getProperty("user.name"))
        .setCheckpoint(options.checkpoint());
    if (options.taskKillingState()) {
      framework.addCapabilities(capability(FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
    }
    if (options.partitionAware()) {
      framework.addCapabilities(capability(FrameworkInfo.Capability.Type.PARTITION_AWARE));
    }
    return framework.build();
  }

  private static FrameworkInfo.Capability capability(FrameworkInfo.Capability.Type type) {
    return FrameworkInfo.Capability.newBuilder().setType(type).build();
  }

  @Override
  public synchronized void update(TaskStatus status) {
    ByteString uuid = status.getUuid();
    String taskId = status.getTaskId().getValue();
    if (!seen.add(uuid)) {
      if (ackDelivered.contains(uuid)) {
        verdict.violation(status.getState() + " of task " + taskId
            + " was sent again after its acknowledgement was delivered");
      }
      acknowledge(status); // duplicates are acknowledged again, as the agent does
      return;
    }
    if (taskFile.tasks().stream().noneMatch(t -> t.getTaskId().getValue().equals(taskId))) {
      verdict.violation("update for task " + taskId + ", which was never launched");
    }
    if (verdict.isTerminal(taskId)) {
      verdict.violation("task " + taskId + " sent " + status.getState() + " after its terminal "
          + verdict.terminalState(taskId));
      acknowledge(status);
      return;
    }
    verdict.record(status);
    if (status.getState() == TaskState.TASK_RUNNING && running.add(taskId)) {
      onFirstRunning.accept(status); // may restart the agent: then this ACK is lost
    }
    acknowledge(status);
  }

  private void acknowledge(TaskStatus status) {
    if (frameworkTerminating) {
      Log.info("not acknowledging " + status.getState() + " of task " + status.getTaskId().getValue()
          + ": the framework is terminating");
      return;
    }
    Event ack = Event.newBuilder().setType(Event.Type.ACKNOWLEDGED).setAcknowledged(Event.Acknowledged.newBuilder()
        .setTaskId(status.getTaskId()).setUuid(status.getUuid())).build();
    if (api.send(ack)) {
      ackDelivered.add(status.getUuid());
    }
  }

  @Override
  public void message(byte[] data) {
    Log.info("executor message of " + data.length + " bytes");
  }

  @Override
  public void shutdownOnSubscribe() {
    Log.info("SUBSCRIBE of the executor being shut down was answered with SHUTDOWN");
  }

  @Override
  public void rejected(int status, String reason) {
    verdict.violation("the agent API answered " + status + ": " + reason);
  }

  // --- what the framework, master or agent do ---

  /** KILL for a task (with --kill-grace as its kill policy, if given); lost when no stream is open. */
  synchronized void kill(String taskId) {
    if (verdict.isTerminal(taskId)) {
      return;
    }
    Event.Kill.Builder kill = Event.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId));
    options.killGrace().ifPresent(g -> kill.setKillPolicy(KillPolicy.newBuilder()
        .setGracePeriod(DurationInfo.newBuilder().setNanoseconds(g.toNanos()))));
    Log.info("sending KILL for task " + taskId);
    if (!api.send(Event.newBuilder().setType(Event.Type.KILL).setKill(kill).build())) {
      verdict.problem("KILL for task " + taskId + " was lost: the executor was not connected");
    }
  }

  /** SHUTDOWN; from now on a SUBSCRIBE gets SHUTDOWN too, and with --terminating-framework no update is ACKed. */
  synchronized void shutdown() {
    Log.info("sending SHUTDOWN" + (options.terminatingFramework() ? " (the framework is terminating)" : ""));
    frameworkTerminating = options.terminatingFramework();
    api.executorState(AgentApi.ExecutorState.TERMINATING);
    api.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
  }

  /** The shutdown grace period is over: the agent destroys a container still running. */
  synchronized void shutdownGracePeriodOver() {
    if (container.running()) {
      verdict.problem("the executor was still running " + Durations.format(options.shutdownGracePeriod())
          + " after SHUTDOWN; destroying it");
      container.destroy("shutdown grace period over");
    }
  }

  /** The agent process is gone; the master reports the tasks of a non-checkpointing framework lost. */
  synchronized void agentDown() {
    api.phase(AgentApi.Phase.DOWN);
    if (!options.checkpoint()) {
      api.executorState(AgentApi.ExecutorState.UNKNOWN);
      for (TaskInfo task : taskFile.tasks()) {
        if (!verdict.isTerminal(task.getTaskId().getValue())) {
          // Master::removeFramework(Slave*, Framework*) on the agent's disconnection (v0 REASON_SLAVE_DISCONNECTED)
          verdict.record(status(task, TaskState.TASK_LOST, TaskStatus.Reason.REASON_AGENT_DISCONNECTED,
              "Agent localhost disconnected", TaskStatus.Source.SOURCE_MASTER));
        }
      }
    }
  }

  synchronized void routesMissing() {
    api.phase(AgentApi.Phase.STARTING);
  }

  /** The containerizer recovers: containers of frameworks that do not checkpoint are orphans, destroyed. */
  synchronized void recoverContainers() {
    api.phase(AgentApi.Phase.RECOVERING_CONTAINERS);
    if (!options.checkpoint() && container.running()) {
      container.destroy("an orphan at recovery (the framework does not checkpoint)");
    }
  }

  synchronized void awaitReregistration() {
    api.phase(AgentApi.Phase.RECOVERING);
  }

  /** {@code reregisterExecutorTimeout}: an executor that has not re-subscribed is destroyed. */
  synchronized void reregistrationTimeout() {
    if (options.checkpoint() && api.executorState() == AgentApi.ExecutorState.REGISTERING && container.running()) {
      pendingTermination = new Termination(options.partitionAware() ? TaskState.TASK_GONE : TaskState.TASK_LOST,
          TaskStatus.Reason.REASON_EXECUTOR_REREGISTRATION_TIMEOUT, "Executor did not reregister within "
          + Durations.format(options.executorReregistrationTimeout()));
      container.destroy(pendingTermination.message());
    }
    api.phase(AgentApi.Phase.RUNNING);
  }

  /** {@code registerExecutorTimeout}: an executor that never subscribed is destroyed. */
  synchronized void registrationTimeout() {
    if (subscriptions == 0 && !frameworkTerminating && container.running()
        && api.executorState() == AgentApi.ExecutorState.REGISTERING) {
      pendingTermination = new Termination(TaskState.TASK_FAILED,
          TaskStatus.Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT, "Executor did not register within "
          + Durations.format(options.executorRegistrationTimeout()));
      container.destroy(pendingTermination.message());
    }
  }

  /**
   * {@code executorLaunched} with a failed launch (the agent's fetch failed): the executor never ran,
   * its tasks fail with REASON_CONTAINER_LAUNCH_FAILED.
   */
  synchronized void containerLaunchFailed(String message) {
    verdict.problem("the executor's container failed to launch: " + message);
    for (TaskInfo task : taskFile.tasks()) {
      verdict.record(status(task, TaskState.TASK_FAILED, TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED,
          "Failed to launch container: " + message, TaskStatus.Source.SOURCE_AGENT));
    }
  }

  /**
   * {@code executorTerminated}: tasks left non-terminal get the termination the agent caused, else
   * TASK_FAILED (REASON_EXECUTOR_TERMINATED); a process of the run still alive is a violation.
   */
  synchronized void executorTerminated(Optional<ExitStatus> exit) {
    Termination termination = pendingTermination != null ? pendingTermination
        : new Termination(TaskState.TASK_FAILED, TaskStatus.Reason.REASON_EXECUTOR_TERMINATED, "Executor terminated");
    for (TaskInfo task : taskFile.tasks()) {
      String id = task.getTaskId().getValue();
      if (!verdict.isTerminal(id)) {
        verdict.problem("task " + id + " never reached a terminal state"
            + (pendingTermination != null ? ": " + pendingTermination.message() : ""));
        verdict.record(status(task, termination.state(), termination.reason(), termination.message(),
            TaskStatus.Source.SOURCE_AGENT));
      }
    }
    if (exit.isPresent() && !exit.get().isSuccess()) {
      verdict.problem("the executor " + exit.get().describe());
    }
    List<ProcessTable.Entry> left = container.processes();
    for (ProcessTable.Entry p : left) {
      verdict.violation("process " + p.pid() + " (" + p.command() + ") was still running after the executor exited");
    }
    RunProcesses.kill(left);
  }

  private static TaskStatus status(TaskInfo task, TaskState state, TaskStatus.Reason reason, String message,
      TaskStatus.Source source) {
    UUID uuid = UUID.randomUUID();
    return TaskStatus.newBuilder().setTaskId(task.getTaskId()).setState(state).setReason(reason)
        .setSource(source).setMessage(message).setTimestamp(System.currentTimeMillis() / 1000.0)
        .setUuid(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
            .putLong(uuid.getLeastSignificantBits()).array()))
        .build();
  }
}
