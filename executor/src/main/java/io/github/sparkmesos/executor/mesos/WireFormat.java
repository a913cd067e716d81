package io.github.sparkmesos.executor.mesos;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The two media types of the v1 executor API. JSON uses proto field names (snake_case) and ignores
 * unknown fields, as the agent's stout mapping does.
 */
public enum WireFormat {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private final String mediaType;

  WireFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  public byte[] encode(Message message) {
    if (this == PROTOBUF) {
      return message.toByteArray();
    }
    return json(message).getBytes(StandardCharsets.UTF_8);
  }

  /** Merges {@code bytes} into {@code builder}; required fields are not checked here. */
  public <B extends Message.Builder> B decode(byte[] bytes, B builder) throws InvalidProtocolBufferException {
    if (this == PROTOBUF) {
      builder.mergeFrom(bytes);
    } else {
      PARSER.merge(new String(bytes, StandardCharsets.UTF_8), builder);
    }
    return builder;
  }

  public static String json(com.google.protobuf.MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** "json" or "protobuf" (or a media type). */
  public static WireFormat parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (WireFormat f : values()) {
      if (f.name().toLowerCase(Locale.ROOT).equals(t) || f.mediaType.equals(t)) {
        return f;
      }
    }
    throw new IllegalArgumentException("content type '" + text + "' is neither json nor protobuf");
  }

  /** The exact media type, or null: the agent compares Content-Type by string equality. */
  public static WireFormat ofMediaType(String contentType) {
    for (WireFormat f : values()) {
      if (f.mediaType.equals(contentType)) {
        return f;
      }
    }
    return null;
  }
}
