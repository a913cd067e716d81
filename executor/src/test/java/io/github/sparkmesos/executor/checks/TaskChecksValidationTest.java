package io.github.sparkmesos.executor.checks;

import static io.github.sparkmesos.executor.checks.CheckProtos.check;
import static io.github.sparkmesos.executor.checks.CheckProtos.commandCheck;
import static io.github.sparkmesos.executor.checks.CheckProtos.commandHealth;
import static io.github.sparkmesos.executor.checks.CheckProtos.health;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.executor.task.InvalidTaskException;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.apache.mesos.v1.Protos.Secret;
import org.junit.jupiter.api.Test;

class TaskChecksValidationTest {

  @Test
  void validChecksPass() {
    assertDoesNotThrow(() -> TaskChecks.validate(Optional.empty(), Optional.empty()));
    assertDoesNotThrow(() -> TaskChecks.validate(Optional.of(commandHealth("true").build()),
        Optional.of(check(CheckInfo.Type.TCP).setTcp(CheckInfo.Tcp.newBuilder().setPort(80)).build())));
    // Mesos's defaults (15 s, 10 s, 20 s, 3, 10 s) are valid as they are
    assertDoesNotThrow(() -> TaskChecks.validate(Optional.of(HealthCheck.newBuilder()
        .setType(HealthCheck.Type.HTTP).setHttp(HealthCheck.HTTPCheckInfo.newBuilder().setPort(8080)).build()),
        Optional.empty()));
  }

  @Test
  void healthCheckErrorsNameTheField() {
    rejects("TaskInfo.health_check.type", HealthCheck.newBuilder().build());
    rejects("TaskInfo.health_check.command", health(HealthCheck.Type.COMMAND).build());
    rejects("TaskInfo.health_check.command.value",
        health(HealthCheck.Type.COMMAND).setCommand(CommandInfo.newBuilder().setShell(false)).build());
    rejects("TaskInfo.health_check.http", health(HealthCheck.Type.HTTP).build());
    rejects("TaskInfo.health_check.http.port", health(HealthCheck.Type.HTTP)
        .setHttp(HealthCheck.HTTPCheckInfo.newBuilder().setPort(0)).build());
    rejects("TaskInfo.health_check.http.port", health(HealthCheck.Type.HTTP)
        .setHttp(HealthCheck.HTTPCheckInfo.newBuilder().setPort(70000)).build());
    rejects("TaskInfo.health_check.http.path", health(HealthCheck.Type.HTTP)
        .setHttp(HealthCheck.HTTPCheckInfo.newBuilder().setPort(80).setPath("health")).build());
    rejects("TaskInfo.health_check.http.scheme", health(HealthCheck.Type.HTTP)
        .setHttp(HealthCheck.HTTPCheckInfo.newBuilder().setPort(80).setScheme("ftp")).build());
    rejects("TaskInfo.health_check.tcp.port", health(HealthCheck.Type.TCP)
        .setTcp(HealthCheck.TCPCheckInfo.newBuilder().setPort(-1)).build());
    rejects("TaskInfo.health_check.interval_seconds", commandHealth("true").setIntervalSeconds(-1).build());
    rejects("TaskInfo.health_check.grace_period_seconds",
        commandHealth("true").setGracePeriodSeconds(Double.NaN).build());
    Environment.Variable secret = Environment.Variable.newBuilder().setName("TOKEN")
        .setType(Environment.Variable.Type.SECRET).setSecret(Secret.newBuilder().setType(Secret.Type.VALUE)
            .setValue(Secret.Value.newBuilder().setData(com.google.protobuf.ByteString.copyFromUtf8("s"))))
        .build();
    rejects("TaskInfo.health_check.command.environment.variables[0].type", health(HealthCheck.Type.COMMAND)
        .setCommand(CommandInfo.newBuilder().setValue("true")
            .setEnvironment(Environment.newBuilder().addVariables(secret))).build());
  }

  @Test
  void checkErrorsNameTheField() {
    rejects("TaskInfo.check.type", CheckInfo.newBuilder().build());
    rejects("TaskInfo.check.command", check(CheckInfo.Type.COMMAND).build());
    rejects("TaskInfo.check.command.command.value", check(CheckInfo.Type.COMMAND)
        .setCommand(CheckInfo.Command.newBuilder().setCommand(CommandInfo.getDefaultInstance())).build());
    rejects("TaskInfo.check.http.path", check(CheckInfo.Type.HTTP)
        .setHttp(CheckInfo.Http.newBuilder().setPort(80).setPath("/a b")).build());
    rejects("TaskInfo.check.tcp", check(CheckInfo.Type.TCP).build());
    rejects("TaskInfo.check.timeout_seconds", commandCheck("true").setTimeoutSeconds(-0.5).build());
  }

  @Test
  void startRefusesWhatValidateRefuses() {
    assertThrows(IllegalArgumentException.class, () -> TaskChecks.start(
        Optional.of(HealthCheck.getDefaultInstance()), Optional.empty(),
        new TaskChecks.CheckTarget(java.util.Map.of(), java.nio.file.Path.of("/")), new RecordingListener()));
  }

  private static void rejects(String field, HealthCheck health) {
    InvalidTaskException e = assertThrows(InvalidTaskException.class,
        () -> TaskChecks.validate(Optional.of(health), Optional.empty()));
    assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
  }

  private static void rejects(String field, CheckInfo check) {
    InvalidTaskException e = assertThrows(InvalidTaskException.class,
        () -> TaskChecks.validate(Optional.empty(), Optional.of(check)));
    assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
  }
}
