package io.github.sparkmesos.executor;

import io.github.sparkmesos.executor.mesos.TaskStates;
import io.github.sparkmesos.executor.util.Log;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos.CheckInfo;
import java.util.List;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.ContainerStatus;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * A task's updates as Mesos's command executor fills them (src/launcher/executor.cpp): one state at
 * a time and exactly one terminal; every update of a task with a check carries a check_status (empty
 * until the check has a result); a health or check change is a TASK_RUNNING copy of the last update
 * with the new {@code healthy} or {@code check_status}, none once a kill began; a task its health
 * check killed ends with {@code healthy: false}. On the executor's loop thread.
 */
final class TaskReports {

  private final TaskTable tasks;
  private final StatusUpdates updates;
  private final Consumer<TaskTable.Entry> killUnhealthy;

  /** @param killUnhealthy kills a task whose health check failed too often, with its own kill grace */
  TaskReports(TaskTable tasks, StatusUpdates updates, Consumer<TaskTable.Entry> killUnhealthy) {
    this.tasks = tasks;
    this.updates = updates;
    this.killUnhealthy = killUnhealthy;
  }

  /** Reports a pipeline's state; returns the task when an update was made, null when it was dropped. */
  TaskTable.Entry status(String taskId, TaskState state, TaskStatus.Reason reason, String message) {
    return status(taskId, state, reason, message, List.of());
  }

  /**
   * TASK_RUNNING with the addresses its container has on its networks in
   * {@code container_status.network_infos}, as Mesos's Docker executor reports them, with the name and
   * labels of the task's first NetworkInfo.
   */
  TaskTable.Entry running(String taskId, String message, List<String> addresses) {
    return status(taskId, TaskState.TASK_RUNNING, null, message, addresses);
  }

  private TaskTable.Entry status(String taskId, TaskState state, TaskStatus.Reason reason, String message,
      List<String> addresses) {
    TaskTable.Entry t = tasks.get(taskId);
    if (t == null || t.terminal()) {
      return null; // exactly one terminal update per task
    }
    boolean terminal = TaskStates.isTerminal(state);
    if (t.killing && !terminal) {
      return null; // a pipeline's TASK_RUNNING that crossed the KILL must not follow TASK_KILLING
    }
    t.state = state;
    TaskStatus.Builder status = TaskStatus.newBuilder().setTaskId(t.info.getTaskId()).setState(state);
    if (reason != null) {
      status.setReason(reason);
    }
    if (message != null) {
      status.setMessage(message);
    }
    if (t.info.hasCheck()) {
      status.setCheckStatus(emptyCheckStatus(t.info.getCheck().getType()));
    }
    if (!addresses.isEmpty()) {
      status.setContainerStatus(containerStatus(t.info, addresses));
    }
    if (terminal && t.killedByHealthCheck) {
      status.setHealthy(false);
    }
    if (terminal && t.completionTimer != null) {
      t.completionTimer.cancel();
    }
    send(t, status);
    Log.info("task " + taskId + " is " + state + (reason == null ? "" : " (" + reason + ")")
        + (message == null ? "" : ": " + message));
    return t;
  }

  /** The health check's verdict; past its consecutive failures the task is killed. */
  void health(String taskId, boolean healthy, boolean killTask) {
    TaskTable.Entry t = running(taskId);
    if (t == null) {
      return;
    }
    send(t, t.last.toBuilder().setHealthy(healthy).setReason(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED));
    if (killTask) {
      Log.info("task " + taskId + " failed its health check too many times in a row: killing it");
      t.killedByHealthCheck = true;
      killUnhealthy.accept(t);
    }
  }

  /** The check's new status. */
  void check(String taskId, CheckStatusInfo status) {
    TaskTable.Entry t = running(taskId);
    if (t != null) {
      send(t, t.last.toBuilder().setCheckStatus(status).setReason(TaskStatus.Reason.REASON_TASK_CHECK_STATUS_UPDATED));
    }
  }

  /** The task, if it has reported and no kill began nor did it end. */
  private TaskTable.Entry running(String taskId) {
    TaskTable.Entry t = tasks.get(taskId);
    return t == null || t.terminal() || t.killing || t.last == null ? null : t;
  }

  private void send(TaskTable.Entry t, TaskStatus.Builder status) {
    t.last = updates.add(status);
  }

  private static ContainerStatus containerStatus(TaskInfo task, List<String> addresses) {
    NetworkInfo.Builder network = NetworkInfo.newBuilder();
    if (task.getContainer().getNetworkInfosCount() > 0) {
      NetworkInfo asked = task.getContainer().getNetworkInfos(0);
      if (asked.hasName()) {
        network.setName(asked.getName());
      }
      if (asked.hasLabels()) {
        network.setLabels(asked.getLabels());
      }
    }
    for (String ip : addresses) {
      network.addIpAddresses(NetworkInfo.IPAddress.newBuilder().setIpAddress(ip)
          .setProtocol(ip.contains(":") ? NetworkInfo.Protocol.IPv6 : NetworkInfo.Protocol.IPv4));
    }
    return ContainerStatus.newBuilder().addNetworkInfos(network).build();
  }

  private static CheckStatusInfo emptyCheckStatus(CheckInfo.Type type) {
    CheckStatusInfo.Builder status = CheckStatusInfo.newBuilder().setType(type);
    switch (type) {
      case COMMAND -> status.setCommand(CheckStatusInfo.Command.getDefaultInstance());
      case HTTP -> status.setHttp(CheckStatusInfo.Http.getDefaultInstance());
      case TCP -> status.setTcp(CheckStatusInfo.Tcp.getDefaultInstance());
      default -> { }
    }
    return status.build();
  }
}
