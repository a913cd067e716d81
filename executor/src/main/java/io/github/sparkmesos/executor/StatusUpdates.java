package io.github.sparkmesos.executor;

import com.google.protobuf.ByteString;
import io.github.sparkmesos.executor.mesos.AgentConnection;
import io.github.sparkmesos.executor.util.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;

/**
 * The executor's status updates: each gets a fresh 16-byte UUID and SOURCE_EXECUTOR, is kept until
 * the agent acknowledges it, and is replayed in every SUBSCRIBE. One sender thread POSTs them in
 * order; a failed POST is retried there (before any later update) while the subscription lasts,
 * else the update waits for the next SUBSCRIBE. A duplicate is harmless: the agent dedupes by UUID.
 * Called on the executor's loop thread, except the sender.
 */
final class StatusUpdates {

  private final String executorId;
  private final AgentConnection agent;
  private final Calls calls;
  private final Timers timers;
  private final LinkedHashMap<ByteString, Call.Update> unacknowledged = new LinkedHashMap<>();
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "sender");
    t.setDaemon(true);
    return t;
  });
  /** Which subscription the sender may still retry on; changes on every (dis)connection. */
  private volatile int session;
  private volatile boolean connected;

  StatusUpdates(String executorId, AgentConnection agent, Calls calls, Timers timers) {
    this.executorId = executorId;
    this.agent = agent;
    this.calls = calls;
    this.timers = timers;
  }

  /** Makes, keeps and (when connected) sends an update; returns its UUID. */
  ByteString add(String taskId, TaskState state, TaskStatus.Reason reason, String message) {
    TaskStatus.Builder status = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId)).setState(state);
    if (reason != null) {
      status.setReason(reason);
    }
    if (message != null) {
      status.setMessage(message);
    }
    return add(status).getUuid();
  }

  /**
   * Stamps {@code status} (a fresh UUID, the time, SOURCE_EXECUTOR, the executor id; its message
   * redacted), keeps it and (when connected) sends it; returns it as sent.
   */
  TaskStatus add(TaskStatus.Builder status) {
    status.setSource(TaskStatus.Source.SOURCE_EXECUTOR)
        .setExecutorId(ExecutorID.newBuilder().setValue(executorId))
        .setTimestamp(timers.now().toEpochMilli() / 1000.0)
        .setUuid(randomUuid());
    if (status.hasMessage()) {
      status.setMessage(Log.redactor().redact(status.getMessage()));
    }
    Call.Update update = Call.Update.newBuilder().setStatus(status).build();
    unacknowledged.put(status.getUuid(), update);
    if (connected) {
      send(update);
    }
    return update.getStatus();
  }

  /** Forgets an acknowledged update; false when it was not pending. */
  boolean acknowledge(ByteString uuid) {
    return unacknowledged.remove(uuid) != null;
  }

  boolean allAcknowledged() {
    return unacknowledged.isEmpty();
  }

  int pending() {
    return unacknowledged.size();
  }

  /** For SUBSCRIBE: every update not yet acknowledged, oldest first. */
  List<Call.Update> unacknowledged() {
    return new ArrayList<>(unacknowledged.values());
  }

  /** A subscription is up: send what the SUBSCRIBE did not carry (made while it was under way). */
  void connected(Set<ByteString> replayed) {
    session++;
    connected = true;
    for (var e : unacknowledged.entrySet()) {
      if (!replayed.contains(e.getKey())) {
        send(e.getValue());
      }
    }
  }

  void disconnected() {
    session++;
    connected = false;
  }

  /** HEARTBEAT, when connected; a failure only logs. */
  void heartbeat() {
    if (connected) {
      Call call = calls.of(Call.Type.HEARTBEAT).build();
      sender.submit(() -> {
        try {
          agent.send(call);
        } catch (IOException | RuntimeException e) {
          Log.warn("heartbeat failed: " + e.getMessage());
        }
      });
    }
  }

  void close() {
    sender.shutdown();
  }

  private void send(Call.Update update) {
    Call call = calls.of(Call.Type.UPDATE).setUpdate(update).build();
    int mine = session;
    sender.submit(() -> {
      try {
        post(call, mine);
      } catch (RuntimeException e) {
        Log.error("sending an update failed: " + e);
      }
    });
  }

  private void post(Call call, int mine) {
    for (int tries = 1; ; tries++) {
      try {
        agent.send(call);
        return;
      } catch (AgentConnection.RejectedException e) {
        if (!e.retryable()) {
          Log.error("the agent rejected an update: " + e.getMessage());
          return;
        }
        if (!retry(mine, tries, e)) {
          return;
        }
      } catch (IOException e) {
        if (!retry(mine, tries, e)) {
          return;
        }
      }
    }
  }

  /** On the sender thread: waits before another try, or leaves it to the next SUBSCRIBE. */
  private boolean retry(int mine, int tries, IOException e) {
    if (!connected || mine != session) {
      return false;
    }
    Log.warn("sending an update failed (" + e.getMessage() + "); trying again");
    try {
      TimeUnit.MILLISECONDS.sleep(Math.min(5000, 250L << Math.min(tries, 5)));
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return false;
    }
    return connected && mine == session;
  }

  static ByteString randomUuid() {
    UUID uuid = UUID.randomUUID();
    return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits()).array());
  }

  /** How long the executor waits for the acknowledgement of its last terminal update, as Mesos's own. */
  static final Duration TERMINAL_ACK_TIMEOUT = Duration.ofSeconds(60);
}
