package io.github.sparkmesos.executor;

import io.github.sparkmesos.executor.harness.AgentApi;
import io.github.sparkmesos.executor.mesos.AgentConnection;
import io.github.sparkmesos.executor.mesos.AgentEnvironment;
import io.github.sparkmesos.executor.mesos.CommandExecutorFlags;
import io.github.sparkmesos.executor.mesos.DockerExecutorFlags;
import io.github.sparkmesos.executor.mesos.WireFormat;
import io.github.sparkmesos.fetcher.Fetcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskGroupInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The harness's real agent API on loopback with an executor running in this JVM on a manual
 * clock: the executor's timers are tested without spawning its JVM or waiting for time to pass.
 */
final class LoopbackAgent implements AutoCloseable {

  static final String FRAMEWORK = "in-process-framework";
  static final String EXECUTOR = "in-process-executor";

  final ManualTimers timers = new ManualTimers();
  final AgentApi api;
  final LinkedBlockingQueue<TaskStatus> updates = new LinkedBlockingQueue<>();
  /** Every update the executor sent, in order, kept after {@link #await} took them. */
  final List<TaskStatus> allUpdates = new java.util.concurrent.CopyOnWriteArrayList<>();
  final AtomicInteger subscriptions = new AtomicInteger();
  final LinkedBlockingQueue<Call.Subscribe> subscribes = new LinkedBlockingQueue<>();
  final Executor executor;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final List<FrameworkInfo.Capability.Type> capabilities;
  private volatile boolean acknowledge = true;

  LoopbackAgent(Path sandbox, boolean checkpoint, List<FrameworkInfo.Capability.Type> capabilities) throws Exception {
    this(sandbox, checkpoint, capabilities, CommandExecutorFlags.NONE);
  }

  /** @param flags the agent's command line for a command executor */
  LoopbackAgent(Path sandbox, boolean checkpoint, List<FrameworkInfo.Capability.Type> capabilities,
      CommandExecutorFlags flags) throws Exception {
    this(sandbox, checkpoint, capabilities, flags, Optional.empty());
  }

  /** @param docker the agent's command line for its Docker executor */
  LoopbackAgent(Path sandbox, boolean checkpoint, List<FrameworkInfo.Capability.Type> capabilities,
      CommandExecutorFlags flags, Optional<DockerExecutorFlags> docker) throws Exception {
    this(sandbox, checkpoint, capabilities, flags, docker, Map.of());
  }

  /** @param environment the executor's environment beyond PATH (an operator's settings) */
  LoopbackAgent(Path sandbox, Map<String, String> environment) throws Exception {
    this(sandbox, true, List.of(), CommandExecutorFlags.NONE, Optional.empty(), environment);
  }

  /** @param operatorEnvironment what the operator adds to the executor's environment (PATH is always set) */
  LoopbackAgent(Path sandbox, boolean checkpoint, List<FrameworkInfo.Capability.Type> capabilities,
      CommandExecutorFlags flags, Optional<DockerExecutorFlags> docker, Map<String, String> operatorEnvironment)
      throws Exception {
    this.capabilities = capabilities;
    api = new AgentApi(FRAMEWORK, EXECUTOR, Optional.empty(), new AgentApi.Handler() {
      @Override
      public void subscribed(Call.Subscribe subscribe, WireFormat format) {
        onSubscribed(subscribe);
      }

      @Override
      public void update(TaskStatus status) {
        onUpdate(status);
      }

      @Override
      public void message(byte[] data) {}
    });
    api.start();
    AgentEnvironment env = new AgentEnvironment(FRAMEWORK, EXECUTOR, "http://" + api.endpoint() + "/api/v1/executor",
        checkpoint, Duration.ofSeconds(5), Duration.ofMinutes(15), Duration.ofSeconds(2), Optional.empty(), sandbox,
        Optional.empty(), Optional.empty());
    AgentConnection connection = new AgentConnection(env, WireFormat.PROTOBUF);
    Map<String, String> processEnvironment = new java.util.HashMap<>(operatorEnvironment);
    processEnvironment.put("PATH", "/usr/bin:/bin");
    executor = new Executor(env, connection, processEnvironment, new Fetcher(), timers, flags, docker);
    Thread loop = new Thread(() -> exit.complete(executor.run()), "in-process-executor");
    loop.setDaemon(true);
    loop.start();
  }

  /** The agent goes down and comes back recovering its containers: every call gets 503. */
  void restart() {
    api.phase(AgentApi.Phase.DOWN);
    api.phase(AgentApi.Phase.RECOVERING_CONTAINERS);
  }

  /** Stops acknowledging updates, as an agent of a terminating framework. */
  void withholdAcknowledgements() {
    acknowledge = false;
  }

  private void onSubscribed(Call.Subscribe subscribe) {
    subscriptions.incrementAndGet();
    FrameworkInfo.Builder framework = FrameworkInfo.newBuilder().setId(FrameworkID.newBuilder().setValue(FRAMEWORK))
        .setName("in-process").setUser(System.getProperty("user.name"));
    capabilities.forEach(c -> framework.addCapabilities(FrameworkInfo.Capability.newBuilder().setType(c)));
    api.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
        .setExecutorInfo(ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue(EXECUTOR))
            .setType(ExecutorInfo.Type.CUSTOM))
        .setFrameworkInfo(framework)
        .setAgentInfo(AgentInfo.newBuilder().setHostname("localhost")
            .setId(AgentID.newBuilder().setValue("in-process-agent")))).build());
    subscribes.add(subscribe);
    timers.poke();
    subscribe.getUnacknowledgedUpdatesList().forEach(u -> onUpdate(u.getStatus()));
  }

  private void onUpdate(TaskStatus status) {
    allUpdates.add(status);
    updates.add(status);
    if (acknowledge) {
      api.send(Event.newBuilder().setType(Event.Type.ACKNOWLEDGED).setAcknowledged(Event.Acknowledged.newBuilder()
          .setTaskId(status.getTaskId()).setUuid(status.getUuid())).build());
    }
  }

  void launch(TaskInfo task) {
    if (!api.send(Event.newBuilder().setType(Event.Type.LAUNCH).setLaunch(Event.Launch.newBuilder().setTask(task))
        .build())) {
      throw new AssertionError("no subscription to send LAUNCH on");
    }
  }

  /** A KILL of {@code taskId}, as the framework asks for it (the task's own kill policy applies). */
  void kill(String taskId) {
    api.send(Event.newBuilder().setType(Event.Type.KILL).setKill(Event.Kill.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue(taskId))).build());
  }

  void launchGroup(TaskInfo... tasks) {
    api.send(Event.newBuilder().setType(Event.Type.LAUNCH_GROUP).setLaunchGroup(Event.LaunchGroup.newBuilder()
        .setTaskGroup(TaskGroupInfo.newBuilder().addAllTasks(List.of(tasks)))).build());
  }

  /** Waits (at most two minutes) for the next update of {@code taskId} in {@code state}; returns it. */
  TaskStatus await(String taskId, TaskState state) throws InterruptedException {
    List<TaskStatus> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      TaskStatus s = updates.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (s == null) {
        break;
      }
      seen.add(s);
      if (s.getTaskId().getValue().equals(taskId) && s.getState() == state) {
        return s;
      }
    }
    throw new AssertionError("no " + state + " for task " + taskId + "; saw " + seen.stream()
        .map(s -> s.getTaskId().getValue() + ":" + s.getState()).toList());
  }

  /**
   * Waits for an update of {@code taskId} in {@code state} unless one came already: one that {@link #await} of
   * another task took from the queue is still in {@link #allUpdates}.
   */
  void awaitSeen(String taskId, TaskState state) throws InterruptedException {
    if (allUpdates.stream().noneMatch(u -> u.getTaskId().getValue().equals(taskId) && u.getState() == state)) {
      await(taskId, state);
    }
  }

  /**
   * Lets the executor re-subscribe: moves the clock past each backoff it schedules until a SUBSCRIBE
   * arrives (an attempt may fail on the way, and then schedules another backoff).
   */
  Call.Subscribe resubscribe(Duration backoffMax) throws InterruptedException {
    for (int attempt = 0; attempt < 30; attempt++) {
      timers.awaitCondition(() -> !subscribes.isEmpty() || timers.pending(p -> p.delay().compareTo(backoffMax) <= 0));
      Call.Subscribe s = subscribes.poll();
      if (s != null) {
        return s;
      }
      timers.advance(backoffMax);
      timers.awaitCondition(() -> !subscribes.isEmpty() || timers.pending(p -> p.delay().compareTo(backoffMax) <= 0));
    }
    throw new AssertionError("the executor never re-subscribed");
  }

  /** Waits (at most two minutes) for the next SUBSCRIBE. */
  Call.Subscribe awaitSubscribe() throws InterruptedException {
    Call.Subscribe s = subscribes.poll(2, TimeUnit.MINUTES);
    if (s == null) {
      throw new AssertionError("no SUBSCRIBE arrived");
    }
    return s;
  }

  int awaitExit() throws Exception {
    return exit.get(2, TimeUnit.MINUTES);
  }

  boolean exited() {
    return exit.isDone();
  }

  @Override
  public void close() {
    api.stop();
  }
}
