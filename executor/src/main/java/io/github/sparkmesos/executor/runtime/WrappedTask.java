package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.os.ExitStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A running task seen through an option of its runtime (its CNI networks, its rotated output): everything is
 * the wrapped task's own, save what the option overrides.
 */
abstract class WrappedTask implements RunningTask {

  protected final RunningTask task;

  WrappedTask(RunningTask task) {
    this.task = task;
  }

  @Override
  public String id() {
    return task.id();
  }

  @Override
  public CompletableFuture<ExitStatus> exit() {
    return task.exit();
  }

  @Override
  public CompletableFuture<Void> allGone() {
    return task.allGone();
  }

  @Override
  public void kill(Duration grace) {
    task.kill(grace);
  }

  @Override
  public void killNow() {
    task.killNow();
  }

  @Override
  public boolean anyAlive() {
    return task.anyAlive();
  }

  @Override
  public boolean killRequested() {
    return task.killRequested();
  }

  @Override
  public List<String> addresses() {
    return task.addresses();
  }

  @Override
  public String kind() {
    return task.kind();
  }

  @Override
  public boolean oomKilled() {
    return task.oomKilled();
  }

  @Override
  public List<String> checkCommand(List<String> argv) {
    return task.checkCommand(argv);
  }

  @Override
  public java.util.Optional<java.nio.file.Path> networkNamespace() {
    return task.networkNamespace();
  }

  @Override
  public Map<String, String> environment() {
    return task.environment();
  }
}
