package io.github.sparkmesos.executor.pipeline;

import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.os.ExecChain;
import io.github.sparkmesos.os.UserAccount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry of a task on this host whose file secrets go to absolute paths outside its sandbox: a private mount
 * namespace ({@code unshare --mount}) in which each secret's file is bind-mounted read-only over the existing file
 * at its path, as Mesos's volume/secret isolator mounts one for a container without a root filesystem; then exec
 * what follows (the task's user switch and command). The host's files and every other process's view stay as
 * they were. Runs as the executor's user, before the switch: mounting needs root.
 */
final class SecretMounts {

  /** $1 the number of mounts, then each mount's source and target, then the task's argv. */
  static final String SCRIPT = "set -e\n"
      + "n=$1; shift\n"
      + "while [ \"$n\" -gt 0 ]; do\n"
      + "  MOUNT --bind \"$1\" \"$2\"; MOUNT -o remount,bind,ro \"$2\"; shift 2; n=$((n - 1))\n"
      + "done\n"
      + "exec \"$@\"\n";

  private SecretMounts() {}

  /**
   * @param mounts pairs of paths: a secret's file, then the host file it is mounted over
   * @throws LaunchFailedException when this executor cannot mount (it is not root)
   */
  static List<String> argv(List<Path> mounts) throws LaunchFailedException {
    if (!UserAccount.current().isRoot()) {
      throw new LaunchFailedException("Cannot deliver a file secret to " + mounts.get(1) + ", outside the task's"
          + " sandbox: it is mounted in a mount namespace of the task's, which needs this executor to run as root");
    }
    List<String> argv = new ArrayList<>(List.of(tool("unshare"), "--mount", "--propagation", "private", "--",
        "/bin/sh", "-c", SCRIPT.replace("MOUNT", tool("mount")), "secret-mounts", Integer.toString(mounts.size() / 2)));
    mounts.forEach(p -> argv.add(p.toString()));
    return argv;
  }

  private static String tool(String name) throws LaunchFailedException {
    return ExecChain.systemTool(name).orElseThrow(() -> new LaunchFailedException(name + " (util-linux) is needed"
        + " to mount a file secret outside the task's sandbox, and is not installed"));
  }
}
