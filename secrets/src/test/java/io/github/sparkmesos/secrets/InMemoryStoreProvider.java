package io.github.sparkmesos.secrets;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A plug-in for the tests, registered in the test sources' {@code META-INF/services}: {@code memory:n1=v1,n2=v2}
 * serves those names. It proves that {@link SecretStores} finds providers with ServiceLoader.
 */
public final class InMemoryStoreProvider implements SecretResolverProvider {

  @Override
  public String scheme() {
    return "memory";
  }

  @Override
  public SecretResolver create(String location, Map<String, String> env) {
    Map<String, String> values = new HashMap<>();
    for (String pair : location.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected name=value pairs");
      }
      values.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return ref -> {
      String value = values.get(ref.name());
      if (value == null) {
        throw new SecretException(ref, "no such secret in memory");
      }
      return value.getBytes(StandardCharsets.UTF_8);
    };
  }
}
