package io.github.sparkmesos.executor.checks;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one probe again and again, as Mesos's CheckerProcess: the first run {@code delay} after the start,
 * each next one {@code interval} after the previous result was handed on (not at a fixed rate). Once
 * stopped, the probe in flight is abandoned, its result dropped, and nothing is scheduled again.
 */
final class ProbeSchedule {

  private final Probe probe;
  private final ProbeTiming timing;
  private final ScheduledExecutorService timer;
  private final Consumer<ProbeResult> results;
  private ScheduledFuture<?> next;
  private boolean stopped;

  ProbeSchedule(Probe probe, ProbeTiming timing, ScheduledExecutorService timer, Consumer<ProbeResult> results) {
    this.probe = probe;
    this.timing = timing;
    this.timer = timer;
    this.results = results;
  }

  void start() {
    scheduleIn(timing.delay());
  }

  void stop() {
    synchronized (this) {
      stopped = true;
      if (next != null) {
        next.cancel(false);
      }
    }
    probe.abandon();
  }

  private synchronized void scheduleIn(Duration delay) {
    if (!stopped) {
      next = timer.schedule(this::runOnce, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void runOnce() {
    if (isStopped()) {
      return;
    }
    ProbeResult result;
    try {
      result = probe.run();
    } catch (RuntimeException e) {
      result = new ProbeResult.Failed(e.toString()); // a bug in a probe must not end the schedule
    }
    // checker_process.cpp: a result that comes in while paused is ignored and no next check is scheduled
    if (isStopped()) {
      return;
    }
    try {
      results.accept(result);
    } finally {
      scheduleIn(timing.interval());
    }
  }

  private synchronized boolean isStopped() {
    return stopped;
  }
}
