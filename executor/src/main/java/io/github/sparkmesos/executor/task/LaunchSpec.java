package io.github.sparkmesos.executor.task;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to run one task, validated and resolved from its TaskInfo before anything is
 * started: what to fetch, the argv and environment of its command, and its kill grace period.
 *
 * @param environment variables the task sets on top of the executor's inheritable environment
 * @param secretValues values that must never appear in a log line or status message
 */
public record LaunchSpec(
    String taskId,
    List<FetchUri> uris,
    List<String> argv,
    Map<String, String> environment,
    Optional<Duration> killGracePeriod,
    List<String> secretValues,
    List<String> warnings) {

  public LaunchSpec {
    uris = List.copyOf(uris);
    argv = List.copyOf(argv);
    environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
    secretValues = List.copyOf(secretValues);
    warnings = List.copyOf(warnings);
  }
}
