package io.github.sparkmesos.executor.checks;

import io.github.sparkmesos.executor.task.InvalidTaskException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.HealthCheck;

/** PLACEHOLDER until the checks branch merges: the agreed API only. */
public final class TaskChecks implements AutoCloseable {
  public static void validate(Optional<HealthCheck> health, Optional<CheckInfo> check) throws InvalidTaskException {}

  public static TaskChecks start(Optional<HealthCheck> health, Optional<CheckInfo> check, CheckTarget target,
      Listener listener) {
    return new TaskChecks();
  }

  public void pause() {}

  @Override
  public void close() {}

  public interface Listener {
    void healthChanged(boolean healthy, boolean killTask, int consecutiveFailures);

    void checkChanged(CheckStatusInfo status);
  }

  public record CheckTarget(Map<String, String> environment, Path workingDirectory) {}
}
