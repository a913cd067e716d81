package io.github.sparkmesos.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCredentialsTest {

  @TempDir
  Path dir;

  private Path config(String json) throws Exception {
    return Files.writeString(dir.resolve("config.json"), json);
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void authIsBase64OfUserColonPasswordAndThePasswordMayHoldColons() throws Exception {
    Path file = config("{\"auths\":{\"reg.example:5000\":{\"auth\":\"" + b64("alice:pa:ss") + "\"}}}");
    RegistryCredentials found = RegistryCredentials.fromConfig(file, "reg.example:5000").orElseThrow();
    assertEquals("alice", found.username());
    assertEquals("pa:ss", found.password());
    assertFalse(found.toString().contains("pa:ss"));
  }

  @Test
  void usernameAndPasswordAndKeysWithSchemeAndPath() throws Exception {
    Path file = config("{\"auths\":{\"https://reg.example:5000/v2/\":{\"username\":\"bob\",\"password\":\"pw\"}}}");
    RegistryCredentials found = RegistryCredentials.fromConfig(file, "reg.example:5000").orElseThrow();
    assertEquals("bob", found.username());
    assertEquals("pw", found.password());
  }

  @Test
  void dockerHubUnderItsUsualKey() throws Exception {
    Path file = config("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hub:pw") + "\"}}}");
    assertEquals("hub", RegistryCredentials.fromConfig(file, null).orElseThrow().username());
    assertEquals("hub", RegistryCredentials.fromConfig(file, "docker.io").orElseThrow().username());
  }

  @Test
  void noEntryNoAuthsOrAnotherRegistryIsAnonymous() throws Exception {
    assertTrue(RegistryCredentials.fromConfig(config("{}"), "reg:5000").isEmpty());
    assertTrue(RegistryCredentials.fromConfig(config("{\"auths\":{\"other:5000\":{\"auth\":\"" + b64("a:b") + "\"}}}"),
        "reg:5000").isEmpty());
  }

  @Test
  void malformedEntriesAndFilesAreErrors() throws Exception {
    EngineException notBase64 = assertThrows(EngineException.class,
        () -> RegistryCredentials.fromConfig(config("{\"auths\":{\"reg:5000\":{\"auth\":\"%%%\"}}}"), "reg:5000"));
    assertTrue(notBase64.getMessage().contains("'reg:5000' has an auth that is not base64"), notBase64.getMessage());
    assertThrows(EngineException.class,
        () -> RegistryCredentials.fromConfig(config("{\"auths\":{\"reg:5000\":{}}}"), "reg:5000"));
    assertThrows(EngineException.class, () -> RegistryCredentials.fromConfig(config("not json"), "reg:5000"));
    assertThrows(EngineException.class, () -> RegistryCredentials.fromConfig(dir.resolve("missing.json"), "reg:5000"));
  }
}
