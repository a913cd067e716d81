package io.github.sparkmesos.executor.checks;

/** One kind of probe (COMMAND, HTTP, TCP), run again and again by a {@link ProbeSchedule}. */
interface Probe {

  /** "COMMAND", "HTTP" or "TCP", for log lines. */
  String kind();

  /** Runs the probe once, within the check's timeout, on the calling thread. Never throws. */
  ProbeResult run();

  /** Ends the probe in flight, if any, and any later {@link #run} at once; its result is not used. */
  void abandon();
}
