package io.github.sparkmesos.executor.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.Test;

class WireFormatTest {

  private static byte[] uuidBytes() {
    UUID u = UUID.randomUUID();
    return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
  }

  private static Call subscribeWithUnacknowledgedUpdate(byte[] uuid) {
    TaskStatus status = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t1"))
        .setState(TaskState.TASK_RUNNING).setSource(TaskStatus.Source.SOURCE_EXECUTOR)
        .setUuid(ByteString.copyFrom(uuid)).build();
    return Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setExecutorId(ExecutorID.newBuilder().setValue("exec-1"))
        .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
        .setSubscribe(Call.Subscribe.newBuilder().addUnacknowledgedUpdates(Call.Update.newBuilder().setStatus(status)))
        .build();
  }

  @Test
  void jsonUsesProtoFieldNamesBase64BytesAndEnumNames() {
    byte[] uuid = uuidBytes();
    String json = new String(WireFormat.JSON.encode(subscribeWithUnacknowledgedUpdate(uuid)), StandardCharsets.UTF_8);
    JsonObject root = JsonParser.parseString(json).getAsJsonObject();
    assertEquals("exec-1", root.getAsJsonObject("executor_id").get("value").getAsString(), json);
    assertEquals("fw-1", root.getAsJsonObject("framework_id").get("value").getAsString(), json);
    assertEquals("SUBSCRIBE", root.get("type").getAsString(), json);
    JsonObject status = root.getAsJsonObject("subscribe").getAsJsonArray("unacknowledged_updates").get(0)
        .getAsJsonObject().getAsJsonObject("status");
    assertEquals(Base64.getEncoder().encodeToString(uuid), status.get("uuid").getAsString(), json);
    assertEquals("TASK_RUNNING", status.get("state").getAsString(), json);
    assertEquals("SOURCE_EXECUTOR", status.get("source").getAsString(), json);
    assertEquals("t1", status.getAsJsonObject("task_id").get("value").getAsString(), json);
    assertFalse(json.contains("executorId") || json.contains("unacknowledgedUpdates") || json.contains("taskId"), json);
    assertFalse(json.contains("\n"), "one line: " + json);
  }

  @Test
  void bothFormatsRoundTrip() throws Exception {
    Call call = subscribeWithUnacknowledgedUpdate(uuidBytes());
    for (WireFormat f : WireFormat.values()) {
      assertEquals(call, f.decode(f.encode(call), Call.newBuilder()).build(), f.name());
    }
  }

  @Test
  void jsonDecodingIgnoresUnknownFields() throws Exception {
    String json = "{\"type\":\"HEARTBEAT\",\"executor_id\":{\"value\":\"e\"},\"framework_id\":{\"value\":\"f\"},"
        + "\"field_from_a_newer_agent\":{\"nested\":[1,2,3]},\"another\":\"x\"}";
    Call call = WireFormat.JSON.decode(json.getBytes(StandardCharsets.UTF_8), Call.newBuilder()).build();
    assertEquals(Call.Type.HEARTBEAT, call.getType());
    assertEquals("e", call.getExecutorId().getValue());
    assertEquals("f", call.getFrameworkId().getValue());
  }

  @Test
  void jsonDecodesAnAgentEvent() throws Exception {
    String json = "{\"type\":\"ACKNOWLEDGED\",\"acknowledged\":{\"task_id\":{\"value\":\"t1\"},"
        + "\"uuid\":\"" + Base64.getEncoder().encodeToString(new byte[16]) + "\"},\"unknown\":true}";
    Event event = WireFormat.JSON.decode(json.getBytes(StandardCharsets.UTF_8), Event.newBuilder()).build();
    assertEquals(Event.Type.ACKNOWLEDGED, event.getType());
    assertEquals("t1", event.getAcknowledged().getTaskId().getValue());
    assertEquals(16, event.getAcknowledged().getUuid().size());
  }

  @Test
  void mediaTypesAreComparedExactly() {
    assertSame(WireFormat.JSON, WireFormat.ofMediaType("application/json"));
    assertSame(WireFormat.PROTOBUF, WireFormat.ofMediaType("application/x-protobuf"));
    assertNull(WireFormat.ofMediaType("application/json; charset=utf-8"));
    assertNull(WireFormat.ofMediaType("Application/JSON"));
    assertNull(WireFormat.ofMediaType("text/plain"));
    assertNull(WireFormat.ofMediaType(null));
    assertEquals("application/json", WireFormat.JSON.mediaType());
    assertEquals("application/x-protobuf", WireFormat.PROTOBUF.mediaType());
  }

  @Test
  void parseAcceptsNamesAndMediaTypes() {
    assertSame(WireFormat.JSON, WireFormat.parse("json"));
    assertSame(WireFormat.PROTOBUF, WireFormat.parse(" Protobuf "));
    assertSame(WireFormat.PROTOBUF, WireFormat.parse("application/x-protobuf"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WireFormat.parse("xml"));
    assertTrue(e.getMessage().contains("'xml'"), e.getMessage());
  }
}
