package io.github.sparkmesos.executor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.os.ExitStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.Test;

class ExitMappingTest {

  private static final Path STDERR = Path.of("/sandbox/tasks/t/stderr");

  @Test
  void anExitBecomesOneStateReasonAndMessage() {
    ExitMapping.Terminal ok = ExitMapping.of(ExitStatus.exited(0), false, STDERR);
    assertEquals(TaskState.TASK_FINISHED, ok.state());
    assertEquals("Command exited with status 0", ok.message());
    assertNull(ok.reason());

    ExitMapping.Terminal oom = ExitMapping.of(ExitStatus.exited(52), false, STDERR);
    assertEquals(TaskState.TASK_FAILED, oom.state());
    assertEquals("Command exited with status 52 (the executor ran out of memory); see " + STDERR, oom.message());

    ExitMapping.Terminal killed = ExitMapping.of(ExitStatus.signaled(9, false), true, STDERR);
    assertEquals(TaskState.TASK_KILLED, killed.state());
    assertEquals("Command terminated with signal Killed", killed.message());

    ExitMapping.Terminal killedButExited = ExitMapping.of(ExitStatus.exited(0), true, STDERR);
    assertEquals(TaskState.TASK_KILLED, killedButExited.state(), "killed on request, whatever the exit");

    ExitMapping.Terminal signaled = ExitMapping.of(ExitStatus.signaled(11, true), false, STDERR);
    assertEquals(TaskState.TASK_FAILED, signaled.state());
    assertTrue(signaled.message().startsWith("Command terminated with signal Segmentation fault (core dumped)"));
  }

  @Test
  void progressGoesToStderrEveryTwoSecondsAndToTheAgentEveryThirty() {
    AtomicLong now = new AtomicLong();
    ProgressThrottle throttle = new ProgressThrottle(now::get);
    int notes = 0;
    int updates = 0;
    for (int second = 1; second <= 120; second++) {
      now.set(Duration.ofSeconds(second).toNanos());
      notes += throttle.noteDue() ? 1 : 0;
      updates += throttle.updateDue() ? 1 : 0;
    }
    assertEquals(60, notes);
    assertEquals(4, updates);
    assertFalse(throttle.updateDue(), "not twice at the same moment");
  }
}
