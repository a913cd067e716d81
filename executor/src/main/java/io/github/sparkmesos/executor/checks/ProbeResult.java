package io.github.sparkmesos.executor.checks;

import org.apache.mesos.v1.Protos.CheckStatusInfo;

/**
 * What one probe gave: a status (the probe ran: an exit code, an HTTP status, whether a TCP connection
 * opened), or a failure to run it at all (timed out, could not start, the connection broke), Mesos's
 * {@code Try<CheckStatusInfo>}.
 */
sealed interface ProbeResult {

  record Performed(CheckStatusInfo status) implements ProbeResult {}

  record Failed(String why) implements ProbeResult {}
}
