package io.github.sparkmesos.executor.pipeline;

import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.executor.task.TaskSecret;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.secrets.SecretException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the plan's secrets into values: those the task gave, and references resolved from the operator's store.
 * Each value is told to the redactor before anything could print it; a reference that cannot be resolved fails
 * the task naming the reference and the setting, never a value.
 */
final class ResolveSecretsStep {

  /** The values, for the task's environment and for its files. */
  record Resolved(Map<String, String> environment, List<FileValue> files, Set<String> values) {}

  /** A file secret and its value. */
  record FileValue(TaskSecret secret, byte[] value) {}

  private ResolveSecretsStep() {}

  static Resolved run(LaunchPlan plan, SecretSupply supply) throws LaunchFailedException {
    Map<String, String> env = new LinkedHashMap<>();
    List<FileValue> files = new ArrayList<>();
    Set<String> values = new LinkedHashSet<>();
    List<TaskSecret> secrets = new ArrayList<>(plan.secrets());
    if (plan.container().isPresent()) {
      supply.registryConfig().ifPresent(secrets::add);
    }
    for (TaskSecret secret : secrets) {
      byte[] value = secret.value().isPresent() ? secret.value().get() : resolve(secret, supply);
      Log.redactor().add(value);
      String text = new String(value, StandardCharsets.UTF_8);
      values.add(text);
      if (secret.delivery() == TaskSecret.Delivery.ENVIRONMENT) {
        env.put(secret.target(), text(value, secret));
      } else {
        files.add(new FileValue(secret, value));
      }
    }
    return new Resolved(env, files, values);
  }

  private static byte[] resolve(TaskSecret secret, SecretSupply supply) throws LaunchFailedException {
    try {
      return supply.resolver(secret).resolve(secret.reference().orElseThrow());
    } catch (SecretException e) {
      throw new LaunchFailedException("Cannot resolve the secret of " + secret.field() + ": " + e.getMessage());
    }
  }

  /** An environment holds text: a resolved value for a variable must be UTF-8 without NUL. */
  private static String text(byte[] value, TaskSecret secret) throws LaunchFailedException {
    return TaskSecret.text(value).orElseThrow(() -> new LaunchFailedException("The secret " + secret.source()
        + " of " + secret.field() + " is not UTF-8 text without NUL bytes, so it cannot be the environment variable "
        + secret.target()));
  }
}
