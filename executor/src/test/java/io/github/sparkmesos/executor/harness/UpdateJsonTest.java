package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.Test;

/** The JSON line of an update: healthy and check_status only when the update has them. */
class UpdateJsonTest {

  @Test
  void healthyAndCheckStatusAppearOnlyWhenPresent() {
    Harness.Update plain = new Harness.Update("t", TaskState.TASK_RUNNING, null, "m", "SOURCE_EXECUTOR", 1.5, "00",
        Optional.empty(), Optional.empty());
    JsonObject o = JsonParser.parseString(plain.json()).getAsJsonObject();
    assertFalse(o.has("healthy"));
    assertFalse(o.has("check_status"));

    CheckStatusInfo check = CheckStatusInfo.newBuilder().setType(CheckInfo.Type.COMMAND)
        .setCommand(CheckStatusInfo.Command.newBuilder().setExitCode(3)).build();
    Harness.Update checked = new Harness.Update("t", TaskState.TASK_RUNNING, "REASON_TASK_CHECK_STATUS_UPDATED",
        "m", "SOURCE_EXECUTOR", 1.5, "00", Optional.of(false), Optional.of(check));
    JsonObject c = JsonParser.parseString(checked.json()).getAsJsonObject();
    assertFalse(c.get("healthy").getAsBoolean());
    assertEquals("COMMAND", c.getAsJsonObject("check_status").get("type").getAsString());
    assertEquals(3, c.getAsJsonObject("check_status").getAsJsonObject("command").get("exit_code").getAsInt());
  }
}
