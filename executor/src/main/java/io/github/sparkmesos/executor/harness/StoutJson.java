package io.github.sparkmesos.executor.harness;

import com.google.gson.stream.JsonWriter;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;

/**
 * Protobuf to JSON as the agent writes it (stout {@code protobuf.hpp} {@code json()}): proto field
 * names, 64-bit integers as numbers, unset fields with an explicit default (and not deprecated)
 * present with that default, repeated fields only when non-empty, bytes in base64, enums by name.
 * Protobuf's JsonFormat differs on the first three.
 */
final class StoutJson {

  private StoutJson() {}

  static String print(Message message) {
    StringWriter text = new StringWriter();
    try (JsonWriter writer = new JsonWriter(text)) {
      writer.setHtmlSafe(false);
      writer.setLenient(true); // stout writes non-finite doubles too
      object(writer, message);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  private static void object(JsonWriter writer, Message message) throws IOException {
    writer.beginObject();
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      if (field.isMapField()) {
        if (message.getRepeatedFieldCount(field) > 0) {
          writer.name(field.getName());
          map(writer, field, message);
        }
      } else if (field.isRepeated()) {
        if (message.getRepeatedFieldCount(field) > 0) {
          writer.name(field.getName()).beginArray();
          for (Object element : (List<?>) message.getField(field)) {
            value(writer, field, element);
          }
          writer.endArray();
        }
      } else if (message.hasField(field) || (field.hasDefaultValue() && !field.getOptions().getDeprecated())) {
        writer.name(field.getName());
        value(writer, field, message.getField(field));
      }
    }
    writer.endObject();
  }

  private static void map(JsonWriter writer, FieldDescriptor field, Message message) throws IOException {
    writer.beginObject();
    FieldDescriptor keyField = field.getMessageType().findFieldByNumber(1);
    FieldDescriptor valueField = field.getMessageType().findFieldByNumber(2);
    for (Object entry : (List<?>) message.getField(field)) {
      writer.name(String.valueOf(((Message) entry).getField(keyField)));
      value(writer, valueField, ((Message) entry).getField(valueField));
    }
    writer.endObject();
  }

  private static void value(JsonWriter writer, FieldDescriptor field, Object value) throws IOException {
    switch (field.getJavaType()) {
      case BOOLEAN -> writer.value((Boolean) value);
      case INT -> writer.value(unsigned(field) ? Integer.toUnsignedLong((Integer) value) : (Integer) value);
      case LONG -> writer.value(unsigned(field) ? new BigInteger(Long.toUnsignedString((Long) value)) : (Long) value);
      case FLOAT -> writer.value(((Float) value).doubleValue());
      case DOUBLE -> writer.value((Double) value);
      case STRING -> writer.value((String) value);
      case BYTE_STRING -> writer.value(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case ENUM -> writer.value(((EnumValueDescriptor) value).getName());
      case MESSAGE -> object(writer, (Message) value);
    }
  }

  private static boolean unsigned(FieldDescriptor field) {
    return switch (field.getType()) {
      case UINT32, FIXED32, UINT64, FIXED64 -> true;
      default -> false;
    };
  }
}
