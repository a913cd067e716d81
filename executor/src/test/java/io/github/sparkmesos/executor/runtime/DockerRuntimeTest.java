package io.github.sparkmesos.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.ContainerSpec;
import io.github.sparkmesos.docker.ImageReference;
import io.github.sparkmesos.docker.TestEngine;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.os.ExitStatus;
import io.github.sparkmesos.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker runtime against the real engine and the busybox test image: the command runs in a
 * container with the task's directory as its sandbox, its output lands in the task's files, a kill
 * is a stop with the grace period, and the container is gone once the task is.
 */
class DockerRuntimeTest {

  private static final String EXECUTOR = "docker-runtime-test";

  @BeforeAll
  static void engine() throws Exception {
    TestEngine.get(); // skips with a message where there is no engine, never under CI=true
  }

  private static LaunchPlan plan(Path dir, String id, String command) {
    return new LaunchPlan(id, dir, false, List.of(), List.of("/bin/sh", "-c", command), Map.of("GREETING", "hello"),
        Optional.of(ContainerSpec.of(ImageReference.parse(TestEngine.BUSYBOX))), LaunchPlan.Containerizer.DOCKER,
        List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Set.of(),
        List.of());
  }

  private static DockerRuntime runtime() {
    return new DockerRuntime(System.getenv(), "docker-runtime-test-framework", EXECUTOR);
  }

  @Test
  void theCommandRunsInAContainerWithTheTaskDirectoryAsItsSandbox(@TempDir Path dir) throws Exception {
    RunningTask task = runtime().start(plan(dir, "ok",
        "echo \"$GREETING from $PWD $MESOS_SANDBOX\"; echo to-stderr >&2; touch made-inside; exit 3"));
    assertTrue(task.id().startsWith("container sme-" + EXECUTOR + "-ok"), task.id());
    assertEquals(ExitStatus.exited(3), task.exit().get(1, TimeUnit.MINUTES));
    task.allGone().get(1, TimeUnit.MINUTES);
    assertEquals("Container", task.kind());
    assertEquals("hello from /mnt/mesos/sandbox /mnt/mesos/sandbox\n", Files.readString(dir.resolve("stdout")));
    assertEquals("to-stderr\n", Files.readString(dir.resolve("stderr")));
    assertTrue(Files.exists(dir.resolve("made-inside")), "the sandbox is the task's directory");
    assertEquals(List.of(), runtime().removeLeftovers(), "the container was removed at its end");
  }

  @Test
  void aKillIsAStopWithTheGraceThenAKill(@TempDir Path dir) throws Exception {
    // PID 1 of a container ignores SIGTERM unless it handles it: only the kill after the grace ends it
    RunningTask task = runtime().start(plan(dir, "stubborn", "echo started; exec sleep 600"));
    Waits.awaitCondition(() -> dir.resolve("stdout").toFile().length() > 0, Duration.ofMinutes(1),
        "the container's first line in the task's stdout");
    long start = System.nanoTime();
    task.kill(Duration.ofSeconds(1));
    assertEquals(ExitStatus.exited(137), task.exit().get(1, TimeUnit.MINUTES));
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(elapsed >= 900 && elapsed < 2500, "stopped after the 1 s grace, within a second more: " + elapsed);
    assertTrue(task.killRequested());
    task.allGone().get(1, TimeUnit.MINUTES);
    assertEquals(List.of(), runtime().removeLeftovers());
  }
}
