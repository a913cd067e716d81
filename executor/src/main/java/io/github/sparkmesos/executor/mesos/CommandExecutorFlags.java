package io.github.sparkmesos.executor.mesos;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos.CapabilityInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;

/**
 * The command line an agent gives its command executor, {@code <launcher_dir>/mesos-executor}
 * (src/launcher/executor.cpp, class Flags, and the logging flags it inherits), read as stout reads
 * flags ({@link StoutFlags}). An unknown flag is an error naming it, as for Mesos's executor. What a flag asks for that this executor cannot do yet is
 * said by {@link #unsupported()}; the task then fails naming it.
 */
public record CommandExecutorFlags(
    Optional<Path> launcherDir,
    Optional<String> rootfs,
    Optional<String> sandboxDirectory,
    Optional<String> workingDirectory,
    Optional<String> user,
    Optional<CommandInfo> taskCommand,
    Optional<Environment> taskEnvironment,
    Optional<CapabilityInfo> effectiveCapabilities,
    Optional<CapabilityInfo> boundingCapabilities,
    Optional<JsonObject> taskLaunchInfo,
    Optional<String> ttySlavePath,
    List<Long> taskSupplementaryGroups) {

  /** ContainerLaunchInfo fields the command executor hands on to mesos-containerizer (executor.cpp). */
  private static final List<String> LAUNCH_INFO_FIELDS = List.of("mounts", "file_operations", "pre_exec_commands",
      "clone_namespaces");

  public static final CommandExecutorFlags NONE = new CommandExecutorFlags(Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), List.of());

  /** Whether the agent started this executor as its command executor (it always passes --launcher_dir). */
  public boolean commandExecutor() {
    return !equals(NONE);
  }

  /**
   * Reads the agent's flags from {@code args}; what is not a flag of Mesos's command executor is
   * returned in {@code rest} for the caller's own options.
   */
  public static CommandExecutorFlags parse(List<String> args, List<String> rest) {
    Map<String, String> values = StoutFlags.parse(args, NAMES, Set.of(), rest);
    return new CommandExecutorFlags(
        Optional.ofNullable(values.get("launcher_dir")).map(Path::of),
        Optional.ofNullable(values.get("rootfs")),
        Optional.ofNullable(values.get("sandbox_directory")),
        Optional.ofNullable(values.get("working_directory")),
        Optional.ofNullable(values.get("user")),
        Optional.ofNullable(values.get("task_command"))
            .map(v -> proto("task_command", v, CommandInfo.newBuilder())),
        Optional.ofNullable(values.get("task_environment"))
            .map(v -> proto("task_environment", v, Environment.newBuilder())),
        Optional.ofNullable(values.get("effective_capabilities"))
            .map(v -> proto("effective_capabilities", v, CapabilityInfo.newBuilder())),
        Optional.ofNullable(values.get("bounding_capabilities"))
            .map(v -> proto("bounding_capabilities", v, CapabilityInfo.newBuilder())),
        Optional.ofNullable(values.get("task_launch_info")).map(v -> StoutFlags.jsonObject("task_launch_info", v)),
        Optional.ofNullable(values.get("tty_slave_path")),
        groups(values.get("task_supplementary_groups")));
  }

  /** The agent flags' names this executor knows, for its usage text. */
  public static final List<String> NAMES = List.of("launcher_dir", "rootfs", "sandbox_directory",
      "working_directory", "user", "task_command", "task_environment", "effective_capabilities",
      "bounding_capabilities", "task_launch_info", "tty_slave_path", "task_supplementary_groups");

  private static <T extends Message> T proto(String name, String json, Message.Builder builder) {
    try {
      JsonFormat.parser().merge(StoutFlags.jsonObject(name, json).toString(), builder);
      @SuppressWarnings("unchecked")
      T message = (T) builder.build();
      return message;
    } catch (InvalidProtocolBufferException | com.google.protobuf.UninitializedMessageException e) {
      throw new IllegalArgumentException("flag '--" + name + "': not a valid "
          + builder.getDescriptorForType().getName() + " in JSON: " + e.getMessage(), e);
    }
  }

  private static List<Long> groups(String value) {
    List<Long> gids = new ArrayList<>();
    if (value == null) {
      return gids;
    }
    for (String gid : value.split(",")) {
      try {
        gids.add(Long.parseUnsignedLong(gid.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("flag '--task_supplementary_groups': '" + gid
            + "' is not a group id (a comma-separated list of numbers)");
      }
    }
    return gids;
  }

  /**
   * What these flags ask for that this executor does not do yet, each naming its flag: a task
   * launched with them fails with that message rather than run differently than asked.
   *
   * @param ownUser the user this executor runs as
   */
  public List<String> unsupported(String ownUser) {
    List<String> missing = new ArrayList<>();
    rootfs.ifPresent(r -> missing.add("--rootfs=" + r + ": running a task in a root filesystem from a container"
        + " image (pivot_root through mesos-containerizer) is not supported by this executor"));
    // run as root, the executor switches the task to --user itself (TaskUsers)
    user.filter(u -> !u.equals(ownUser) && !ownUser.equals("root")).ifPresent(u -> missing.add("--user=" + u
        + ": this executor runs as '" + ownUser + "' and cannot switch a task to another user (it would need to"
        + " run as root)"));
    effectiveCapabilities.ifPresent(c -> missing.add("--effective_capabilities: setting a task's capabilities is"
        + " not supported by this executor"));
    boundingCapabilities.ifPresent(c -> missing.add("--bounding_capabilities: setting a task's capability bounding"
        + " set is not supported by this executor"));
    ttySlavePath.ifPresent(t -> missing.add("--tty_slave_path=" + t + ": attaching a task to a TTY is not"
        + " supported by this executor"));
    if (!taskSupplementaryGroups.isEmpty()) {
      missing.add("--task_supplementary_groups: setting a task's supplementary groups is not supported by this"
          + " executor yet");
    }
    taskLaunchInfo.ifPresent(info -> {
      for (String field : LAUNCH_INFO_FIELDS) {
        JsonElement value = info.get(field);
        if (value != null && !(value.isJsonArray() && value.getAsJsonArray().isEmpty())) {
          missing.add("--task_launch_info." + field + ": not supported by this executor (it does not run"
              + " mesos-containerizer)");
        }
      }
    });
    return missing;
  }
}
