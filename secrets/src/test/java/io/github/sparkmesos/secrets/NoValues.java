package io.github.sparkmesos.secrets;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** Test helpers: files with a mode, and the check that a text (or an exception chain) holds no value. */
final class NoValues {

  private NoValues() {}

  static Path write(Path file, String content, String mode) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  /** Neither the message, toString nor any cause of {@code e} contains a value, raw or base64. */
  static void assertAbsent(Throwable e, String... values) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertAbsent(String.valueOf(t.getMessage()), values);
      assertAbsent(t.toString(), values);
    }
  }

  static void assertAbsent(String text, String... values) {
    for (String value : values) {
      assertFalse(text.contains(value), () -> "a value leaked into: " + text.replace(value, "<VALUE>"));
      String b64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
      assertFalse(text.contains(b64), "a base64 value leaked");
    }
  }
}
