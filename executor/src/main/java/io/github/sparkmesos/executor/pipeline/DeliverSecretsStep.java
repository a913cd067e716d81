package io.github.sparkmesos.executor.pipeline;

import io.github.sparkmesos.executor.task.InvalidTaskException;
import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.executor.task.TaskSecret;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.secrets.SecretFileArea;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts the resolved secrets where the task finds them: variables into the plan's environment (the runtime's
 * input, nothing else), each file into the executor's secret area (memory-backed where the host has one), mode
 * 0400. A task on this host finds the file through a link at the path it gave; a container gets the file mounted
 * read-only there. Closing the result removes the files and links, however the task ended.
 */
final class DeliverSecretsStep {

  private DeliverSecretsStep() {}

  /** The plan with its secrets delivered, and what removes their files. Closing twice is harmless. */
  static final class Delivered implements Undo, AutoCloseable {
    private final LaunchPlan plan;
    private final String taskId;
    private SecretFileArea.TaskFiles files;

    private Delivered(LaunchPlan plan, SecretFileArea.TaskFiles files) {
      this.plan = plan;
      this.taskId = plan.taskId();
      this.files = files;
    }

    LaunchPlan plan() {
      return plan;
    }

    @Override
    public synchronized void run() {
      close();
    }

    @Override
    public synchronized void close() {
      if (files == null) {
        return;
      }
      try {
        files.close();
        removeMountPoints();
      } catch (IOException e) {
        Log.warn("task " + taskId + ": cannot remove its secret files from " + files.directory() + ": "
            + e.getMessage());
      }
      files = null;
    }

    /**
     * The engine makes an empty file in the task's directory to mount a secret on when its path is inside the
     * mapped sandbox: that empty file goes too.
     */
    private void removeMountPoints() throws IOException {
      if (plan.container().isEmpty()) {
        return;
      }
      for (LaunchPlan.SecretFile f : plan.secretFiles()) {
        if (f.delivery() == TaskSecret.Delivery.FILE && !f.target().startsWith("/")) {
          Path point = plan.directory().resolve(f.target()).normalize();
          if (point.startsWith(plan.directory()) && Files.isRegularFile(point, LinkOption.NOFOLLOW_LINKS)
              && Files.size(point) == 0) {
            Files.delete(point);
          }
        }
      }
    }
  }

  static Delivered run(LaunchPlan plan, ResolveSecretsStep.Resolved resolved, SecretSupply supply, TaskLog log)
      throws LaunchFailedException {
    if (resolved.files().isEmpty()) {
      return new Delivered(plan.withResolvedSecrets(resolved.environment(), List.of(), resolved.values()), null);
    }
    SecretFileArea area = supply.area();
    if (!area.memoryBacked()) {
      log.note("WARNING: no memory-backed filesystem for file secrets (set " + SecretFileArea.DIRECTORY_VARIABLE
          + "): they are on disk in " + area.root() + " while the task runs");
    }
    SecretFileArea.TaskFiles files = null;
    try {
      files = area.create();
      List<LaunchPlan.SecretFile> written = new ArrayList<>();
      List<Path> mounts = new ArrayList<>(); // pairs: the secret's file, the host file it is mounted over
      for (ResolveSecretsStep.FileValue file : resolved.files()) {
        Path hostFile = files.write(file.value(), Optional.empty());
        written.add(new LaunchPlan.SecretFile(hostFile, file.secret().target(), file.secret().delivery()));
        if (plan.container().isEmpty() && file.secret().delivery() == TaskSecret.Delivery.FILE) {
          Path target = file.secret().hostPath(plan.directory());
          if (file.secret().mountedOver(plan.directory())) {
            mounts.addAll(List.of(hostFile, target));
            continue;
          }
          Files.createDirectories(target.getParent());
          try {
            files.link(target, hostFile);
          } catch (FileAlreadyExistsException e) {
            throw new LaunchFailedException("Cannot deliver the secret of " + file.secret().field() + " to " + target
                + ": a file is there already");
          }
        }
      }
      LaunchPlan delivered = plan.withResolvedSecrets(resolved.environment(), written, resolved.values());
      if (!mounts.isEmpty()) {
        delivered = delivered.withEntry(SecretMounts.argv(mounts), java.util.Map.of());
      }
      return new Delivered(delivered, files);
    } catch (IOException | InvalidTaskException e) {
      new Delivered(plan, files).close();
      throw new LaunchFailedException("Cannot write the task's file secrets: " + e.getMessage(), e);
    } catch (LaunchFailedException e) {
      new Delivered(plan, files).close();
      throw e;
    }
  }
}
