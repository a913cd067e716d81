package io.github.sparkmesos.secrets;

import java.util.Objects;
import java.util.Optional;

/**
 * A Mesos {@code Secret.Reference}: the name of a secret in a store and, optionally, one key inside it. It holds
 * no value, so its text may be printed anywhere.
 */
public record SecretReference(String name, Optional<String> key) {

  public SecretReference {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
  }

  public static SecretReference of(String name) {
    return new SecretReference(name, Optional.empty());
  }

  public static SecretReference of(String name, String key) {
    return new SecretReference(name, Optional.of(key));
  }

  /** {@code name 'db' key 'password'}, or {@code name 'db'}: how every message names the reference. */
  @Override
  public String toString() {
    return "name '" + name + "'" + key.map(k -> " key '" + k + "'").orElse("");
  }
}
