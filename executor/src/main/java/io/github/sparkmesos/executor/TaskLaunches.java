package io.github.sparkmesos.executor;

import io.github.sparkmesos.executor.mesos.AgentEnvironment;
import io.github.sparkmesos.executor.mesos.CommandExecutorFlags;
import io.github.sparkmesos.executor.mesos.DockerExecutorFlags;
import io.github.sparkmesos.executor.pipeline.SecretSupply;
import io.github.sparkmesos.executor.pipeline.TaskPipeline;
import io.github.sparkmesos.executor.pipeline.TaskReporter;
import io.github.sparkmesos.executor.runtime.CniRuntime;
import io.github.sparkmesos.executor.runtime.CniSettings;
import io.github.sparkmesos.executor.runtime.DockerRuntime;
import io.github.sparkmesos.executor.runtime.LogRotation;
import io.github.sparkmesos.executor.runtime.ProcessRuntime;
import io.github.sparkmesos.executor.runtime.Runtimes;
import io.github.sparkmesos.executor.runtime.TaskRuntime;
import io.github.sparkmesos.executor.task.InvalidTaskException;
import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.executor.task.LaunchPlans;
import io.github.sparkmesos.executor.task.TaskUsers;
import io.github.sparkmesos.executor.task.TaskValidation;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.fetcher.Fetcher;
import io.github.sparkmesos.secrets.ChildEnvironment;
import io.github.sparkmesos.docker.DockerPolicy;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * Turns a launched TaskInfo into a pipeline ready to run, on the loop thread, before anything of the
 * task exists: its validation into a plan (a task of a group, a command task, or a Spark task
 * document) and the runtime that plan runs in.
 */
final class TaskLaunches {

  /** A task refused before it started, with the reason and message of its TASK_FAILED. */
  static final class Refused extends Exception {
    final TaskStatus.Reason reason;

    Refused(TaskStatus.Reason reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  private final Path sandbox;
  private final CommandExecutorFlags flags;
  private final Optional<String> sparkHome;
  private final Runtimes runtimes;
  private final ProcessRuntime process;
  private final CniRuntime networked;
  private final TaskUsers users;
  private final Fetcher fetcher;
  private final DockerPolicy dockerPolicy;
  private final Optional<DockerExecutorFlags> dockerExecutor;
  private final Optional<String> dockerPolicyError;
  private final SecretSupply secrets;

  /**
   * @param dockerExecutor the agent's flags when it runs this executor as its Docker executor
   * @param processEnvironment the executor's own environment: the operator's settings, and what tasks inherit
   */
  TaskLaunches(AgentEnvironment agentEnv, CommandExecutorFlags flags, Optional<DockerExecutorFlags> dockerExecutor,
      Map<String, String> processEnvironment, Fetcher fetcher) {
    Map<String, String> childEnvironment = ChildEnvironment.inheritable(processEnvironment);
    this.dockerExecutor = dockerExecutor;
    this.sandbox = agentEnv.sandbox();
    this.flags = flags;
    this.sparkHome = Optional.ofNullable(childEnvironment.get("SPARK_HOME"));
    LogRotation logRotation = LogRotation.fromEnvironment(processEnvironment);
    this.process = new ProcessRuntime(childEnvironment, sandbox.resolve(ProcessRuntime.STATE_DIRECTORY),
        processEnvironment, logRotation);
    // CNI is an option of the process runtime; what a killed executor left in this sandbox is released here
    this.networked = CniRuntime.around(process, CniSettings.fromEnvironment(childEnvironment), sandbox);
    this.users = TaskUsers.fromEnvironment(processEnvironment);
    this.runtimes = new Runtimes(networked,
        () -> DockerRuntime.forExecutor(childEnvironment, agentEnv.frameworkId(), agentEnv.executorId(),
            dockerExecutor.map(d -> new DockerRuntime.AgentContainer(d.container(),
                d.mappedDirectory().orElse(DockerRuntime.MAPPED_SANDBOX), d.engineHost())), logRotation));
    if (dockerExecutor.isPresent()) {
      runtimes.prepareDocker(); // as the agent's Docker executor its one task runs in a container
    }
    this.fetcher = fetcher;
    DockerPolicy policy = DockerPolicy.NONE;
    Optional<String> error = Optional.empty();
    try {
      policy = DockerPolicy.fromEnvironment(processEnvironment);
    } catch (IllegalArgumentException e) {
      error = Optional.of(e.getMessage());
    }
    this.dockerPolicy = policy;
    this.dockerPolicyError = error;
    this.secrets = new SecretSupply(processEnvironment, sandbox);
    secrets.removeLeftovers();
  }

  /** The executor is done: the process runtime's guardian is released (see {@link ProcessRuntime#close()}). */
  void close() {
    process.close();
  }

  /**
   * As one of the agent's own executors (command or Docker), which run one task each: the message of
   * Mesos's executor for a second task; null for this executor as a framework's.
   */
  String secondTaskRefusal() {
    return dockerExecutor.isPresent() ? LaunchPlans.MULTIPLE_DOCKER_TASKS
        : flags.commandExecutor() ? LaunchPlans.MULTIPLE_TASKS : null;
  }

  /**
   * @param group     the task group it belongs to, or null for a LAUNCH
   * @param framework as SUBSCRIBED told it (null before): its user owns the fetches
   */
  TaskPipeline prepare(TaskInfo task, String group, FrameworkInfo framework, TaskReporter reporter) throws Refused {
    Optional<String> user = Optional.ofNullable(framework).filter(FrameworkInfo::hasUser).map(FrameworkInfo::getUser);
    LaunchPlans.Context context = new LaunchPlans.Context(user, sparkHome, sandbox, flags, dockerPolicy,
        dockerExecutor);
    try {
      LaunchPlan plan = TaskValidation.plan(task, group != null, context, dockerPolicyError);
      plan.secretValues().forEach(Log.redactor()::add);
      TaskRuntime runtime = runtimes.select(plan);
      if (runtime == networked) {
        networked.check(plan); // a network without configuration fails the task before anything of it exists
        runtime = networked.around(process.as(users.resolve(TaskUsers.request(task, flags, user))));
      }
      return new TaskPipeline(plan, runtime, fetcher, user.orElse(null),
          plan.killGracePeriod().orElse(TaskTable.DEFAULT_KILL_GRACE), reporter, secrets);
    } catch (InvalidTaskException e) {
      throw new Refused(TaskStatus.Reason.REASON_TASK_INVALID, TaskValidation.invalidMessage(e));
    } catch (LaunchFailedException e) {
      throw new Refused(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED, e.getMessage());
    }
  }
}
