package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.testing.Waits;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Agent restarts and the agent's timeouts, with the real executor JVM under the harness. */
class HarnessRestartTest {

  @Test
  void theExecutorResubscribesThroughEveryPhaseAndNoUpdateIsLostOrRepeated(@TempDir Path dir) throws Exception {
    // the TASK_RUNNING ACK is lost to the restart; the task ends while the agent is away or recovering
    HarnessRun.Run run = HarnessRun.run(dir, TaskFile.commandTask("p", "sleep 2", Map.of()), "--checkpoint",
        "--restart-agent-after", "0ms", "--restart-duration", "2secs",
        "--env", "MESOS_SUBSCRIPTION_BACKOFF_MAX=50ms");
    Harness.Result result = run.result();
    assertEquals(List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED),
        result.states("p"), run.stdout().toString());
    assertTrue(result.answered("request 404") > 0, "SUBSCRIBE retried before the routes were back: " + result.answers());
    assertTrue(result.answered("request 503") > 0, "and while the containers recovered: " + result.answers());
    assertTrue(result.subscriptions() >= 2, "the executor re-subscribed");
    assertEquals(List.of(), result.violations());
    assertEquals(0, result.exitCode(), result.problems().toString());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anExecutorThatDoesNotResubscribeIsDestroyedAndItsTasksAreLost(boolean partitionAware, @TempDir Path dir)
      throws Exception {
    Path ready = dir.resolve("ready");
    List<String> options = new java.util.ArrayList<>(List.of("--checkpoint", "--restart-duration", "400ms",
        "--executor-reregistration-timeout", "500ms"));
    if (partitionAware) {
      options.add("--partition-aware");
    }
    Harness harness = HarnessRun.start(dir, TaskFile.commandTask("l", "touch " + ready + "; exec sleep 1000", Map.of()),
        options.toArray(String[]::new));
    Waits.awaitFile(ready);
    // a stopped executor cannot re-subscribe; the agent's SIGKILL still ends it
    signal("STOP", harness.executorPid());
    harness.restart();
    HarnessRun.Run run = HarnessRun.finish(harness);
    Harness.Update last = run.result().terminal("l");
    assertEquals(partitionAware ? TaskState.TASK_GONE : TaskState.TASK_LOST, last.state(), run.stdout().toString());
    assertEquals("REASON_EXECUTOR_REREGISTRATION_TIMEOUT", last.reason());
    assertEquals("Executor did not reregister within 500ms", last.message());
    assertEquals("SOURCE_AGENT", last.source());
    assertEquals(9, run.result().executorExit().orElseThrow().signal(), "the container was destroyed");
    assertEquals(List.of(), run.result().violations(), "nothing of the task is left");
  }

  @Test
  void anExecutorThatNeverSubscribesIsDestroyedAtTheRegistrationTimeout(@TempDir Path dir) throws Exception {
    // the real executor, pointed at a port where nothing listens
    HarnessRun.Run run = HarnessRun.run(dir, TaskFile.commandTask("r", "true", Map.of()),
        "--executor-registration-timeout", "1secs", "--env", "MESOS_AGENT_ENDPOINT=127.0.0.1:1");
    Harness.Update last = run.result().terminal("r");
    assertEquals(TaskState.TASK_FAILED, last.state(), run.stdout().toString());
    assertEquals("REASON_EXECUTOR_REGISTRATION_TIMEOUT", last.reason());
    assertEquals("Executor did not register within 1secs", last.message());
    assertEquals(0, run.result().subscriptions());
    assertEquals(9, run.result().executorExit().orElseThrow().signal());
  }

  @Test
  void aSubscribeAfterShutdownGetsShutdownAndAClosedStream(@TempDir Path dir) throws Exception {
    Path ready = dir.resolve("ready");
    Harness harness = HarnessRun.start(dir, TaskFile.commandTask("s", "touch " + ready + "; exec sleep 1000", Map.of()),
        "--checkpoint", "--restart-duration", "400ms", "--env", "MESOS_SUBSCRIPTION_BACKOFF_MAX=100ms");
    Waits.awaitFile(ready);
    harness.restart();
    harness.shutdown(); // lost: the agent is down; the executor learns of it when it subscribes again
    HarnessRun.Run run = HarnessRun.finish(harness);
    assertTrue(run.result().answered("SUBSCRIBE SHUTDOWN") >= 1, run.result().answers().toString());
    assertEquals(1, run.result().subscriptions(), "no SUBSCRIBE after the shutdown was taken");
    assertTrue(TaskState.TASK_RUNNING != run.result().terminal("s").state());
    assertEquals(List.of(), run.result().violations(), "the task was killed");
  }

  @Test
  void withoutAcknowledgementsTheExecutorsTerminalFailSafeEndsIt(@TempDir Path dir) throws Exception {
    Path ready = dir.resolve("ready");
    Harness harness = HarnessRun.start(dir, TaskFile.commandTask("w", "touch " + ready + "; exec sleep 1000", Map.of()),
        "--terminating-framework", "--shutdown-grace-period", "3mins");
    Waits.awaitFile(ready);
    harness.shutdown();
    HarnessRun.Run run = HarnessRun.finish(harness);
    assertEquals(TaskState.TASK_KILLED, run.result().terminal("w").state(), run.stdout().toString());
    var exit = run.result().executorExit().orElseThrow();
    assertFalse(exit.isSignaled(), "the executor left on its own, before the agent's grace period: " + exit);
    assertNotEquals(0, exit.code(), "its terminal update was never acknowledged");
    assertEquals(List.of(), run.result().violations());
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
  }
}
