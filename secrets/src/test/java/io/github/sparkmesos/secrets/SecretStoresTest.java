package io.github.sparkmesos.secrets;

import static io.github.sparkmesos.secrets.NoValues.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoresTest {

  private static final String VAR = SecretStores.STORE_VARIABLE;

  @TempDir Path tmp;

  @Test
  void noStoreWhenTheVariableIsUnset() {
    assertEquals(Optional.empty(), SecretStores.fromEnvironment(Map.of("OTHER", "x")));
  }

  @Test
  void fileStoreFromTheVariable() throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
    write(tmp.resolve("db"), "file-value-1", "rw-------");
    SecretResolver r = SecretStores.fromEnvironment(Map.of(VAR, "file:" + tmp)).orElseThrow();
    assertInstanceOf(FileSecretStore.class, r);
    assertArrayEquals("file-value-1".getBytes(StandardCharsets.UTF_8), r.resolve(SecretReference.of("db")));
  }

  @Test
  void vaultStoreFromTheVariable() throws Exception {
    Path token = write(tmp.resolve("token"), "t", "rw-------");
    SecretResolver r = SecretStores.fromEnvironment(Map.of(VAR, "vault:https://vault.example:8200",
        VaultKv2Resolver.TOKEN_FILE_VARIABLE, token.toString())).orElseThrow();
    assertInstanceOf(VaultKv2Resolver.class, r);
  }

  @Test
  void vaultNeedsATokenFileAndAnHttpsUrl() {
    malformed(Map.of(VAR, "vault:https://vault.example:8200"), VaultKv2Resolver.TOKEN_FILE_VARIABLE);
    malformed(Map.of(VAR, "vault:http://vault.example:8200", VaultKv2Resolver.TOKEN_FILE_VARIABLE, "/t"),
        "must be https");
    malformed(Map.of(VAR, "vault:https://v.example", VaultKv2Resolver.TOKEN_FILE_VARIABLE, "/t",
        VaultKv2Resolver.CA_FILE_VARIABLE, tmp.resolve("none.pem").toString()), "none.pem");
  }

  @Test
  void aPlugInIsFoundWithServiceLoader() throws Exception {
    assertTrue(SecretStores.providers(getClass().getClassLoader()).keySet().containsAll(
        List.of("file", "vault", "memory")));
    SecretResolver r = SecretStores.fromEnvironment(Map.of(VAR, "memory:db=mem-value-1")).orElseThrow();
    assertArrayEquals("mem-value-1".getBytes(StandardCharsets.UTF_8), r.resolve(SecretReference.of("db")));
  }

  @Test
  void malformedSettingsNameTheVariable() {
    malformed(Map.of(VAR, ""), "<scheme>:<location>");
    malformed(Map.of(VAR, "/etc/secrets"), "<scheme>:<location>");
    malformed(Map.of(VAR, "file:"), "<scheme>:<location>");
    malformed(Map.of(VAR, "s3:bucket"), "no secret store serves the scheme 's3'");
    malformed(Map.of(VAR, "file:relative/dir"), "absolute");
    malformed(Map.of(VAR, "file:" + tmp.resolve("none")), "does not exist");
    malformed(Map.of(VAR, "memory:nonsense"), "name=value");
  }

  private static void malformed(Map<String, String> env, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SecretStores.fromEnvironment(env));
    assertTrue(e.getMessage().contains(VAR), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }
}
