package io.github.sparkmesos.secrets;

import static io.github.sparkmesos.secrets.NoValues.assertAbsent;
import static io.github.sparkmesos.secrets.NoValues.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultKv2ResolverTest {

  private static final String TOKEN = "hvs.token-value-0c1d";
  private static final String PASSWORD = "vault-password-6b2e";
  private static final String USER = "vault-user-a9f4";
  private static final VaultSettings FAST = new VaultSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), 3,
      Duration.ofMillis(1), Duration.ofMillis(5));

  @TempDir Path tmp;
  private Path tokenFile;
  private VaultStandIn vault;

  @BeforeEach
  void start() throws Exception {
    tokenFile = write(tmp.resolve("token"), TOKEN + "\n", "rw-------");
    vault = new VaultStandIn(TOKEN)
        .secret("secret/app/db", Map.of("password", PASSWORD, "user", USER))
        .secret("kv/single", Map.of("only", PASSWORD));
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  private VaultKv2Resolver resolver(VaultSettings settings) throws Exception {
    return new VaultKv2Resolver(vault.url(), tokenFile, TestPki.caPem(), settings);
  }

  @Test
  void readsAKeyOverTlsWithTheToken() throws Exception {
    assertArrayEquals(PASSWORD.getBytes(StandardCharsets.UTF_8),
        resolver(FAST).resolve(SecretReference.of("secret/app/db", "password")));
    assertEquals(1, vault.requests("secret/app/db"));
  }

  @Test
  void readsTheOnlyFieldWithoutKey() throws Exception {
    assertArrayEquals(PASSWORD.getBytes(StandardCharsets.UTF_8),
        resolver(FAST).resolve(SecretReference.of("kv/single")));
  }

  @Test
  void refusesNoKeyWhenTheSecretHasSeveralFields() throws Exception {
    SecretException e = refused(resolver(FAST), SecretReference.of("secret/app/db"), "exactly one key");
    assertTrue(e.getMessage().contains("password") && e.getMessage().contains("user"), e.getMessage());
  }

  @Test
  void refusesAMissingKey() throws Exception {
    refused(resolver(FAST), SecretReference.of("secret/app/db", "nope"), "no such key");
  }

  @Test
  void aWrongTokenIsPermissionDenied() throws Exception {
    write(tokenFile, "hvs.wrong", "rw-------");
    refused(resolver(FAST), SecretReference.of("secret/app/db", "password"), "permission denied");
    assertEquals(1, vault.requests("secret/app/db"), "a 403 is not retried");
  }

  @Test
  void anUnknownPathIsNoSuchSecret() throws Exception {
    refused(resolver(FAST), SecretReference.of("secret/app/none", "password"), "no such secret");
    assertEquals(1, vault.requests("secret/app/none"), "a 404 is not retried");
  }

  @Test
  void a503IsRetried() throws Exception {
    vault.first("secret/app/db", 503);
    assertArrayEquals(USER.getBytes(StandardCharsets.UTF_8),
        resolver(FAST).resolve(SecretReference.of("secret/app/db", "user")));
    assertEquals(2, vault.requests("secret/app/db"));
  }

  @Test
  void fiveHundredsGiveUpAfterTheLastAttempt() throws Exception {
    vault.first("secret/app/db", 500, 502, 503, 503);
    refused(resolver(FAST), SecretReference.of("secret/app/db", "user"), "after 3 attempts");
    assertEquals(3, vault.requests("secret/app/db"));
  }

  @Test
  void aServerThatDoesNotAnswerTimesOut() throws Exception {
    vault.hang("secret/slow");
    VaultSettings quick = new VaultSettings(Duration.ofSeconds(5), Duration.ofMillis(300), 2, Duration.ofMillis(1),
        Duration.ofMillis(5));
    refused(resolver(quick), SecretReference.of("secret/slow", "k"), "did not answer within the timeouts");
    assertEquals(2, vault.requests("secret/slow"), "a timeout is retried");
  }

  @Test
  void aServerTheCaDidNotSignIsRefused() throws Exception {
    VaultKv2Resolver other = new VaultKv2Resolver(vault.url(), tokenFile, TestPki.otherCaPem(), FAST);
    refused(other, SecretReference.of("secret/app/db", "password"), "TLS handshake");
    VaultKv2Resolver jdkTrust = new VaultKv2Resolver(vault.url(), tokenFile, null, FAST);
    refused(jdkTrust, SecretReference.of("secret/app/db", "password"), "TLS handshake");
    assertEquals(0, vault.requests("secret/app/db"), "no request got past the handshake");
  }

  @Test
  void aPathPrefixBeforeV1IsKept() throws Exception {
    try (VaultStandIn proxied = new VaultStandIn(TOKEN, "/vault")) {
      proxied.secret("secret/app", Map.of("k", PASSWORD));
      VaultKv2Resolver r = new VaultKv2Resolver(proxied.url() + "/", tokenFile, TestPki.caPem(), FAST);
      assertArrayEquals(PASSWORD.getBytes(StandardCharsets.UTF_8), r.resolve(SecretReference.of("secret/app", "k")));
    }
  }

  @Test
  void aNameNeedsAMountAndAPath() throws Exception {
    refused(resolver(FAST), SecretReference.of("secret", "k"), "<mount>/<path>");
    refused(resolver(FAST), SecretReference.of("secret/../sys", "k"), "segment");
  }

  @Test
  void aTokenFileOthersMayReadIsRefusedWithoutShowingTheToken() throws Exception {
    write(tokenFile, TOKEN, "rw-r--r--");
    SecretException e = refused(resolver(FAST), SecretReference.of("secret/app/db", "password"), "rw-r--r--");
    assertTrue(e.getMessage().contains(tokenFile.toString()), e.getMessage());
    assertEquals(0, vault.requests("secret/app/db"));
  }

  @Test
  void onlyHttpsOrHttpToALiteralLoopbackAddress() {
    assertThrows(IllegalArgumentException.class,
        () -> new VaultKv2Resolver("http://vault.example:8200", tokenFile, null, FAST));
    assertThrows(IllegalArgumentException.class,
        () -> new VaultKv2Resolver("http://localhost:8200", tokenFile, null, FAST));
    assertThrows(IllegalArgumentException.class,
        () -> new VaultKv2Resolver("https://vault.example:8200/?x=1", tokenFile, null, FAST));
    assertThrows(IllegalArgumentException.class,
        () -> new VaultKv2Resolver("ftp://vault.example", tokenFile, null, FAST));
    new VaultKv2Resolver("http://127.0.0.1:8200", tokenFile, null, FAST);
    new VaultKv2Resolver("http://[::1]:8200", tokenFile, null, FAST);
    new VaultKv2Resolver("https://vault.example:8200", tokenFile, null, FAST);
  }

  @Test
  void aCaFileWithoutCertificatesIsRefused() throws Exception {
    Path empty = write(tmp.resolve("empty.pem"), "", "rw-------");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new VaultKv2Resolver(vault.url(), tokenFile, empty, FAST));
    assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
  }

  private static SecretException refused(VaultKv2Resolver r, SecretReference ref, String reason) {
    SecretException e = assertThrows(SecretException.class, () -> r.resolve(ref));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(e.getMessage().contains("name '" + ref.name() + "'"), e.getMessage());
    assertAbsent(e, TOKEN, PASSWORD, USER);
    return e;
  }
}
