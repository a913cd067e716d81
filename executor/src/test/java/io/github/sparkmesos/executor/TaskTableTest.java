package io.github.sparkmesos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.Test;

class TaskTableTest {

  private static TaskInfo task(String id) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(AgentID.newBuilder().setValue("a")).build();
  }

  private static KillPolicy grace(long millis) {
    return KillPolicy.newBuilder().setGracePeriod(DurationInfo.newBuilder().setNanoseconds(millis * 1_000_000)).build();
  }

  @Test
  void aKillsOwnGraceWinsElseTheTasksElseThreeSeconds() {
    TaskTable table = new TaskTable();
    TaskTable.Entry refused = table.add(task("t"), null, null);
    assertEquals(Duration.ofSeconds(3), TaskTable.killGrace(refused, Event.Kill.getDefaultInstance()));
    assertEquals(Duration.ofMillis(250), TaskTable.killGrace(refused, Event.Kill.newBuilder()
        .setTaskId(refused.info.getTaskId()).setKillPolicy(grace(250)).build()));
    assertEquals(Duration.ZERO, TaskTable.killGrace(refused, Event.Kill.newBuilder()
        .setTaskId(refused.info.getTaskId()).setKillPolicy(grace(-5)).build()), "a negative grace is none");
  }

  @Test
  void aGroupIsBrokenOnlyByATaskThatEndedOtherThanFinished() {
    TaskTable table = new TaskTable();
    TaskTable.Entry a = table.add(task("a"), null, "g");
    TaskTable.Entry b = table.add(task("b"), null, "g");
    TaskTable.Entry other = table.add(task("c"), null, "h");
    assertEquals(List.of(b), table.liveSiblings(a));
    a.state = TaskState.TASK_FINISHED;
    assertFalse(table.groupBroken("g"), "a finished task leaves its group whole");
    b.state = TaskState.TASK_FAILED;
    assertTrue(table.groupBroken("g"));
    assertFalse(table.groupBroken("h"));
    assertFalse(table.allTerminal());
    other.state = TaskState.TASK_KILLED;
    assertTrue(table.allTerminal());
    a.acknowledged = true;
    assertEquals(List.of("b", "c"), table.unacknowledged().stream().map(t -> t.getTaskId().getValue()).toList());
  }
}
