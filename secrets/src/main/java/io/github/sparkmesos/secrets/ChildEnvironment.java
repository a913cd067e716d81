package io.github.sparkmesos.secrets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What of the executor's own environment a child may inherit: everything but the credentials the
 * agent gave the executor itself.
 */
public final class ChildEnvironment {

  /** The executor's token for the agent API; a task that had it could act as the executor. */
  public static final String AGENT_TOKEN = "MESOS_EXECUTOR_AUTHENTICATION_TOKEN";

  private static final Set<String> NEVER_INHERITED = Set.of(AGENT_TOKEN);

  private ChildEnvironment() {}

  /** A copy of {@code executorEnvironment} without the variables no child may see. */
  public static Map<String, String> inheritable(Map<String, String> executorEnvironment) {
    Map<String, String> env = new LinkedHashMap<>(executorEnvironment);
    env.keySet().removeAll(NEVER_INHERITED);
    return env;
  }

  /** Whether a task may set {@code name} itself (it may not smuggle the agent token back in). */
  public static boolean settableByTask(String name) {
    return !NEVER_INHERITED.contains(name);
  }
}
