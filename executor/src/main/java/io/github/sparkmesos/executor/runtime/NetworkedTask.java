package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.os.cni.CniAttachment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A task started in its CNI networks: reachable at the addresses the plugins gave it, and "all gone" only
 * once its processes are gone and its networks released ({@code DEL}, namespace removed), so its terminal
 * update comes after its address is free again.
 */
final class NetworkedTask extends WrappedTask {

  private final CniAttachment attachment;
  private final CompletableFuture<Void> released;

  /** @param release runs once nothing of the task is left, on {@code releases} (never the reaper's thread) */
  NetworkedTask(RunningTask task, CniAttachment attachment, Runnable release, Executor releases) {
    super(task);
    this.attachment = attachment;
    this.released = task.allGone().handleAsync((v, e) -> {
      release.run();
      return null;
    }, releases);
  }

  @Override
  public String id() {
    return task.id() + " in CNI network" + (attachment.networks().size() > 1 ? "s " : " ")
        + String.join(", ", attachment.networks().stream().map(CniAttachment.Joined::network).toList())
        + " at " + String.join(", ", addresses());
  }

  @Override
  public CompletableFuture<Void> allGone() {
    return released;
  }

  @Override
  public List<String> addresses() {
    return attachment.addresses();
  }

  @Override
  public java.util.Optional<java.nio.file.Path> networkNamespace() {
    return java.util.Optional.of(attachment.netns().path());
  }

  @Override
  public List<String> checkCommand(List<String> argv) {
    return NamespaceEntry.check(attachment, task.checkCommand(argv));
  }
}
