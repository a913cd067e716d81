package io.github.sparkmesos.executor.checks;

import io.github.sparkmesos.executor.mesos.Durations;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ExitStatus;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import io.github.sparkmesos.os.Signal;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;

/**
 * Runs the check's command in its own session, its output in a temporary file (never the task's stdout or
 * stderr) of which a short tail goes to the log when the command fails. An exit gives its exit code; a
 * timeout SIGKILLs the whole group and is a failure, as is an end by a signal (checker_process.cpp reports
 * an exit code only when WIFEXITED).
 *
 * <p>Not {@link io.github.sparkmesos.os.Command}: that one cannot be abandoned from another thread, and
 * sends SIGTERM first where Mesos's timeout kills at once.
 */
final class CommandProbe implements Probe {

  private static final int TAIL_BYTES = 512;
  private static final Duration GROUP_EXIT_LIMIT = Duration.ofSeconds(5);

  private final List<String> argv;
  private final Map<String, String> environment;
  private final Path workingDirectory;
  private final Optional<Duration> timeout;
  private ChildProcess running;
  private boolean abandoned;

  CommandProbe(List<String> argv, Map<String, String> environment, Path workingDirectory,
      Optional<Duration> timeout) {
    this.argv = List.copyOf(argv);
    this.environment = Map.copyOf(environment);
    this.workingDirectory = workingDirectory;
    this.timeout = timeout;
  }

  @Override
  public String kind() {
    return "COMMAND";
  }

  @Override
  public ProbeResult run() {
    Path output;
    try {
      output = Files.createTempFile("task-check-", ".out");
    } catch (IOException e) {
      return new ProbeResult.Failed("Failed to create the output file of the command: " + e.getMessage());
    }
    try {
      ChildProcess child;
      synchronized (this) {
        if (abandoned) {
          return new ProbeResult.Failed("abandoned");
        }
        try {
          child = ProcessLauncher.spawn(new ProcessSpec(argv, environment, workingDirectory, output, output));
        } catch (IOException | IllegalArgumentException e) {
          return new ProbeResult.Failed("Failed to create subprocess: " + e.getMessage());
        }
        running = child;
      }
      ProbeResult result = await(child, output);
      // what the command left running in its session goes with it: nothing outlives a probe
      if (child.groupAlive()) {
        child.signalGroup(Signal.SIGKILL);
      }
      return result;
    } finally {
      synchronized (this) {
        running = null;
      }
      try {
        Files.deleteIfExists(output);
      } catch (IOException e) {
        // a temporary file; nothing else to do
      }
    }
  }

  private ProbeResult await(ChildProcess child, Path output) {
    ExitStatus status;
    try {
      status = timeout.isPresent()
          ? child.onExit().get(timeout.get().toNanos(), TimeUnit.NANOSECONDS)
          : child.onExit().get();
    } catch (TimeoutException e) {
      killNow(child);
      return new ProbeResult.Failed("Command timed out after " + Durations.format(timeout.get()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      child.signalGroup(Signal.SIGKILL);
      return new ProbeResult.Failed("abandoned");
    } catch (ExecutionException e) {
      killNow(child);
      return new ProbeResult.Failed("Failed to reap the command process: " + e.getCause());
    }
    if (status.isSignaled()) {
      return new ProbeResult.Failed("Command " + status.describe() + tail(output));
    }
    String tail = tail(output);
    if (status.code() != 0 && !tail.isEmpty()) {
      Log.info("check command in " + workingDirectory + " " + status.describe() + tail);
    }
    return new ProbeResult.Performed(CheckStatusInfo.newBuilder().setType(CheckInfo.Type.COMMAND)
        .setCommand(CheckStatusInfo.Command.newBuilder().setExitCode(status.code())).build());
  }

  /** SIGKILL to the group, and the failure reported once it is gone, so probes never pile up. */
  private static void killNow(ChildProcess child) {
    child.signalGroup(Signal.SIGKILL);
    try {
      child.onGroupGone().get(GROUP_EXIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      Log.warn("the process group of check " + child + " is still there after SIGKILL");
    }
  }

  @Override
  public void abandon() {
    synchronized (this) {
      abandoned = true;
      if (running != null) {
        running.signalGroup(Signal.SIGKILL);
      }
    }
  }

  private static String tail(Path output) {
    try (RandomAccessFile file = new RandomAccessFile(output.toFile(), "r")) {
      long length = file.length();
      if (length == 0) {
        return "";
      }
      int size = (int) Math.min(length, TAIL_BYTES);
      byte[] bytes = new byte[size];
      file.seek(length - size);
      file.readFully(bytes);
      return "; output ends: " + new String(bytes, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
