package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.os.ExecChain;
import io.github.sparkmesos.os.cni.CniAttachment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts a task inside its network namespace, as Mesos's isolator sets up a container
 * of its own network: {@code nsenter --net} into the namespace, {@code unshare} a private mount and UTS
 * namespace, bind-mount the container's {@code hosts} (and its {@code resolv.conf}, when a plugin named
 * resolvers) over {@code /etc}'s, set the hostname, then exec what follows (the switch to the task's user, then
 * the task's own argv): the same process, the
 * leader of the task's session, with nothing of the entry left.
 */
final class NamespaceEntry {

  /** $1 hosts, $2 resolv.conf (empty: the host's), $3 hostname, then the task's argv. */
  static final String SCRIPT = "set -e\n"
      + "[ ! -e /etc/hosts ] || MOUNT --bind \"$1\" /etc/hosts\n"
      + "[ -z \"$2\" ] || MOUNT --bind \"$2\" /etc/resolv.conf\n"
      + "printf %s \"$3\" > /proc/sys/kernel/hostname\n"
      + "shift 3\n"
      + "exec \"$@\"\n";

  private NamespaceEntry() {}

  /** The entry's argv, to be followed by the task's (its user switch, then its command). */
  static List<String> argv(CniAttachment attachment, String hostname) {
    List<String> argv = enter(attachment);
    argv.addAll(List.of(tool("unshare"), "--mount", "--uts", "--propagation", "private", "--",
        "/bin/sh", "-c", SCRIPT.replace("MOUNT", tool("mount")), "cni-entry", attachment.hosts().toString(),
        attachment.resolvConf().map(Path::toString).orElse(""), hostname));
    return argv;
  }

  /**
   * A COMMAND check of the task, run in its network namespace as Mesos runs checks in the container's (the
   * check's own user switch follows the entry).
   */
  static List<String> check(CniAttachment attachment, List<String> check) {
    List<String> argv = enter(attachment);
    argv.addAll(check);
    return argv;
  }

  /** {@code nsenter --net} into the task's namespace, then what follows. */
  private static List<String> enter(CniAttachment attachment) {
    return new ArrayList<>(List.of(tool("nsenter"), "--net=" + attachment.netns().path(), "--"));
  }

  /** util-linux's tool, by its full path; not installed, the start fails naming it. */
  private static String tool(String name) {
    return ExecChain.systemTool(name).orElse(name);
  }
}
