package io.github.sparkmesos.executor.checks;

import io.github.sparkmesos.executor.util.Log;
import java.time.Duration;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CheckStatusInfo;

/**
 * Turns probe results into Mesos's TaskHealthStatus, as health_checker.cpp does: a failure while the task
 * has never been healthy and the grace period (counted from the start) lasts is ignored; every other
 * failure is reported unhealthy, with kill_task once the consecutive failures reach the limit; the first
 * success, and the first after failures, is reported healthy; other successes are not reported.
 */
final class HealthVerdicts {

  /** Where verdicts go: TaskChecks.Listener#healthChanged, through the pause guard. */
  interface Sink {
    void healthChanged(boolean healthy, boolean killTask, int consecutiveFailures);
  }

  private final String name;
  private final long consecutiveFailuresLimit;
  private final Duration gracePeriod;
  private final long startNanos;
  private final Sink sink;
  private boolean initializing = true;
  private int consecutiveFailures;

  HealthVerdicts(String name, long consecutiveFailuresLimit, Duration gracePeriod, long startNanos, Sink sink) {
    this.name = name;
    this.consecutiveFailuresLimit = consecutiveFailuresLimit;
    this.gracePeriod = gracePeriod;
    this.startNanos = startNanos;
    this.sink = sink;
  }

  /** Called on the probe's thread, one result at a time. */
  void accept(ProbeResult result, long nowNanos) {
    Optional<String> failure = result instanceof ProbeResult.Performed performed
        ? problem(performed.status())
        : Optional.of(((ProbeResult.Failed) result).why());
    if (failure.isPresent()) {
      failure(failure.get(), nowNanos);
    } else {
      success();
    }
  }

  /** What makes a performed probe unhealthy: exit code not 0, status not in [200, 400), no connection. */
  static Optional<String> problem(CheckStatusInfo status) {
    return switch (status.getType()) {
      case COMMAND -> status.getCommand().getExitCode() == 0 ? Optional.empty()
          : Optional.of("Command exited with status " + status.getCommand().getExitCode());
      case HTTP -> status.getHttp().getStatusCode() >= 200 && status.getHttp().getStatusCode() < 400
          ? Optional.empty()
          : Optional.of("Unexpected HTTP response code: " + status.getHttp().getStatusCode());
      case TCP -> status.getTcp().getSucceeded() ? Optional.empty() : Optional.of("TCP connection failed");
      default -> Optional.empty();
    };
  }

  private void failure(String why, long nowNanos) {
    // Mesos compares with <=, and a grace period of 0 ignores nothing
    if (initializing && !gracePeriod.isZero() && nowNanos - startNanos <= gracePeriod.toNanos()) {
      Log.info("Ignoring failure of " + name + ": still in grace period (" + why + ")");
      return;
    }
    consecutiveFailures++;
    Log.warn(name + " failed " + consecutiveFailures + " times consecutively: " + why);
    sink.healthChanged(false, consecutiveFailures >= consecutiveFailuresLimit, consecutiveFailures);
  }

  private void success() {
    if (initializing || consecutiveFailures > 0) {
      sink.healthChanged(true, false, 0);
      initializing = false;
    }
    consecutiveFailures = 0;
  }
}
