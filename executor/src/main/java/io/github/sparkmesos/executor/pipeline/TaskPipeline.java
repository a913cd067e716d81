package io.github.sparkmesos.executor.pipeline;

import io.github.sparkmesos.executor.checks.TaskChecks;
import io.github.sparkmesos.executor.runtime.RunningTask;
import io.github.sparkmesos.executor.runtime.TaskRuntime;
import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.fetcher.Fetcher;
import io.github.sparkmesos.os.ExitStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;

/**
 * Runs one validated task through its stages on its own thread: prepare its directory, fetch,
 * resolve secrets, start it in its runtime, supervise it to its end (with its health check and
 * check, and its max_completion_time). Reports each state exactly once and exactly one terminal state; a stage that fails undoes what the earlier ones made (the task's
 * stdout and stderr stay, they say what happened).
 */
public final class TaskPipeline implements Runnable {

  private final LaunchPlan plan;
  private final TaskRuntime runtime;
  private final Fetcher fetcher;
  private final String fetchUser;
  private final Duration killGrace;
  private final TaskReporter reporter;
  private final SecretSupply secrets;
  private final TaskLog log;

  private Thread thread;
  private RunningTask running;
  private Duration pendingKillGrace;
  private boolean killRequested;
  private boolean overMaxCompletionTime;
  private TaskChecks checks;

  /**
   * @param fetchUser whose fetches these are (the framework's user)
   * @param killGrace the task's kill grace (its plan's, else the executor's default)
   * @param secrets   where the task's secrets are resolved from and its file secrets written
   */
  public TaskPipeline(LaunchPlan plan, TaskRuntime runtime, Fetcher fetcher, String fetchUser, Duration killGrace,
      TaskReporter reporter, SecretSupply secrets) {
    this.plan = plan;
    this.runtime = runtime;
    this.fetcher = fetcher;
    this.fetchUser = fetchUser;
    this.killGrace = killGrace;
    this.reporter = reporter;
    this.secrets = secrets;
    this.log = new TaskLog(plan.taskId(), plan.directory(), plan.inSandbox());
  }

  public LaunchPlan plan() {
    return plan;
  }

  /**
   * Kills the task: before its command started, it ends as TASK_KILLED without starting; after, the
   * runtime terminates it and kills it after {@code grace} (which a later call may only shorten).
   */
  public synchronized void kill(Duration grace) {
    killRequested = true;
    pauseChecks();
    if (running != null) {
      running.kill(grace);
    } else {
      pendingKillGrace = pendingKillGrace == null || grace.compareTo(pendingKillGrace) < 0 ? grace : pendingKillGrace;
      if (thread != null) {
        thread.interrupt(); // ends a fetch in progress
      }
    }
  }

  /**
   * The task ran past its max_completion_time: it is killed at once, and fails with
   * REASON_MAX_COMPLETION_TIME_REACHED, as Mesos's executors do.
   */
  public synchronized void expire() {
    overMaxCompletionTime = true;
    kill(Duration.ZERO);
  }

  /** The executor is leaving: nothing of the task may outlive it. */
  public synchronized void killNow() {
    killRequested = true;
    pauseChecks();
    if (running != null) {
      running.killNow();
    }
  }

  private synchronized boolean killRequested() {
    return killRequested;
  }

  private synchronized boolean overMaxCompletionTime() {
    return overMaxCompletionTime;
  }

  private synchronized void pauseChecks() {
    if (checks != null) {
      checks.pause(); // as Mesos: no health or check result once a kill began or the task ended
    }
  }

  @Override
  public void run() {
    synchronized (this) {
      thread = Thread.currentThread();
    }
    try {
      runStages();
    } catch (RuntimeException | Error e) {
      Log.error("task " + plan.taskId() + ": unexpected failure: " + e);
      reporter.status(TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LAUNCH_FAILED,
          "Executor failed to run the task: " + e);
    } finally {
      synchronized (this) {
        if (checks != null) {
          checks.close();
        }
      }
      Thread.interrupted();
    }
  }

  private void runStages() {
    reporter.status(TaskState.TASK_STARTING, null, "Preparing the task");
    Deque<Undo> undo = new ArrayDeque<>();
    DeliverSecretsStep.Delivered delivered = null;
    try {
      PrepareDirectoryStep.run(plan);
      for (String warning : plan.warnings()) {
        log.note("WARNING: " + warning);
      }
      undo.push(new FetchStep(fetcher, fetchUser, log, reporter, this::killRequested).run(plan));
      delivered = DeliverSecretsStep.run(plan, ResolveSecretsStep.run(plan, secrets), secrets, log);
      undo.push(delivered);
      LaunchPlan resolved = delivered.plan();
      // before the start, outside this pipeline's lock: a KILL while an image is pulled ends the task at once
      runtime.prepare(resolved, line -> reporter.status(TaskState.TASK_STARTING, null, line));
      undo.push(() -> runtime.abandon(resolved));
      RunningTask started;
      synchronized (this) {
        if (killRequested) {
          undoAll(undo);
          reportKilledBeforeStart("before its command started");
          return;
        }
        started = StartStep.run(runtime, resolved, log);
        running = started;
        Thread.interrupted(); // a kill's interrupt meant for a fetch must not break the waits below
      }
      reporter.running("Command started as " + started.id(), started.addresses());
      startChecks(started);
      ExitStatus exit = SuperviseStep.run(started, this::lingerGrace, log);
      pauseChecks();
      delivered.close(); // before the terminal update: the executor may exit as soon as that is sent
      ExitMapping.Terminal end = overMaxCompletionTime()
          ? ExitMapping.overMaxCompletionTime(exit, started.kind(), plan.maxCompletionTime().orElse(Duration.ZERO))
          : ExitMapping.of(exit, started.kind(), started.oomKilled(), killRequested(), log.stderr());
      log.note(end.message()); // before the terminal update: once it is acknowledged the sandbox may go
      reporter.status(end.state(), end.reason(), end.message());
    } catch (FetchStep.Killed e) {
      reportKilledBeforeStart("while fetching its URIs");
    } catch (LaunchFailedException e) {
      undoAll(undo);
      if (killRequested()) {
        reportKilledBeforeStart("while it was prepared (" + e.getMessage() + ")"); // a kill cut a pull short
      } else {
        reporter.status(TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LAUNCH_FAILED, e.getMessage());
      }
    } finally {
      if (delivered != null) {
        delivered.close(); // an unexpected failure too leaves no secret file behind
      }
    }
  }

  private void reportKilledBeforeStart(String when) {
    if (overMaxCompletionTime()) {
      reporter.status(TaskState.TASK_FAILED, Reason.REASON_MAX_COMPLETION_TIME_REACHED, "Task killed " + when
          + ": it ran past its max_completion_time of "
          + io.github.sparkmesos.executor.mesos.Durations.format(plan.maxCompletionTime().orElse(Duration.ZERO)));
    } else {
      reporter.status(TaskState.TASK_KILLED, null, "Task killed " + when);
    }
  }

  /** The task's health check and check, from its start, with the task's environment and directory. */
  private void startChecks(RunningTask started) {
    if (plan.healthCheck().isEmpty() && plan.check().isEmpty()) {
      return;
    }
    TaskChecks.Listener listener = new TaskChecks.Listener() {
      @Override
      public void healthChanged(boolean healthy, boolean killTask, int consecutiveFailures) {
        reporter.health(healthy, killTask);
      }

      @Override
      public void checkChanged(CheckStatusInfo status) {
        reporter.check(status);
      }
    };
    synchronized (this) {
      if (!killRequested) {
        checks = TaskChecks.start(plan.healthCheck(), plan.check(),
            new TaskChecks.CheckTarget(started.environment(), plan.directory(), started::checkCommand,
                started.networkNamespace()),
            listener);
      }
    }
  }

  private synchronized Duration lingerGrace() {
    return pendingKillGrace != null ? pendingKillGrace : killGrace;
  }

  private static void undoAll(Deque<Undo> undo) {
    while (!undo.isEmpty()) {
      undo.pop().run();
    }
  }
}
