package io.github.sparkmesos.executor.task;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * {@code TaskInfo.container.hostname} of a task without a container image: the hostname of its own network
 * namespace, which it has only when it joins networks of its own, as Mesos's network/cni isolator sets it (and
 * refuses it for a task on the host's network). Written into the namespace's {@code /etc/hosts} beside its address.
 */
final class TaskHostname {

  /** RFC 1123 labels, at most 64 characters (the kernel's limit): nothing that could break a line of /etc/hosts. */
  private static final Pattern HOSTNAME = Pattern.compile(
      "(?=.{1,64}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  private TaskHostname() {}

  static Optional<String> of(TaskInfo task, List<LaunchPlan.Network> networks) throws InvalidTaskException {
    if (!task.hasContainer() || !task.getContainer().hasHostname()) {
      return Optional.empty();
    }
    String hostname = task.getContainer().getHostname();
    if (networks.isEmpty()) {
      throw new InvalidTaskException("TaskInfo.container.hostname", "cannot be set for a task on the host's network"
          + " (it joins no network of its own; as Mesos: 'Unable to set hostname with host network')");
    }
    if (!HOSTNAME.matcher(hostname).matches()) {
      throw new InvalidTaskException("TaskInfo.container.hostname", "'" + hostname + "' is not a hostname (at"
          + " most 64 characters, dot-separated labels of letters, digits and '-', not starting or ending with '-')");
    }
    return Optional.of(hostname);
  }
}
