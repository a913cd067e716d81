package io.github.sparkmesos.executor.entrypoint;

import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ExitStatus;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import io.github.sparkmesos.os.Signal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * {@code spark-mesos-executor entrypoint [--] CMD ARGS...}: PID 1 of a container (or any parent). Runs
 * CMD as the leader of a new session with this process's environment and directory, forwards the
 * signals it receives to CMD's process group ({@link SignalForwarder}), reaps every child, adopted
 * orphans included (the {@link io.github.sparkmesos.os.Reaper}), and exits with CMD's code, 128+N when
 * signal N ended it. What is left of CMD's group when CMD ends is killed, as the kernel kills a
 * container's processes when its PID 1 exits. Stdin is /dev/null.
 */
public final class Entrypoint {

  static final String USAGE = "usage: spark-mesos-executor entrypoint [--] CMD [ARGS...]";
  /** No command, or it could not be started: the code of docker run for a command that cannot run. */
  static final int CANNOT_START = 127;

  private Entrypoint() {}

  public static int run(List<String> args, Map<String, String> env, PrintStream err) {
    List<String> command = !args.isEmpty() && args.get(0).equals("--") ? args.subList(1, args.size()) : args;
    if (command.isEmpty()) {
      err.println(USAGE);
      return 2;
    }
    // handlers first: a signal sent as soon as the container starts is not lost
    SignalForwarder forwarder = SignalForwarder.install();
    ChildProcess child;
    try {
      child = ProcessLauncher.spawn(ProcessSpec.of(command, env, Path.of("").toAbsolutePath()));
    } catch (IOException e) {
      err.println("spark-mesos-executor entrypoint: " + e.getMessage());
      return CANNOT_START;
    }
    forwarder.forwardTo(child);
    ExitStatus status = awaitExit(child);
    child.signalGroup(Signal.SIGKILL);
    return status.shellCode();
  }

  private static ExitStatus awaitExit(ChildProcess child) {
    while (true) {
      try {
        return child.onExit().get();
      } catch (InterruptedException e) {
        // nobody interrupts the main thread on purpose; keep waiting for the command
      } catch (ExecutionException e) {
        throw new IllegalStateException("the reaper failed", e.getCause());
      }
    }
  }
}
