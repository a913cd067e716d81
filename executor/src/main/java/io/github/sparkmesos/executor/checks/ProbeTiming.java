package io.github.sparkmesos.executor.checks;

import java.time.Duration;
import java.util.Optional;

/** When a probe runs: first after {@code delay}, then {@code interval} after each result; each may last {@code timeout}. */
record ProbeTiming(Duration delay, Duration interval, Optional<Duration> timeout) {

  /** From the protos' seconds; a timeout of 0 means none (checker_process.cpp: "Zero value means infinite timeout"). */
  static ProbeTiming ofSeconds(double delay, double interval, double timeout) {
    return new ProbeTiming(seconds(delay), seconds(interval),
        timeout > 0 ? Optional.of(seconds(timeout)) : Optional.empty());
  }

  static Duration seconds(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }
}
