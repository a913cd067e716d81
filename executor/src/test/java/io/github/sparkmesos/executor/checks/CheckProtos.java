package io.github.sparkmesos.executor.checks;

import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.HealthCheck;

/** Checks with test-sized timing: no delay, a tenth of a second between probes. */
final class CheckProtos {

  private CheckProtos() {}

  static HealthCheck.Builder health(HealthCheck.Type type) {
    return HealthCheck.newBuilder().setType(type).setDelaySeconds(0).setIntervalSeconds(0.1)
        .setTimeoutSeconds(5).setGracePeriodSeconds(0).setConsecutiveFailures(3);
  }

  static HealthCheck.Builder commandHealth(String shell) {
    return health(HealthCheck.Type.COMMAND).setCommand(CommandInfo.newBuilder().setValue(shell));
  }

  static CheckInfo.Builder check(CheckInfo.Type type) {
    return CheckInfo.newBuilder().setType(type).setDelaySeconds(0).setIntervalSeconds(0.1).setTimeoutSeconds(5);
  }

  static CheckInfo.Builder commandCheck(String shell) {
    return check(CheckInfo.Type.COMMAND)
        .setCommand(CheckInfo.Command.newBuilder().setCommand(CommandInfo.newBuilder().setValue(shell)));
  }

  static CheckStatusInfo exitCode(int code) {
    return CheckStatusInfo.newBuilder().setType(CheckInfo.Type.COMMAND)
        .setCommand(CheckStatusInfo.Command.newBuilder().setExitCode(code)).build();
  }

  static CheckStatusInfo httpStatus(int code) {
    return CheckStatusInfo.newBuilder().setType(CheckInfo.Type.HTTP)
        .setHttp(CheckStatusInfo.Http.newBuilder().setStatusCode(code)).build();
  }

  static CheckStatusInfo tcp(boolean succeeded) {
    return CheckStatusInfo.newBuilder().setType(CheckInfo.Type.TCP)
        .setTcp(CheckStatusInfo.Tcp.newBuilder().setSucceeded(succeeded)).build();
  }
}
