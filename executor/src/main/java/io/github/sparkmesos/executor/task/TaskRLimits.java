package io.github.sparkmesos.executor.task;

import io.github.sparkmesos.os.ResourceLimits;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.mesos.v1.Protos.RLimitInfo;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * {@code TaskInfo.container.rlimit_info} as Mesos's {@code posix/rlimits} isolator reads it: each limit by its
 * type, soft and hard both set (soft not above hard) or neither (unlimited); named as prlimit(1) names them.
 */
final class TaskRLimits {

  private static final String FIELD = "TaskInfo.container.rlimit_info.rlimits";

  private TaskRLimits() {}

  static Map<String, ResourceLimits.Limit> of(TaskInfo task) throws InvalidTaskException {
    Map<String, ResourceLimits.Limit> limits = new LinkedHashMap<>();
    if (!task.hasContainer() || !task.getContainer().hasRlimitInfo()) {
      return limits;
    }
    java.util.List<RLimitInfo.RLimit> given = task.getContainer().getRlimitInfo().getRlimitsList();
    for (int i = 0; i < given.size(); i++) {
      RLimitInfo.RLimit limit = given.get(i);
      String field = FIELD + "[" + i + "]";
      if (limit.getType() == RLimitInfo.RLimit.Type.UNKNOWN) {
        throw new InvalidTaskException(field + ".type", "an rlimit needs a known type (RLMT_NOFILE, RLMT_CORE, ...)");
      }
      // RLMT_NOFILE -> nofile, as prlimit's --nofile
      String name = limit.getType().name().substring("RLMT_".length()).toLowerCase(Locale.ROOT);
      ResourceLimits.Limit value;
      if (limit.hasSoft() && limit.hasHard()) {
        long soft = limit.getSoft();
        long hard = limit.getHard();
        if (soft < 0 || hard < 0) {
          throw new InvalidTaskException(field, "soft and hard must be below 2^63 (leave both unset for unlimited)");
        }
        if (Long.compareUnsigned(soft, hard) > 0) {
          throw new InvalidTaskException(field, "the soft limit " + soft + " is above the hard limit " + hard);
        }
        value = new ResourceLimits.Limit(soft, hard);
      } else if (!limit.hasSoft() && !limit.hasHard()) {
        value = new ResourceLimits.Limit(-1, -1);
      } else {
        throw new InvalidTaskException(field, "set both soft and hard, or neither for unlimited (as Mesos)");
      }
      if (limits.put(name, value) != null) {
        throw new InvalidTaskException(field + ".type", limit.getType() + " is given twice");
      }
    }
    return limits;
  }
}
