package io.github.sparkmesos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.github.sparkmesos.executor.mesos.AgentConnection;
import io.github.sparkmesos.executor.mesos.AgentEnvironment;
import io.github.sparkmesos.executor.mesos.WireFormat;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.junit.jupiter.api.Test;

/** The update store alone, while no agent is connected: nothing is sent, everything is kept. */
class StatusUpdatesTest {

  private final ManualTimers timers = new ManualTimers();
  private final StatusUpdates updates = new StatusUpdates("e1", new AgentConnection(new AgentEnvironment("f1", "e1",
      "http://127.0.0.1:9/api/v1/executor", false, Duration.ofSeconds(5), Duration.ofMinutes(15), Duration.ofSeconds(2),
      Optional.empty(), Path.of("/"), Optional.empty(), Optional.empty()), WireFormat.PROTOBUF),
      new Calls("f1", "e1"), timers);

  @Test
  void everyUpdateHasAFreshVersion4UuidAndTheExecutorAsItsSource() {
    ByteString a = updates.add("t", TaskState.TASK_STARTING, null, "starting");
    ByteString b = updates.add("t", TaskState.TASK_RUNNING, null, "running");
    assertNotEquals(a, b);
    for (ByteString uuid : List.of(a, b)) {
      assertEquals(16, uuid.size());
      ByteBuffer buffer = uuid.asReadOnlyByteBuffer();
      assertEquals(4, new UUID(buffer.getLong(), buffer.getLong()).version());
    }
    TaskStatus status = updates.unacknowledged().get(0).getStatus();
    assertEquals(TaskStatus.Source.SOURCE_EXECUTOR, status.getSource());
    assertEquals("e1", status.getExecutorId().getValue());
    assertEquals(timers.now().toEpochMilli() / 1000.0, status.getTimestamp(), "time from the injected clock");
  }

  @Test
  void updatesAreKeptInOrderUntilAcknowledged() {
    ByteString a = updates.add("t", TaskState.TASK_STARTING, null, null);
    ByteString b = updates.add("t", TaskState.TASK_RUNNING, null, null);
    ByteString c = updates.add("t", TaskState.TASK_FINISHED, TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED, "m");
    assertEquals(List.of(a, b, c), updates.unacknowledged().stream().map(u -> u.getStatus().getUuid()).toList());
    assertTrue(updates.acknowledge(b));
    assertFalse(updates.acknowledge(b), "a second ACK finds nothing pending");
    assertEquals(List.of(a, c), updates.unacknowledged().stream().map(u -> u.getStatus().getUuid()).toList());
    assertEquals(2, updates.pending());
    updates.acknowledge(a);
    updates.acknowledge(c);
    assertTrue(updates.allAcknowledged());
  }

  @Test
  void aMessageIsRedactedBeforeItIsKept() {
    io.github.sparkmesos.executor.util.Log.redactor().add("s3cr3t-in-a-message");
    updates.add("t", TaskState.TASK_FAILED, null, "failed with s3cr3t-in-a-message in it");
    Call.Update kept = updates.unacknowledged().get(0);
    assertFalse(kept.getStatus().getMessage().contains("s3cr3t-in-a-message"), kept.getStatus().getMessage());
  }
}
