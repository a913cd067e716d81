package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.os.MarkedProcesses;
import io.github.sparkmesos.os.ProcessTable;
import io.github.sparkmesos.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing of a task outlives the executor: a real executor JVM under the harness runs a command task
 * whose grandchild leaves the session (setsid) and is orphaned; after the executor's SIGKILL no
 * process of the task is alive two seconds later, and when the guardian died as well, the next
 * executor started in the same sandbox ends them.
 */
class GuardianHarnessTest {

  /** A leader that stays, and a grandchild in a session of its own whose parent exits at once. */
  private static final String TASK = "{\"name\": \"g\", \"task_id\": {\"value\": \"g\"}, \"command\": {\"value\":"
      + " \"setsid sh -c 'sleep 600 & echo $! > gc.tmp; mv gc.tmp grandchild.pid' & exec sleep 600\"}}";

  private static final String QUICK = "{\"name\": \"q\", \"task_id\": {\"value\": \"q\"}, \"command\": {\"value\":"
      + " \"true\"}}";

  /** The running executor's task processes, found by its guardian's marker; the grandchild among them. */
  private static List<ProcessHandle> taskProcesses(Harness harness) throws Exception {
    HarnessRun.awaitUpdate(harness, "g", "TASK_RUNNING", Duration.ofMinutes(2));
    Path sandbox = harness.sandbox();
    Waits.awaitFile(sandbox.resolve("grandchild.pid"));
    int grandchild = Integer.parseInt(Files.readString(sandbox.resolve("grandchild.pid")).trim());
    List<ProcessTable.Entry> found = MarkedProcesses.find(marker(sandbox));
    assertTrue(found.stream().anyMatch(e -> e.pid() == grandchild), "the grandchild carries the marker: " + found);
    ProcessTable.Entry leader = found.stream().filter(e -> e.pid() == e.sid()).findFirst().orElseThrow();
    assertTrue(found.stream().anyMatch(e -> e.pid() == grandchild && e.sid() != leader.sid()),
        "the grandchild left the task's session: " + found);
    return found.stream().map(e -> ProcessHandle.of(e.pid()).orElseThrow()).toList();
  }

  private static Path record(Path sandbox) throws Exception {
    try (var records = Files.list(sandbox.resolve(".spark-mesos-executor/guards"))) {
      List<Path> all = records.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }

  private static String marker(Path sandbox) throws Exception {
    return Files.readAllLines(record(sandbox)).stream().filter(l -> l.startsWith("marker="))
        .map(l -> l.substring("marker=".length())).findFirst().orElseThrow();
  }

  private static void sigkillExecutor(Harness harness) throws Exception {
    ProcessHandle executor = ProcessHandle.of(harness.executorPid()).orElseThrow();
    assertTrue(executor.info().command().orElse("").endsWith("java"), "the executor's JVM itself: " + executor.info());
    assertTrue(executor.destroyForcibly());
    executor.onExit().get(30, TimeUnit.SECONDS);
  }

  @Test
  void noProcessOfATaskIsAliveTwoSecondsAfterTheExecutorsSigkill(@TempDir Path dir) throws Exception {
    Harness harness = HarnessRun.start(dir, TASK);
    List<ProcessHandle> processes = taskProcesses(harness);
    assertTrue(processes.size() >= 2, processes.toString());

    long start = System.nanoTime();
    sigkillExecutor(harness);
    for (ProcessHandle p : processes) {
      long left = TimeUnit.SECONDS.toNanos(2) - (System.nanoTime() - start);
      p.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
    }
    System.out.println("every task process gone " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
        + " ms after the executor's SIGKILL");

    HarnessRun.Run run = HarnessRun.finish(harness);
    assertEquals(List.of(), run.result().violations(), "the harness found nothing of the run left");
  }

  @Test
  void aNewExecutorInTheSameSandboxEndsWhatAnEarlierOneLeft(@TempDir Path dir) throws Exception {
    Harness earlier = HarnessRun.start(dir, TASK);
    List<ProcessHandle> processes = taskProcesses(earlier);
    Path record = record(earlier.sandbox());
    // the guardian dies first (as if the whole tree were killed, the tasks aside), then the executor
    String guardian = Files.readAllLines(record).stream().filter(l -> l.startsWith("guardian=")).findFirst()
        .orElseThrow().substring("guardian=".length()).split(" ")[0];
    ProcessHandle guardianProcess = ProcessHandle.of(Long.parseLong(guardian)).orElseThrow();
    assertTrue(guardianProcess.destroyForcibly());
    guardianProcess.onExit().get(30, TimeUnit.SECONDS);
    sigkillExecutor(earlier);
    assertTrue(processes.stream().allMatch(ProcessHandle::isAlive), "with no guardian, the tasks outlive the executor");

    HarnessRun.Run later = HarnessRun.run(dir, QUICK);
    for (ProcessHandle p : processes) {
      p.onExit().get(30, TimeUnit.SECONDS);
    }
    assertFalse(Files.exists(record), "the earlier executor's record is gone once its processes are");
    assertEquals(0, later.result().exitCode(), later.result().problems() + " " + later.result().violations());
    assertEquals(List.of(), HarnessRun.finish(earlier).result().violations());
  }
}
