package io.github.sparkmesos.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.ContainerSpec;
import io.github.sparkmesos.docker.ImageReference;
import io.github.sparkmesos.docker.TestEngine;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.os.ExitStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container's output copied into the task's files through the same rotating writer as a process task's,
 * with the real engine and the busybox test image (skipped with a message where there is no engine, never
 * under CI=true).
 */
class DockerRuntimeLogsTest {

  @BeforeAll
  static void engine() throws Exception {
    TestEngine.get();
  }

  @Test
  void aContainersOutputIsRotatedAtLineBoundariesAndEndsWithItsLastLine(@TempDir Path dir) throws Exception {
    int lines = 100_000; // 588,895 bytes
    LogRotation rotation = new LogRotation(32 << 10, 4);
    DockerRuntime runtime = new DockerRuntime(System.getenv(), "docker-logs-test-framework", "docker-logs-test",
        Optional.empty(), rotation);
    LaunchPlan plan = new LaunchPlan("rotated", dir, false, List.of(), List.of("/bin/sh", "-c",
        "seq 1 " + lines + "; seq 1 3000 >&2"), Map.of(),
        Optional.of(ContainerSpec.of(ImageReference.parse(TestEngine.BUSYBOX))), LaunchPlan.Containerizer.DOCKER,
        List.of(), List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Set.of(), List.of(), LaunchPlan.Resources.NONE, false, List.of(), Map.of(), Optional.empty());
    RunningTask task = runtime.start(plan);
    assertEquals(ExitStatus.exited(0), task.exit().get(2, TimeUnit.MINUTES));
    task.allGone().get(2, TimeUnit.MINUTES);
    long first = RotatedFiles.checkNumbered(dir, "stdout", rotation.maxSize(), rotation.maxFiles(), lines);
    assertTrue(first > 1, "older files were dropped: the first line kept is " + first);
    assertTrue(Files.exists(dir.resolve("stdout.3")));
    assertEquals(1, RotatedFiles.checkNumbered(dir, "stderr", rotation.maxSize(), rotation.maxFiles(), 3000),
        "13,893 bytes of stderr fit in one file");
    assertEquals(List.of(), runtime.removeLeftovers(), "the container was removed at its end");
  }
}
