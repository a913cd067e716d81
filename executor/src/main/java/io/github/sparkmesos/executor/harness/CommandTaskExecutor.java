package io.github.sparkmesos.executor.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;

/**
 * The executor an agent makes for a command task (a TaskInfo with {@code command}, without
 * {@code executor}): its ExecutorInfo as {@code Slave::getExecutorInfo} builds it, the argv the
 * containerizer runs from it, and the environment its container adds to the agent's. The task's URIs
 * are the agent's to fetch ({@link AgentFetch}). A task whose container is DOCKER goes to the Docker
 * containerizer instead, which keeps this ExecutorInfo (the container in it) but runs
 * {@code mesos-docker-executor} ({@link #dockerArgv}) after pulling the image ({@link AgentDocker}).
 */
final class CommandTaskExecutor {

  static final String PROGRAM = "mesos-executor";
  /** DEFAULT_EXECUTOR_CPUS and DEFAULT_EXECUTOR_MEM (MiB): the executor's own allowance. */
  private static final double EXECUTOR_CPUS = 0.1;
  private static final double EXECUTOR_MEM = 32;
  /** MAX_REAP_INTERVAL and one second: so the container outlives the task's TASK_KILLED. */
  private static final Duration KILL_ALLOWANCE = Duration.ofSeconds(2);

  private final ExecutorInfo info;
  private final Map<String, String> environment;
  private final Path launcherDir;

  private CommandTaskExecutor(ExecutorInfo info, Path launcherDir) {
    this.info = info;
    this.environment = containerEnvironment(info.getCommand());
    this.launcherDir = launcherDir;
  }

  /** A task the agent runs under its command executor: a command, no executor, no data for ours. */
  static boolean isCommandTask(TaskInfo task) {
    return task.hasCommand() && !task.hasExecutor() && task.getData().isEmpty();
  }

  /**
   * @param launcherDir the agent's {@code --launcher_dir}
   */
  static CommandTaskExecutor of(TaskInfo task, String frameworkId, Path launcherDir) {
    CommandInfo taskCommand = task.getCommand();
    String id = task.getTaskId().getValue();
    ExecutorInfo.Builder info = ExecutorInfo.newBuilder()
        .setExecutorId(ExecutorID.newBuilder().setValue(id))
        .setFrameworkId(FrameworkID.newBuilder().setValue(frameworkId))
        .setName("Command Executor " + nameSuffix(task))
        .setSource(id);
    if (task.hasContainer()) {
      info.setContainer(task.getContainer());
    }
    CommandInfo.Builder command = info.getCommandBuilder().addAllUris(taskCommand.getUrisList());
    if (taskCommand.hasEnvironment()) {
      command.setEnvironment(taskCommand.getEnvironment());
    }
    if (task.hasLabels()) {
      info.setLabels(task.getLabels());
    }
    if (task.hasDiscovery()) {
      info.setDiscovery(task.getDiscovery());
    }
    if (task.hasKillPolicy() && task.getKillPolicy().hasGracePeriod()) {
      info.setShutdownGracePeriod(DurationInfo.newBuilder().setNanoseconds(
          task.getKillPolicy().getGracePeriod().getNanoseconds() + KILL_ALLOWANCE.toNanos()));
    }
    if (taskCommand.hasUser()) {
      command.setUser(taskCommand.getUser());
    }
    Path program = launcherDir.resolve(PROGRAM);
    try {
      command.setShell(false).setValue(program.toRealPath().toString())
          .addArguments(PROGRAM).addArguments("--launcher_dir=" + launcherDir);
    } catch (IOException e) {
      command.setShell(true).setValue("echo 'No such file or directory'; exit 1");
    }
    // the containerizer is given these plus the task's resources; SUBSCRIBED shows only these
    Optional<Resource.AllocationInfo> role = task.getResourcesList().stream().filter(Resource::hasAllocationInfo)
        .map(Resource::getAllocationInfo).findFirst();
    info.addResources(scalar("cpus", EXECUTOR_CPUS, role)).addResources(scalar("mem", EXECUTOR_MEM, role));
    return new CommandTaskExecutor(info.build(), launcherDir);
  }

  /** {@code (Task: <id>) (Command: sh -c '<value>')}, the value cut to 12 characters and "..." past 15. */
  private static String nameSuffix(TaskInfo task) {
    CommandInfo command = task.getCommand();
    String name = "(Task: " + task.getTaskId().getValue() + ") ";
    if (command.getShell()) {
      if (!command.hasValue()) {
        return name + "(Command: NO COMMAND)";
      }
      return name + "(Command: sh -c '" + shortened(command.getValue()) + "')";
    }
    if (!command.hasValue()) {
      return name + "(Command: NO EXECUTABLE)";
    }
    String args = command.getValue() + ", " + String.join(", ", command.getArgumentsList());
    return name + "(Command: [" + shortened(args) + "])";
  }

  private static String shortened(String text) {
    return text.length() > 15 ? text.substring(0, 12) + "..." : text;
  }

  private static Resource scalar(String name, double value, Optional<Resource.AllocationInfo> role) {
    Resource.Builder r = Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value));
    role.ifPresent(r::setAllocationInfo);
    return r.build();
  }

  ExecutorInfo info() {
    return info;
  }

  /** A task the Docker containerizer runs: its container is DOCKER. */
  boolean docker() {
    return info.hasContainer() && info.getContainer().getType() == ContainerInfo.Type.DOCKER;
  }

  /** The task's Docker settings (image, force pull), for a {@link #docker()} task. */
  ContainerInfo.DockerInfo dockerInfo() {
    return info.getContainer().getDocker();
  }

  /**
   * What the Docker containerizer runs: the real path of {@code <launcher_dir>/mesos-docker-executor}
   * (subprocess resolves the link when it execs), then its flags ({@link DockerExecutorArgs}).
   *
   * @throws IOException when the launcher folder has no {@code mesos-docker-executor}: the fork fails
   */
  List<String> dockerArgv(String container, String dockerSocket, Path sandbox) throws IOException {
    Path program = launcherDir.resolve(DockerExecutorArgs.PROGRAM);
    List<String> argv = new ArrayList<>();
    try {
      argv.add(program.toRealPath().toString());
    } catch (IOException e) {
      throw new IOException("Failed to fork executor: " + program + ": No such file or directory", e);
    }
    argv.addAll(DockerExecutorArgs.of(container, dockerSocket, sandbox, launcherDir));
    return argv;
  }

  /** Whether the launcher folder has a {@code mesos-executor}: without one the agent runs a failing echo. */
  boolean found() {
    return !info.getCommand().getShell();
  }

  /** What the containerizer runs: the program and its arguments after argv[0], or the shell command. */
  List<String> argv() {
    CommandInfo command = info.getCommand();
    if (command.getShell()) {
      return List.of("/bin/sh", "-c", command.getValue());
    }
    List<String> argv = new ArrayList<>(command.getArgumentsList());
    // our launcher takes argv[0] as the program; the executor cannot see argv[0] either way
    argv.set(0, command.getValue());
    return argv;
  }

  /**
   * What the container adds to the agent's environment: {@code MESOS_HTTP_COMMAND_EXECUTOR=1}, and
   * the command's environment over everything else.
   */
  Map<String, String> environment() {
    return environment;
  }

  private static Map<String, String> containerEnvironment(CommandInfo command) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MESOS_HTTP_COMMAND_EXECUTOR", "1");
    for (Environment.Variable v : command.getEnvironment().getVariablesList()) {
      if (v.getType() != Environment.Variable.Type.SECRET) {
        env.put(v.getName(), v.getValue());
      } else if (v.getSecret().hasValue()) {
        env.put(v.getName(), v.getSecret().getValue().getData().toString(StandardCharsets.UTF_8));
      }
      // a reference is left to the executor, which resolves it from the store the operator gave it
    }
    return java.util.Collections.unmodifiableMap(env);
  }

  /** The ExecutorInfo's shutdown grace period (the kill policy's grace and 2 s), which overrides the agent's. */
  Optional<Duration> shutdownGracePeriod() {
    return info.hasShutdownGracePeriod()
        ? Optional.of(Duration.ofNanos(info.getShutdownGracePeriod().getNanoseconds())) : Optional.empty();
  }
}
