package io.github.sparkmesos.secrets;

/** Turns a reference into its value, from one store. Implementations are safe for use by several threads. */
public interface SecretResolver {

  /**
   * The value of {@code ref}.
   *
   * @throws SecretException when the store has no such secret, refuses it, or cannot be reached; the
   *     message names the reference, never a value
   */
  byte[] resolve(SecretReference ref) throws SecretException;
}
