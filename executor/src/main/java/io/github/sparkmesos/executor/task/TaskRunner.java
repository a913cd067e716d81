package io.github.sparkmesos.executor.task;

import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.fetcher.FetchException;
import io.github.sparkmesos.fetcher.FetchProgress;
import io.github.sparkmesos.fetcher.ProgressText;
import io.github.sparkmesos.fetcher.FetchRequest;
import io.github.sparkmesos.fetcher.FetchResult;
import io.github.sparkmesos.fetcher.Fetcher;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ExitStatus;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;

/**
 * Runs one task through its stages, on its own thread: validate into a {@link LaunchSpec}, fetch its
 * URIs into the task's directory, start its command as a session leader, supervise it to its end,
 * and report each state to the {@link Listener} exactly once, with exactly one terminal state.
 */
public final class TaskRunner implements Runnable {

  /** Receives the task's states in order; the last one is terminal. */
  public interface Listener {
    void status(TaskState state, Reason reason, String message);
  }

  /** Validates the TaskInfo; runs on the runner's thread so a slow check never blocks the executor. */
  public interface SpecSource {
    LaunchSpec get() throws InvalidTaskException, LaunchFailedException;
  }

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private final String taskId;
  private final SpecSource specSource;
  private final Path taskDirectory;
  private final Map<String, String> inheritedEnvironment;
  private final Fetcher fetcher;
  private final String fetchUser;
  private final Duration defaultKillGrace;
  private final Listener listener;

  private Thread thread;
  private ChildProcess child;
  private Duration pendingKillGrace;
  private boolean killRequested;

  /**
   * @param fetchUser whose fetches these are (the framework's user): the node cache keeps users apart
   */
  public TaskRunner(String taskId, SpecSource specSource, Path taskDirectory, Map<String, String> inheritedEnvironment,
      Fetcher fetcher, String fetchUser, Duration defaultKillGrace, Listener listener) {
    this.taskId = taskId;
    this.specSource = specSource;
    this.taskDirectory = taskDirectory;
    this.inheritedEnvironment = inheritedEnvironment;
    this.fetcher = fetcher;
    this.fetchUser = fetchUser;
    this.defaultKillGrace = defaultKillGrace;
    this.listener = listener;
  }

  public Path taskDirectory() {
    return taskDirectory;
  }

  /**
   * Kills the task: before its command started, it ends as TASK_KILLED without starting; after, its
   * group gets SIGTERM and, after {@code grace} (which a later call may only shorten), SIGKILL.
   */
  public synchronized void kill(Duration grace) {
    killRequested = true;
    if (child != null) {
      child.kill(grace);
    } else {
      pendingKillGrace = pendingKillGrace == null || grace.compareTo(pendingKillGrace) < 0 ? grace : pendingKillGrace;
      if (thread != null) {
        thread.interrupt(); // ends a fetch in progress
      }
    }
  }

  /** The running command's process, or null before it started. */
  public synchronized ChildProcess process() {
    return child;
  }

  private synchronized boolean killRequested() {
    return killRequested;
  }

  @Override
  public void run() {
    synchronized (this) {
      thread = Thread.currentThread();
    }
    try {
      runStages();
    } catch (RuntimeException | Error e) {
      Log.error("task " + taskId + ": unexpected failure: " + e);
      listener.status(TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LAUNCH_FAILED,
          "Executor failed to run the task: " + e);
    } finally {
      Thread.interrupted();
    }
  }

  private void runStages() {
    listener.status(TaskState.TASK_STARTING, null, "Preparing the task");
    LaunchSpec spec;
    try {
      Files.createDirectories(taskDirectory);
      spec = specSource.get();
    } catch (InvalidTaskException e) {
      listener.status(TaskState.TASK_FAILED, Reason.REASON_TASK_INVALID, "Invalid task: " + e.getMessage());
      return;
    } catch (LaunchFailedException e) {
      listener.status(TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LAUNCH_FAILED, e.getMessage());
      return;
    } catch (IOException e) {
      listener.status(TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LAUNCH_FAILED,
          "Cannot create the task directory " + taskDirectory + ": " + e.getMessage());
      return;
    }
    spec.secretValues().forEach(Log.redactor()::add);
    for (String warning : spec.warnings()) {
      note("WARNING: " + warning);
    }

    try {
      fetchAll(spec);
    } catch (LaunchFailedException e) {
      if (killRequested()) {
        listener.status(TaskState.TASK_KILLED, null, "Task killed while fetching its URIs");
      } else {
        listener.status(TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LAUNCH_FAILED, e.getMessage());
      }
      return;
    }

    ChildProcess process;
    synchronized (this) {
      if (killRequested) {
        listener.status(TaskState.TASK_KILLED, null, "Task killed before its command started");
        return;
      }
      try {
        process = ProcessLauncher.spawn(new ProcessSpec(spec.argv(), environment(spec), taskDirectory,
            taskDirectory.resolve("stdout"), taskDirectory.resolve("stderr")));
      } catch (IOException | IllegalArgumentException e) {
        listener.status(TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LAUNCH_FAILED,
            "Failed to start the command: " + e.getMessage());
        return;
      }
      child = process;
      Thread.interrupted(); // a kill's interrupt meant for a fetch must not break the waits below
    }
    Log.info("task " + taskId + ": started process " + process.pid() + " in " + taskDirectory);
    listener.status(TaskState.TASK_RUNNING, null, "Command started as process " + process.pid());

    ExitStatus exit = await(process);
    boolean killed = killRequested();
    String message = "Command " + exit.describe();
    if (!exit.isSignaled() && exit.code() != 0) {
      String why = SparkExitCodes.explain(exit.code());
      message += why.isEmpty() ? "" : " (" + why + ")";
    }
    Log.info("task " + taskId + ": " + message);
    if (killed) {
      listener.status(TaskState.TASK_KILLED, null, message);
    } else if (exit.isSuccess()) {
      listener.status(TaskState.TASK_FINISHED, null, message);
    } else {
      listener.status(TaskState.TASK_FAILED, null, message + "; see " + taskDirectory.resolve("stderr"));
    }
  }

  /** Waits for the command, then for the rest of its process group, which is killed if it lingers. */
  private ExitStatus await(ChildProcess process) {
    ExitStatus exit = join(process.onExit());
    synchronized (this) {
      if (!process.terminationRequested() && process.groupAlive()) {
        Log.info("task " + taskId + ": the command exited and left processes behind; terminating them");
        process.kill(pendingKillGrace != null ? pendingKillGrace : defaultKillGrace);
      }
    }
    join(process.onGroupGone());
    return exit;
  }

  private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Progress goes to the task's stderr about once a second and to TASK_STARTING about every 2 s. */
  static final Duration NOTE_EVERY = Duration.ofSeconds(1);
  static final Duration STATUS_EVERY = Duration.ofSeconds(2);

  private void fetchAll(LaunchSpec spec) throws LaunchFailedException {
    List<String> fetched = new ArrayList<>();
    for (FetchUri uri : spec.uris()) {
      if (killRequested()) {
        throw new LaunchFailedException("killed");
      }
      note("Fetching " + uri.value() + (uri.cache() ? " (cacheable)" : ""));
      long started = System.nanoTime();
      long[] last = {started, started};
      FetchProgress progress = (u, bytes, total) -> {
        long now = System.nanoTime();
        String line = ProgressText.progress(u, bytes, total, Duration.ofNanos(now - started));
        if (now - last[0] >= NOTE_EVERY.toNanos()) {
          last[0] = now;
          note(line);
        }
        if (now - last[1] >= STATUS_EVERY.toNanos()) {
          last[1] = now;
          listener.status(TaskState.TASK_STARTING, null, "Fetching " + line);
        }
      };
      try {
        FetchResult result = fetcher.fetch(new FetchRequest(uri.value(), uri.extract(), uri.executable(),
            uri.outputFile(), uri.cache(), null, fetchUser), taskDirectory, progress);
        String line = ProgressText.fetched(result);
        note(line);
        fetched.add(line);
      } catch (FetchException e) {
        note(e.getMessage());
        throw new LaunchFailedException(e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new LaunchFailedException("Failed to fetch '" + uri.value() + "': " + e.getMessage(), e);
      } catch (RuntimeException e) {
        if (e.getCause() instanceof InterruptedIOException || killRequested()) {
          throw new LaunchFailedException("killed", e);
        }
        throw e;
      }
    }
    if (!fetched.isEmpty()) {
      listener.status(TaskState.TASK_STARTING, null, String.join("; ", fetched));
    }
  }

  private Map<String, String> environment(LaunchSpec spec) {
    Map<String, String> env = new LinkedHashMap<>(inheritedEnvironment);
    env.put("MESOS_SANDBOX", taskDirectory.toString());
    env.put("MESOS_TASK_ID", taskId);
    env.putAll(spec.environment());
    return env;
  }

  /** A line in the task's stderr, where operators look first. */
  private void note(String line) {
    Log.info("task " + taskId + ": " + line);
    try {
      Files.writeString(taskDirectory.resolve("stderr"),
          LocalDateTime.now().format(TIME) + " [spark-mesos-executor] " + Log.redactor().redact(line) + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      Log.warn("task " + taskId + ": cannot write to its stderr: " + e.getMessage());
    }
  }
}
