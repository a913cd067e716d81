package io.github.sparkmesos.executor.checks;

import static io.github.sparkmesos.executor.checks.CheckProtos.exitCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandProbeTest {

  @TempDir
  Path dir;

  private static final Map<String, String> TASK_ENV = Map.of("PATH", "/usr/bin:/bin", "CODE", "1", "KEEP", "3");

  @Test
  void execFormRunsValueWithArgumentsAndTheCheckEnvironmentOverTheTasks() {
    CommandInfo command = CommandInfo.newBuilder().setShell(false).setValue("/bin/sh")
        .addArguments("ignored-argv0").addArguments("-c").addArguments("exit $((CODE + KEEP))")
        .setEnvironment(Environment.newBuilder().addVariables(
            Environment.Variable.newBuilder().setName("CODE").setValue("4")))
        .build();
    assertEquals(List.of("/bin/sh", "-c", "exit $((CODE + KEEP))"), Probes.argv(command));
    assertEquals(new ProbeResult.Performed(exitCode(7)), probe(command, Optional.empty()).run());
  }

  @Test
  void shellFormRunsInTheTaskDirectoryAndItsOutputGoesNowhereNearTheTask() throws Exception {
    CommandInfo command = CommandInfo.newBuilder().setValue("echo noise; echo more >&2; test \"$(pwd)\" = '"
        + dir + "'").build();
    assertEquals(new ProbeResult.Performed(exitCode(0)), probe(command, Optional.empty()).run());
    try (var files = Files.list(dir)) {
      assertEquals(List.of(), files.toList(), "no output file in the task directory");
    }
  }

  @Test
  void endedBySignalIsAFailure() {
    CommandInfo command = CommandInfo.newBuilder().setValue("kill -KILL $$").build();
    ProbeResult result = probe(command, Optional.empty()).run();
    assertInstanceOf(ProbeResult.Failed.class, result);
    assertTrue(((ProbeResult.Failed) result).why().contains("signal"), result.toString());
  }

  @Test
  void timeoutIsAFailureNamingIt() {
    CommandInfo command = CommandInfo.newBuilder().setValue("sleep 30").build();
    assertEquals(new ProbeResult.Failed("Command timed out after 500ms"),
        probe(command, Optional.of(Duration.ofMillis(500))).run());
  }

  private CommandProbe probe(CommandInfo command, Optional<Duration> timeout) {
    return new CommandProbe(Probes.argv(command), Probes.environment(command, TASK_ENV), dir, timeout);
  }
}
