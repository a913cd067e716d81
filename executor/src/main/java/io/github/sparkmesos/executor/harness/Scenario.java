package io.github.sparkmesos.executor.harness;

import io.github.sparkmesos.executor.mesos.Durations;
import io.github.sparkmesos.executor.util.Log;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * When things happen to the executor: KILL, SHUTDOWN and agent restarts timed from the first
 * TASK_RUNNING (or asked for), the registration timeout from the start, and the steps of a restart.
 */
final class Scenario {

  private final HarnessOptions options;
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "harness-timers");
    t.setDaemon(true);
    return t;
  });
  private Agent agent;
  private boolean restartScheduled;

  Scenario(HarnessOptions options) {
    this.options = options;
  }

  void attach(Agent agent) {
    this.agent = agent;
  }

  /** The executor was started. */
  void executorStarted() {
    at(options.executorRegistrationTimeout(), () -> agent.registrationTimeout());
  }

  /** Kill, shutdown and restart are timed from a task's first TASK_RUNNING. */
  synchronized void firstRunning(TaskStatus status) {
    options.killAfter().ifPresent(d -> at(d, () -> kill(status.getTaskId().getValue())));
    options.shutdownAfter().ifPresent(d -> at(d, this::shutdown));
    if (options.restartAgentAfter().isPresent() && !restartScheduled) {
      restartScheduled = true;
      Duration d = options.restartAgentAfter().get();
      if (d.isZero()) {
        restart(); // before the ACK of this TASK_RUNNING goes out
      } else {
        at(d, this::restart);
      }
    }
  }

  void kill(String taskId) {
    agent.kill(taskId);
  }

  void shutdown() {
    agent.shutdown();
    at(options.shutdownGracePeriod(), () -> agent.shutdownGracePeriodOver());
  }

  /**
   * Down (connections refused) for the first quarter of --restart-duration, routes missing (404) for
   * the second, containers recovering (503) for the last half; then SUBSCRIBE is taken for
   * --executor-reregistration-timeout, after which the agent is up.
   */
  void restart() {
    Duration total = options.restartDuration();
    Duration quarter = total.dividedBy(4);
    Log.info("agent restarting for " + Durations.format(total) + ", then waiting "
        + Durations.format(options.executorReregistrationTimeout()) + " for the executor to re-subscribe");
    agent.agentDown();
    at(quarter, () -> agent.routesMissing());
    at(quarter.multipliedBy(2), () -> agent.recoverContainers());
    at(total, () -> agent.awaitReregistration());
    at(total.plus(options.executorReregistrationTimeout()), () -> agent.reregistrationTimeout());
  }

  void stop() {
    timers.shutdownNow();
  }

  private void at(Duration delay, Runnable action) {
    timers.schedule(() -> {
      try {
        action.run();
      } catch (RuntimeException e) {
        Log.error("harness: " + e);
      }
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
  }
}
