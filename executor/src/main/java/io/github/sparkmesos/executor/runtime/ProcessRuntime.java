package io.github.sparkmesos.executor.runtime;

import io.github.sparkmesos.executor.pipeline.TaskLog;
import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.executor.task.TaskSecret;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ExecChain;
import io.github.sparkmesos.os.Guardian;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import io.github.sparkmesos.os.ResourceLimits;
import io.github.sparkmesos.os.TaskCgroup;
import io.github.sparkmesos.os.UserAccount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a task's command as a plain process on this host: the leader of a new session in the task's
 * directory, its stdout and stderr appended to the files there, with the executor's inheritable
 * environment, {@code MESOS_SANDBOX} and {@code MESOS_TASK_ID} under the task's own variables.
 *
 * <p>With a state directory, nothing a task starts outlives the executor: every task process carries
 * the marker of this executor's {@link Guardian} (started with the first task, so the executor's own
 * start pays nothing), and what an earlier executor of the same sandbox left is ended before the first
 * task here starts.
 *
 * <p>The operator's rlimits and umask ({@link ResourceLimits}) apply to every task; {@link #as} gives
 * the runtime of a task that runs as another user, which also owns the task's directory. Where cgroups
 * are writable each task has its own ({@link TaskCgroups}).
 */
public final class ProcessRuntime implements TaskRuntime {

  /** The executor's own directory in a sandbox, never given to a task's user. */
  public static final String STATE_DIRECTORY = ".spark-mesos-executor";

  private final Map<String, String> inheritedEnvironment;
  private final Optional<Guardian> guardian;
  /** Ends with the guardian started, after what an earlier executor of the sandbox left was ended. */
  private final CompletableFuture<Void> guardianStarted;
  private final Optional<TaskCgroups> cgroups;
  private final ResourceLimits limits;
  /** Why the operator's limits cannot be read (each task fails with it), or null. */
  private final String limitsError;
  private final LogRotation logRotation;

  /** @param inheritedEnvironment the executor's environment less what no task may see */
  public ProcessRuntime(Map<String, String> inheritedEnvironment) {
    this(inheritedEnvironment, LogRotation.NONE);
  }

  /** @param logRotation how the task's stdout and stderr are kept ({@link RotatedOutput}); NONE: its own files */
  public ProcessRuntime(Map<String, String> inheritedEnvironment, LogRotation logRotation) {
    this.inheritedEnvironment = Map.copyOf(inheritedEnvironment);
    this.guardian = Optional.empty();
    this.guardianStarted = CompletableFuture.completedFuture(null);
    this.cgroups = Optional.empty();
    this.limits = ResourceLimits.NONE;
    this.limitsError = null;
    this.logRotation = logRotation;
  }

  /**
   * @param stateDirectory the executor's own directory in its sandbox ({@code <sandbox>/.spark-mesos-executor}):
   *                       the guardians' records are kept there
   * @param operatorEnvironment the executor's environment, with the operator's {@link ResourceLimits} settings
   * @param logRotation how the task's stdout and stderr are kept
   */
  public ProcessRuntime(Map<String, String> inheritedEnvironment, Path stateDirectory,
      Map<String, String> operatorEnvironment, LogRotation logRotation) {
    this.inheritedEnvironment = Map.copyOf(inheritedEnvironment);
    this.logRotation = logRotation;
    ResourceLimits read = ResourceLimits.NONE;
    String error = null;
    try {
      read = ResourceLimits.fromEnvironment(operatorEnvironment);
    } catch (IllegalArgumentException e) {
      error = e.getMessage();
    }
    this.limits = read;
    this.limitsError = error;
    Path records = stateDirectory.resolve("guards");
    Guardian own = Guardian.in(records);
    this.guardian = Optional.of(own);
    this.cgroups = Optional.of(new TaskCgroups("spark-mesos-executor-" + own.token(), operatorEnvironment));
    // off the start path and the first task's: what an earlier executor left (the /proc scan only when it left a
    // record), then this executor's guardian and its cgroup groups, on a thread of their own while it subscribes
    boolean leftRecords = Files.isDirectory(records);
    this.guardianStarted = CompletableFuture.runAsync(() -> {
      if (leftRecords) {
        Guardian.endLeftovers(records, own.token()).forEach(Log::warn);
      }
      startGuardian(own);
    }, work -> {
      Thread thread = new Thread(work, "guardian-start");
      thread.setDaemon(true);
      thread.start();
    });
  }

  private void startGuardian(Guardian own) {
    try {
      own.start(cgroups.map(TaskCgroups::groupDirectories).orElse(List.of()));
    } catch (IOException | RuntimeException e) {
      Log.warn("the guardian did not start (" + e.getMessage() + "): the tasks' processes would outlive an"
          + " executor killed by SIGKILL until the next executor in this sandbox starts");
    }
  }

  /**
   * The executor is done: its guardian is released (as at its death), which ends what is still marked as its
   * tasks' and their cgroups, and exits.
   */
  public void close() {
    guardianStarted.join();
    guardian.ifPresent(Guardian::release);
  }

  @Override
  public RunningTask start(LaunchPlan plan) throws LaunchFailedException {
    return start(plan, Optional.empty());
  }

  /** This runtime for a task that runs as {@code user} (empty: as the executor). */
  public TaskRuntime as(Optional<UserAccount> user) {
    return user.isEmpty() ? this : plan -> start(plan, user);
  }

  private RunningTask start(LaunchPlan plan, Optional<UserAccount> user) throws LaunchFailedException {
    if (limitsError != null) {
      throw new LaunchFailedException("The operator's task limits are not valid: " + limitsError);
    }
    Map<String, String> env = new LinkedHashMap<>(inheritedEnvironment);
    env.put("MESOS_SANDBOX", plan.directory().toString());
    env.put("MESOS_TASK_ID", plan.taskId());
    env.putAll(plan.environment());
    guard(env);
    if (user.isPresent()) {
      try {
        TaskOwnership.giveTo(plan.directory(), user.get(), STATE_DIRECTORY);
        TaskOwnership.giveFiles(plan.secretFiles().stream()
            .filter(f -> f.delivery() == TaskSecret.Delivery.FILE).map(LaunchPlan.SecretFile::hostFile).toList(),
            user.get());
      } catch (IOException | RuntimeException e) {
        throw new LaunchFailedException("Failed to give the task's directory to user '" + user.get().name() + "': "
            + e.getMessage(), e);
      }
    }
    String program = plan.argv().get(0);
    if (ProcessLauncher.findExecutable(program, env, plan.directory()).isEmpty()) {
      // as a plain spawn says it; run through the setup chain, it would be the chain's exit status instead
      throw new LaunchFailedException("Failed to start the command: cannot start '" + program + "' in "
          + plan.directory() + ": No such file or directory");
    }
    TaskLog log = new TaskLog(plan.taskId(), plan.directory(), plan.inSandbox());
    TaskLogRotation rotation = TaskLogRotation.forTask(plan, logRotation, log);
    Optional<TaskCgroup> cgroup = cgroups.flatMap(c -> c.create(plan));
    try {
      ResourceLimits taskLimits = limits.with(plan.rlimits()); // the task's own over the operator's
      List<String> argv = ExecChain.wrap(plan.argv(), taskLimits, user,
          cgroup.map(TaskCgroup::procsFiles).orElse(List.of()), plan.entry());
      Path stderr = plan.directory().resolve("stderr");
      ProcessSpec spec = new ProcessSpec(argv, env, plan.directory(), plan.directory().resolve("stdout"), stderr);
      java.util.function.UnaryOperator<List<String>> checks = check -> {
        try {
          return ExecChain.wrap(check, taskLimits, user);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e); // the same tools started the task itself
        }
      };
      // in the executor's own sandbox (a command task) the files are the executor's: the agent's logger keeps them
      if (rotation.rotates() && !plan.inSandbox()) {
        RotatedOutput.Started started = RotatedOutput.spawn(spec, plan.directory(), rotation);
        cgroup.ifPresent(c -> started.child().heldIn(c::isEmpty));
        return new RotatedOutput.Task(new ProcessTask(started.child(), Map.copyOf(env), cgroup, log, checks),
            started.allGone());
      }
      ChildProcess child = ProcessLauncher.spawn(spec);
      cgroup.ifPresent(c -> child.heldIn(c::isEmpty)); // its session is gone once the cgroup is empty: no /proc scan
      return new ProcessTask(child, Map.copyOf(env), cgroup, log, checks);
    } catch (IOException | IllegalArgumentException e) {
      cgroup.ifPresent(TaskCgroup::remove);
      throw new LaunchFailedException("Failed to start the command: " + e.getMessage(), e);
    }
  }

  /** Marks the task's processes as this executor's, its guardian running; last, so no task variable hides it. */
  private void guard(Map<String, String> env) {
    if (guardian.isEmpty()) {
      return;
    }
    guardianStarted.join();
    env.put(Guardian.VARIABLE, guardian.get().token());
  }
}
