package io.github.sparkmesos.executor.pipeline;

import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.TaskSecret;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.secrets.SecretFileArea;
import io.github.sparkmesos.secrets.SecretReference;
import io.github.sparkmesos.secrets.SecretResolver;
import io.github.sparkmesos.secrets.SecretStores;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the secrets stage of every task of this executor draws on: the operator's secret store (made on the first
 * reference, so an executor whose tasks carry none never loads a store's client) and the area where file secrets
 * are written.
 */
public final class SecretSupply {

  private final Map<String, String> executorEnvironment;
  private final Path sandbox;
  private Optional<SecretResolver> resolver;
  private SecretFileArea area;

  /** @param executorEnvironment where the operator chose the store and the file area */
  public SecretSupply(Map<String, String> executorEnvironment, Path sandbox) {
    this.executorEnvironment = Map.copyOf(executorEnvironment);
    this.sandbox = sandbox;
  }

  /**
   * Removes the file secrets an earlier executor of this sandbox left behind (it was killed before its tasks
   * ended), as the record it wrote in the sandbox says (one stat when there is none). Called once at start; a
   * failure is logged, and the tasks' own files still go when they end.
   */
  public void removeLeftovers() {
    try {
      int removed = SecretFileArea.removeLeftovers(sandbox);
      if (removed > 0) {
        Log.info("removed " + removed + " secret file(s) an earlier executor of this sandbox left");
      }
    } catch (IOException e) {
      Log.warn("cannot remove secret files an earlier executor may have left: " + e.getMessage());
    }
  }

  /** A reference to the Docker {@code config.json} every image is pulled with: {@code <name>[#<key>]}. */
  public static final String REGISTRY_CONFIG_VARIABLE = "SPARK_MESOS_EXECUTOR_DOCKER_CONFIG_SECRET";

  /**
   * The operator's registry credentials, as a secret of the task whose image is to be pulled.
   *
   * @throws LaunchFailedException naming the variable when it is malformed
   */
  Optional<TaskSecret> registryConfig() throws LaunchFailedException {
    String setting = executorEnvironment.get(REGISTRY_CONFIG_VARIABLE);
    if (setting == null || setting.isBlank()) {
      return Optional.empty();
    }
    int hash = setting.indexOf('#');
    String name = hash < 0 ? setting : setting.substring(0, hash);
    if (name.isBlank() || (hash >= 0 && hash == setting.length() - 1)) {
      throw new LaunchFailedException(REGISTRY_CONFIG_VARIABLE + " must be <name>[#<key>], not '" + setting + "'");
    }
    SecretReference ref = hash < 0 ? SecretReference.of(name) : SecretReference.of(name, setting.substring(hash + 1));
    return Optional.of(TaskSecret.ofReference(REGISTRY_CONFIG_VARIABLE, ref, TaskSecret.Delivery.REGISTRY_CONFIG,
        ".docker/config.json"));
  }

  /** The store to resolve {@code secret}'s reference from. */
  synchronized SecretResolver resolver(TaskSecret secret) throws LaunchFailedException {
    if (resolver == null) {
      try {
        resolver = SecretStores.fromEnvironment(executorEnvironment);
      } catch (IllegalArgumentException e) {
        throw new LaunchFailedException("Cannot resolve the secret " + secret.reference().orElseThrow() + " of "
            + secret.field() + ": " + e.getMessage());
      }
    }
    return resolver.orElseThrow(() -> new LaunchFailedException("Cannot resolve the secret "
        + secret.reference().orElseThrow() + " of " + secret.field() + ": no secret store is configured (set "
        + SecretStores.STORE_VARIABLE + " in the executor's environment)"));
  }

  synchronized SecretFileArea area() throws LaunchFailedException {
    if (area == null) {
      try {
        area = SecretFileArea.forSandbox(sandbox, executorEnvironment);
      } catch (IllegalArgumentException e) {
        throw new LaunchFailedException("Cannot write file secrets: " + e.getMessage());
      }
    }
    return area;
  }
}
