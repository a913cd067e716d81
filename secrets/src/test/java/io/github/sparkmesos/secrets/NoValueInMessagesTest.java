package io.github.sparkmesos.secrets;

import static io.github.sparkmesos.secrets.NoValues.assertAbsent;
import static io.github.sparkmesos.secrets.NoValues.write;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way the resolvers can fail while values are in play, and every type's {@code toString}: no value,
 * raw or base64, shows up in any message, cause or text.
 */
class NoValueInMessagesTest {

  private static final String TOKEN = "hvs.leak-token-33aa";
  private static final String VALUE = "leak-value-8d8d";
  private static final String OTHER = "leak-other-4e4e";

  @TempDir Path tmp;

  @Test
  void vaultAnswersThatAreNotUsableNameNoValue() throws Exception {
    Path token = write(tmp.resolve("token"), TOKEN, "rw-------");
    VaultSettings fast = new VaultSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), 1, Duration.ZERO,
        Duration.ZERO);
    try (VaultStandIn vault = new VaultStandIn(TOKEN)) {
      vault.secret("kv/two", Map.of("a", VALUE, "b", OTHER))
          .rawData("kv/nested", "{\"k\":{\"nested\":\"" + VALUE + "\"}}")
          .rawData("kv/number", "{\"k\":42,\"other\":\"" + VALUE + "\"}")
          .answer("kv/broken", "{\"data\":{\"data\":{\"k\":\"" + VALUE + "\",")
          .answer("kv/deleted", "{\"data\":{\"data\":null,\"metadata\":{\"note\":\"" + VALUE + "\"}}}");
      VaultKv2Resolver r = new VaultKv2Resolver(vault.url(), token, TestPki.caPem(), fast);
      assertAbsent(r.toString(), TOKEN, VALUE, OTHER);
      for (SecretReference ref : new SecretReference[] {SecretReference.of("kv/two"),
          SecretReference.of("kv/two", "c"), SecretReference.of("kv/nested", "k"),
          SecretReference.of("kv/number", "k"),
          SecretReference.of("kv/broken", "k"), SecretReference.of("kv/deleted", "k")}) {
        SecretException e = assertThrows(SecretException.class, () -> r.resolve(ref));
        assertAbsent(e, TOKEN, VALUE, OTHER);
      }
    }
  }

  @Test
  void typesPrintNoValue() throws Exception {
    SecretReference ref = new SecretReference("db", Optional.of("password"));
    assertAbsent(ref.toString(), VALUE);
    assertAbsent(new SecretException(ref, "no such secret").toString(), VALUE);
    assertAbsent(new FileSecretStore(tmp).toString(), VALUE);
    assertAbsent(VaultSettings.defaults().toString(), VALUE);
  }
}
