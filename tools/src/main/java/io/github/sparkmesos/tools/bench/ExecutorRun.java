package io.github.sparkmesos.tools.bench;

import io.github.sparkmesos.executor.harness.Harness;
import io.github.sparkmesos.executor.harness.HarnessOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One executor JVM under the in-process harness, with the arrival times of its updates and of the
 * markers its tasks create in {@code marks/}. Each task's command starts with
 * {@code : > marks/ready-ID-$PPID}: the marker says when the command runs, and its name carries the
 * executor's pid (the task's parent).
 */
final class ExecutorRun implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final Harness harness;
  private final UpdateArrivals updates;
  private final FileArrivals marks;
  private final long startNanos;

  private ExecutorRun(Harness harness, UpdateArrivals updates, FileArrivals marks, long startNanos) {
    this.harness = harness;
    this.updates = updates;
    this.marks = marks;
    this.startNanos = startNanos;
  }

  /** The command prefix that creates a task's marker. */
  static String marker(Path marks, String taskId) {
    return ": > '" + marks.resolve("ready-" + taskId + "-") + "'$PPID; ";
  }

  /** A TaskInfo whose Spark document runs {@code command} with the given Spark configuration. */
  /** Starts the harness and its executor ({@code executorCommand}) on these TaskInfos, one LAUNCH each. */
  static ExecutorRun start(Path dir, FileArrivals marks, List<String> tasks, String executorCommand,
      String... options) throws IOException {
    Files.createDirectories(dir);
    Path taskFile = dir.resolve("tasks.json");
    Files.writeString(taskFile, "[" + String.join(",", tasks) + "]");
    List<String> args = new ArrayList<>(List.of(taskFile.toString(), "--sandbox", dir.resolve("sandbox").toString(),
        "--timeout", "3mins", "--executor-command", executorCommand));
    args.addAll(List.of(options));
    UpdateArrivals updates = new UpdateArrivals();
    long start = System.nanoTime();
    return new ExecutorRun(Harness.start(HarnessOptions.parse(args), updates), updates, marks, start);
  }

  Harness harness() {
    return harness;
  }

  UpdateArrivals updates() {
    return updates;
  }

  long startNanos() {
    return startNanos;
  }

  /** When the first SUBSCRIBE arrived, right before LAUNCH was sent. */
  long subscribeNanos() {
    long nanos = harness.firstSubscribeNanos();
    if (nanos == 0) {
      throw new IllegalStateException("the executor never subscribed");
    }
    return nanos;
  }

  /** When the request of the update with this UUID (hex) reached the agent API. */
  long updateArrivalNanos(String uuidHex) {
    long nanos = harness.updateArrivalNanos(uuidHex);
    if (nanos == 0) {
      throw new IllegalStateException("no update " + uuidHex + " reached the agent API");
    }
    return nanos;
  }

  /** When the task's command created its marker. */
  long commandRanNanos(String taskId) throws InterruptedException {
    return marks.await("ready-" + taskId + "-", TIMEOUT).getValue();
  }

  /** The executor JVM's pid, from a task's marker name. */
  long executorPid(String taskId) throws InterruptedException {
    String name = marks.await("ready-" + taskId + "-", TIMEOUT).getKey();
    return Long.parseLong(name.substring(name.lastIndexOf('-') + 1));
  }

  /** Waits for the executor to exit once every task ended; fails when the harness saw a problem. */
  Harness.Result finish() {
    Harness.Result result = harness.awaitResult();
    if (result.exitCode() != 0) {
      throw new IllegalStateException("the harness run failed: " + result.problems() + " " + result.violations()
          + "; sandbox " + result.sandbox());
    }
    return result;
  }

  @Override
  public void close() throws IOException {
    marks.close();
  }
}
