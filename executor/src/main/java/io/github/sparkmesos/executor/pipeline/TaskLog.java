package io.github.sparkmesos.executor.pipeline;

import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.os.RotatingLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Lines in a task's stderr, where operators look first, and in the executor's log; both redacted. */
public final class TaskLog {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private final String taskId;
  private final Path stderr;
  private final boolean sharedWithExecutor;

  /**
   * @param sharedWithExecutor the task's stderr is the executor's own (a command task in the
   *                           sandbox): a line goes there once, through the executor's log
   */
  public TaskLog(String taskId, Path taskDirectory, boolean sharedWithExecutor) {
    this.taskId = taskId;
    this.stderr = taskDirectory.resolve("stderr");
    this.sharedWithExecutor = sharedWithExecutor;
  }

  public void note(String line) {
    Log.info("task " + taskId + ": " + line);
    if (sharedWithExecutor) {
      return;
    }
    try {
      // through the task's rotating stderr while it runs, when the operator asked for rotation
      RotatingLog.append(stderr, (LocalDateTime.now().format(TIME) + " [spark-mesos-executor] "
          + Log.redactor().redact(line) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      Log.warn("task " + taskId + ": cannot write to its stderr: " + e.getMessage());
    }
  }

  public Path stderr() {
    return stderr;
  }
}
