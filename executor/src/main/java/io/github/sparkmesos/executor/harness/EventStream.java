package io.github.sparkmesos.executor.harness;

import com.sun.net.httpserver.HttpExchange;
import io.github.sparkmesos.executor.mesos.RecordIo;
import io.github.sparkmesos.executor.mesos.WireFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The open response to a SUBSCRIBE: RecordIO records, each in one write and flushed, so one HTTP
 * chunk (up to the server's 4 KiB chunk size), in the media type the executor accepted and, for
 * JSON, as the agent writes it. Once a write fails it stays closed. Not thread-safe: the agent API
 * holds its lock around every call.
 */
final class EventStream {

  private final HttpExchange exchange;
  private final WireFormat format;
  private boolean open = true;

  EventStream(HttpExchange exchange, WireFormat format) {
    this.exchange = exchange;
    this.format = format;
  }

  boolean isOpen() {
    return open;
  }

  /** Writes one event; false when the stream is closed (the event is lost, as with an agent). */
  boolean send(Event event) {
    return sendRecord(format == WireFormat.JSON ? StoutJson.print(event).getBytes(StandardCharsets.UTF_8)
        : event.toByteArray());
  }

  /** Writes one record as given (a test's malformed event); false when the stream is closed. */
  boolean sendRecord(byte[] payload) {
    if (!open) {
      return false;
    }
    try {
      OutputStream out = exchange.getResponseBody();
      out.write(RecordIo.frame(payload));
      out.flush();
      return true;
    } catch (IOException e) {
      open = false;
      return false;
    }
  }

  void close() {
    if (open) {
      open = false;
      exchange.close();
    }
  }
}
