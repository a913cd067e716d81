package io.github.sparkmesos.executor.harness;

import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.sparkmesos.executor.mesos.WireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;

/**
 * How the agent reads an executor's call and what it checks before it acts on it (src/common/validation.cpp
 * {@code validateExecutorCall}, src/slave/http.cpp), and how it reads and completes what it accepts.
 */
final class CallValidation {

  private CallValidation() {}

  /** A body read as a call, or why not: the status (400, 415) and the agent's message. */
  record Parsed(Call call, int status, String error) {
    static Parsed refused(int status, String error) {
      return new Parsed(null, status, error);
    }
  }

  /** Reads a request body as the agent does, by its Content-Type (exactly one of the two media types). */
  static Parsed parse(String contentType, byte[] body) {
    if (contentType == null) {
      return Parsed.refused(400, "Expecting 'Content-Type' to be present");
    }
    WireFormat format = WireFormat.ofMediaType(contentType);
    if (format == null) {
      return Parsed.refused(415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
    }
    String failure = format == WireFormat.JSON ? "Failed to convert JSON into Call protobuf: "
        : "Failed to parse body into Call protobuf";
    byte[] input = body;
    if (format == WireFormat.JSON) {
      try {
        input = snakeCaseOnly(JsonParser.parseString(new String(body, StandardCharsets.UTF_8)));
      } catch (RuntimeException e) {
        return Parsed.refused(400, "Failed to parse body into JSON: " + e.getMessage());
      }
    }
    try {
      Call.Builder builder = format.decode(input, Call.newBuilder());
      if (!builder.isInitialized()) {
        return Parsed.refused(400, failure + (format == WireFormat.JSON ? "missing required fields "
            + builder.findInitializationErrors() : ""));
      }
      return new Parsed(builder.build(), 200, null);
    } catch (InvalidProtocolBufferException e) {
      return Parsed.refused(400, failure + (format == WireFormat.JSON ? e.getMessage() : ""));
    }
  }

  /** The agent stamps the time of an update that has none ({@code protobuf::createStatusUpdate}). */
  static TaskStatus stamped(TaskStatus status) {
    return status.hasTimestamp() ? status
        : status.toBuilder().setTimestamp(System.currentTimeMillis() / 1000.0).build();
  }

  /**
   * The agent's JSON mapping (stout) knows only proto field names and ignores any other key, where
   * protobuf's JsonFormat would also take the camelCase names: drop keys with capitals first, so that
   * {@code executorId} is lost here as it is at the agent.
   */
  static byte[] snakeCaseOnly(com.google.gson.JsonElement root) {
    dropCamelCase(root);
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void dropCamelCase(com.google.gson.JsonElement element) {
    if (element.isJsonObject()) {
      element.getAsJsonObject().keySet().removeIf(k -> !k.equals(k.toLowerCase(java.util.Locale.ROOT)));
      element.getAsJsonObject().entrySet().forEach(e -> dropCamelCase(e.getValue()));
    } else if (element.isJsonArray()) {
      element.getAsJsonArray().forEach(CallValidation::dropCamelCase);
    }
  }

  /** validateExecutorCall: what the agent checks before looking at anything else. */
  static String validate(Call call) {
    if (!call.hasType()) {
      return "Expecting 'type' to be present";
    }
    switch (call.getType()) {
      case SUBSCRIBE -> {
        return call.hasSubscribe() ? null : "Expecting 'subscribe' to be present";
      }
      case UPDATE -> {
        if (!call.hasUpdate()) {
          return "Expecting 'update' to be present";
        }
        return validateStatus(call.getUpdate().getStatus(), call.getExecutorId().getValue());
      }
      case MESSAGE -> {
        return call.hasMessage() ? null : "Expecting 'message' to be present";
      }
      case HEARTBEAT, UNKNOWN -> {
        // the agent validates UNKNOWN as fine, then answers 501 (src/common/validation.cpp, src/slave/http.cpp)
        return null;
      }
      default -> {
        return "Unknown call type";
      }
    }
  }

  static String validateStatus(TaskStatus status, String executorId) {
    if (!status.hasUuid()) {
      return "Expecting 'uuid' to be present";
    }
    ByteString uuid = status.getUuid();
    if (uuid.size() != 16) {
      return "Failed to parse 'uuid': expected 16 bytes, got " + uuid.size();
    }
    ByteBuffer b = uuid.asReadOnlyByteBuffer();
    long msb = b.getLong();
    long lsb = b.getLong();
    int version = (int) ((msb >> 12) & 0xf);
    if ((msb == 0 && lsb == 0) || version < 1 || version > 5) {
      return "Failed to parse 'uuid': not a valid UUID";
    }
    if (status.hasExecutorId() && !status.getExecutorId().getValue().equals(executorId)) {
      return "ExecutorID in Call: " + executorId + " does not match ExecutorID in TaskStatus: "
          + status.getExecutorId().getValue();
    }
    if (status.getSource() != TaskStatus.Source.SOURCE_EXECUTOR) {
      return "Received Call from executor with status source " + status.getSource()
          + "; expected SOURCE_EXECUTOR";
    }
    if (status.getState() == TaskState.TASK_STAGING) {
      return "Received TASK_STAGING from executor";
    }
    return null;
  }
}
