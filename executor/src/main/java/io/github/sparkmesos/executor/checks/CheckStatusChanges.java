package io.github.sparkmesos.executor.checks;

import io.github.sparkmesos.executor.util.Log;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;

/**
 * Turns probe results into CheckStatusInfo updates, as checker.cpp does: a probe that could not be
 * performed (timed out, could not start) gives the empty status of the check's type ({@code command: {}},
 * {@code http: {}}, {@code tcp: {}}), and a status goes out only when it differs from the previous one,
 * which starts as that empty status.
 */
final class CheckStatusChanges {

  private final String name;
  private final CheckStatusInfo empty;
  private final Consumer<CheckStatusInfo> sink;
  private CheckStatusInfo previous;

  CheckStatusChanges(String name, CheckInfo.Type type, Consumer<CheckStatusInfo> sink) {
    this.name = name;
    this.empty = empty(type);
    this.sink = sink;
    this.previous = empty;
  }

  /** Called on the probe's thread, one result at a time. */
  void accept(ProbeResult result) {
    CheckStatusInfo status;
    if (result instanceof ProbeResult.Performed performed) {
      status = performed.status();
    } else {
      Log.warn(name + " failed: " + ((ProbeResult.Failed) result).why());
      status = empty;
    }
    if (!status.equals(previous)) {
      previous = status;
      sink.accept(status);
    }
  }

  static CheckStatusInfo empty(CheckInfo.Type type) {
    CheckStatusInfo.Builder status = CheckStatusInfo.newBuilder().setType(type);
    switch (type) {
      case COMMAND -> status.setCommand(CheckStatusInfo.Command.getDefaultInstance());
      case HTTP -> status.setHttp(CheckStatusInfo.Http.getDefaultInstance());
      case TCP -> status.setTcp(CheckStatusInfo.Tcp.getDefaultInstance());
      default -> throw new IllegalArgumentException("no status for a check of type " + type);
    }
    return status.build();
  }
}
