package io.github.sparkmesos.executor.task;

/** A valid task that could not be started (fetch failed, runtime unavailable): REASON_CONTAINER_LAUNCH_FAILED. */
public final class LaunchFailedException extends Exception {
  public LaunchFailedException(String message) {
    super(message);
  }

  public LaunchFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
