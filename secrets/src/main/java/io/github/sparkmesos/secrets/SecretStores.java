package io.github.sparkmesos.secrets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The secret store the operator chose with {@value #STORE_VARIABLE}: {@code <scheme>:<location>}. */
public final class SecretStores {

  public static final String STORE_VARIABLE = "SPARK_MESOS_EXECUTOR_SECRET_STORE";

  private static final Pattern SETTING = Pattern.compile("([a-z][a-z0-9+.-]*):(.+)", Pattern.DOTALL);

  private SecretStores() {}

  /**
   * The resolver of the store named in {@code env}, or empty when {@value #STORE_VARIABLE} is not set.
   *
   * @throws IllegalArgumentException naming the variable when its value is malformed, its scheme unknown, or
   *     the store's settings wrong
   */
  public static Optional<SecretResolver> fromEnvironment(Map<String, String> env) {
    return fromEnvironment(env, providers(Thread.currentThread().getContextClassLoader()));
  }

  static Optional<SecretResolver> fromEnvironment(Map<String, String> env,
      Map<String, SecretResolverProvider> providers) {
    String setting = env.get(STORE_VARIABLE);
    if (setting == null) {
      return Optional.empty();
    }
    Matcher m = SETTING.matcher(setting);
    if (!m.matches()) {
      throw new IllegalArgumentException(STORE_VARIABLE + " must be <scheme>:<location> (one of "
          + String.join(", ", providers.keySet()) + "), not '" + setting + "'");
    }
    SecretResolverProvider provider = providers.get(m.group(1));
    if (provider == null) {
      throw new IllegalArgumentException(STORE_VARIABLE + ": no secret store serves the scheme '" + m.group(1)
          + "' (known: " + String.join(", ", providers.keySet()) + ")");
    }
    try {
      return Optional.of(provider.create(m.group(2), env));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(STORE_VARIABLE + "=" + setting + ": " + e.getMessage(), e);
    }
  }

  /** The providers by scheme: the built-ins, then those found with ServiceLoader; the first of a scheme wins. */
  static Map<String, SecretResolverProvider> providers(ClassLoader loader) {
    Map<String, SecretResolverProvider> byScheme = new LinkedHashMap<>();
    byScheme.put("file", new FileSecretStore.Provider());
    byScheme.put("vault", new VaultKv2Resolver.Provider());
    try {
      for (SecretResolverProvider p : ServiceLoader.load(SecretResolverProvider.class,
          loader != null ? loader : SecretStores.class.getClassLoader())) {
        byScheme.putIfAbsent(p.scheme(), p);
      }
    } catch (ServiceConfigurationError e) {
      throw new IllegalArgumentException(STORE_VARIABLE + ": a secret store plug-in cannot be loaded: "
          + e.getMessage(), e);
    }
    return byScheme;
  }
}
