package io.github.sparkmesos.executor.checks;

import io.github.sparkmesos.executor.task.InvalidTaskException;
import io.github.sparkmesos.executor.util.Log;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.HealthCheck;

/**
 * The running health check and check of one task, with Mesos's semantics (src/checks): each probe runs on
 * its own daemon thread, first after its delay, then an interval after each result; results reach the
 * {@link Listener} one at a time, and none after {@link #pause()} returns.
 */
public final class TaskChecks implements AutoCloseable {

  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final Duration CLOSE_LIMIT = Duration.ofSeconds(5);

  /** What the executor hears. Called on a checks thread; it must not wait for a thread that calls pause(). */
  public interface Listener {

    /** Mesos's TaskHealthStatus: healthy, and kill_task when consecutive failures reached the limit. */
    void healthChanged(boolean healthy, boolean killTask, int consecutiveFailures);

    /** A new CheckStatusInfo, only when it differs from the previous one, as Mesos's checker does. */
    void checkChanged(CheckStatusInfo status);
  }

  /**
   * What a probe needs: the environment of COMMAND probes (the task's; the check's own
   * CommandInfo.environment goes over it) and their working directory (the task's directory). HTTP and TCP
   * probes go to 127.0.0.1, or ::1 for a health check whose protocol is IPv6, as Mesos does.
   *
   * @param command what a COMMAND probe's argv becomes: run as the task's user with its limits
   */
  public record CheckTarget(Map<String, String> environment, Path workingDirectory,
      java.util.function.UnaryOperator<java.util.List<String>> command, Optional<Path> networkNamespace) {
    public CheckTarget {
      environment = Map.copyOf(environment);
      java.util.Objects.requireNonNull(command, "command");
      java.util.Objects.requireNonNull(networkNamespace, "networkNamespace");
    }

    /** A target in the executor's own network namespace. */
    public CheckTarget(Map<String, String> environment, Path workingDirectory,
        java.util.function.UnaryOperator<java.util.List<String>> command) {
      this(environment, workingDirectory, command, Optional.empty());
    }

    /** A target whose COMMAND probes run as the executor runs them. */
    public CheckTarget(Map<String, String> environment, Path workingDirectory) {
      this(environment, workingDirectory, java.util.function.UnaryOperator.identity());
    }
  }

  private final ScheduledThreadPoolExecutor threads;
  private final List<ProbeSchedule> schedules = new CopyOnWriteArrayList<>();
  private final Set<Thread> ownThreads = ConcurrentHashMap.newKeySet();
  private final Object delivery = new Object();
  private boolean paused;

  private TaskChecks(int threadCount) {
    threads = new ScheduledThreadPoolExecutor(Math.max(1, threadCount), r -> {
      Thread t = new Thread(r, "task-checks-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      ownThreads.add(t);
      return t;
    });
    threads.setRemoveOnCancelPolicy(true);
  }

  /** Checks the TaskInfo's health_check and check fields; the exception names the field. */
  public static void validate(Optional<HealthCheck> health, Optional<CheckInfo> check) throws InvalidTaskException {
    if (health.isPresent()) {
      CheckValidation.validate(health.get());
    }
    if (check.isPresent()) {
      CheckValidation.validate(check.get());
    }
  }

  /** Starts them (delays counted from now, i.e. the task's start). Either may be empty; both must be valid. */
  public static TaskChecks start(Optional<HealthCheck> health, Optional<CheckInfo> check, CheckTarget target,
      Listener listener) {
    try {
      validate(health, check);
    } catch (InvalidTaskException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    long startNanos = System.nanoTime();
    TaskChecks checks = new TaskChecks((health.isPresent() ? 1 : 0) + (check.isPresent() ? 1 : 0));
    health.ifPresent(h -> checks.startHealthCheck(h, target, listener, startNanos));
    check.ifPresent(c -> checks.startCheck(c, target, listener));
    return checks;
  }

  private void startHealthCheck(HealthCheck health, CheckTarget target, Listener listener, long startNanos) {
    String name = health.getType() + " health check in " + target.workingDirectory();
    HealthVerdicts verdicts = new HealthVerdicts(name, Integer.toUnsignedLong(health.getConsecutiveFailures()),
        ProbeTiming.seconds(health.getGracePeriodSeconds()), startNanos,
        (healthy, killTask, failures) -> deliver(() -> listener.healthChanged(healthy, killTask, failures)));
    schedule(Probes.forHealthCheck(health, target), Probes.timing(health),
        result -> verdicts.accept(result, System.nanoTime()));
  }

  private void startCheck(CheckInfo check, CheckTarget target, Listener listener) {
    String name = check.getType() + " check in " + target.workingDirectory();
    CheckStatusChanges changes = new CheckStatusChanges(name, check.getType(),
        status -> deliver(() -> listener.checkChanged(status)));
    schedule(Probes.forCheck(check, target), Probes.timing(check), changes::accept);
  }

  private void schedule(Probe probe, ProbeTiming timing, Consumer<ProbeResult> results) {
    ProbeSchedule schedule = new ProbeSchedule(probe, timing, threads, results);
    schedules.add(schedule);
    schedule.start();
  }

  /** Holding the lock while the listener runs is what makes "no result after pause() returns" true. */
  private void deliver(Runnable call) {
    synchronized (delivery) {
      if (paused) {
        return;
      }
      try {
        call.run();
      } catch (RuntimeException e) {
        Log.error("a check listener failed: " + e);
      }
    }
  }

  /**
   * No more results after this returns (a kill began or the task ended); probes in flight are abandoned (a
   * COMMAND probe's process group is killed). Idempotent.
   */
  public void pause() {
    synchronized (delivery) {
      paused = true;
    }
    for (ProbeSchedule schedule : schedules) {
      schedule.stop();
    }
  }

  /** {@link #pause()}, then the threads end (waiting a little for abandoned probes, unless called on one). */
  @Override
  public void close() {
    pause();
    threads.shutdownNow();
    if (ownThreads.contains(Thread.currentThread())) {
      return;
    }
    try {
      threads.awaitTermination(CLOSE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
