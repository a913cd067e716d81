package io.github.sparkmesos.secrets;

import java.util.Map;

/**
 * A kind of secret store, found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.github.sparkmesos.secrets.SecretResolverProvider}) and chosen by the scheme of
 * {@value SecretStores#STORE_VARIABLE}: {@code <scheme>:<location>}. The built-in stores are providers too.
 */
public interface SecretResolverProvider {

  /** The scheme this provider serves, such as {@code file} or {@code vault}: lower case. */
  String scheme();

  /**
   * A resolver for the store at {@code location} (the text after {@code <scheme>:}).
   *
   * @param env the executor's environment, for the store's other settings
   * @throws IllegalArgumentException when the location or a setting is malformed (name the variable)
   */
  SecretResolver create(String location, Map<String, String> env);
}
