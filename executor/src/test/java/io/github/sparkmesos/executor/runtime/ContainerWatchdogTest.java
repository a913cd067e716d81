package io.github.sparkmesos.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.ContainerConfig;
import io.github.sparkmesos.docker.ContainerLifecycle;
import io.github.sparkmesos.docker.TestEngine;
import io.github.sparkmesos.os.ExitStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container's watchdog against the real engine: the end of the executor's pipe removes the
 * container at once (with the docker CLI, and with curl on the engine's API), a release leaves it.
 */
class ContainerWatchdogTest {

  private static final String LABEL = "io.github.sparkmesos.test.dwatch";
  private final String run = UUID.randomUUID().toString();
  private static ContainerLifecycle containers;

  @BeforeAll
  static void engine() throws Exception {
    // skips with a message where there is no engine, never under CI=true
    containers = new ContainerLifecycle(TestEngine.get());
  }

  @AfterEach
  void removeOurs() throws Exception {
    containers.removeLeftovers(Map.of(LABEL, run));
  }

  private String sleeper() throws Exception {
    String id = containers.create(ContainerConfig.builder(TestEngine.BUSYBOX)
        .name("sme-test-dwatch-" + run.substring(0, 8) + "-" + UUID.randomUUID().toString().substring(0, 4))
        .entrypoint("/bin/sh").command(List.of("-c", "exec sleep 600")).label(LABEL, run).build());
    containers.start(id);
    return id;
  }

  private boolean exists(String id) throws Exception {
    return containers.withLabels(Map.of(LABEL, run)).contains(id);
  }

  /** Polls the engine until the container is gone; the milliseconds it took. */
  private long awaitGone(String id, long limitMillis) throws Exception {
    long start = System.nanoTime();
    while (exists(id)) {
      long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(elapsed < limitMillis, "container " + id + " still there after " + elapsed + " ms");
      LockSupport.parkNanos(20_000_000L);
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  @Test
  void theEndOfTheExecutorsPipeRemovesTheContainer(@TempDir Path dir) throws Exception {
    String id = sleeper();
    ContainerWatchdog watchdog = ContainerWatchdog.watch(id, System.getenv(), dir.resolve("stderr"));
    assertTrue(watchdog.process().isPresent(), "a watchdog runs");
    assertTrue(exists(id));
    watchdog.abandon(); // as the kernel does when the executor dies
    long millis = awaitGone(id, 10_000);
    assertEquals(ExitStatus.exited(0), watchdog.process().orElseThrow().onExit().get(30, TimeUnit.SECONDS),
        Files.readString(dir.resolve("stderr")));
    assertTrue(millis < 2000, "removed within the recovery timeout: " + millis + " ms");
  }

  @Test
  void aReleaseLeavesTheContainerAndEndsTheWatchdog(@TempDir Path dir) throws Exception {
    String id = sleeper();
    ContainerWatchdog watchdog = ContainerWatchdog.watch(id, System.getenv(), dir.resolve("stderr"));
    watchdog.release();
    assertEquals(ExitStatus.exited(0), watchdog.process().orElseThrow().onExit().get(30, TimeUnit.SECONDS));
    assertTrue(exists(id), "the executor removes it itself");
  }

  @Test
  void withoutTheDockerCliCurlRemovesItThroughTheEngineApi(@TempDir Path dir) throws Exception {
    Map<String, String> env = System.getenv();
    List<String> removal = ContainerWatchdog.removal("abc", env, false).orElseThrow();
    assertEquals("curl", removal.get(0), removal.toString());
    assertTrue(removal.get(removal.size() - 1).endsWith("/containers/abc?force=true&v=true"), removal.toString());
    assertEquals(List.of("docker", "rm", "--force", "--volumes", "abc"),
        ContainerWatchdog.removal("abc", env, true).orElseThrow());

    // the curl form, run for real as the watchdog would run it
    String id = sleeper();
    List<String> argv = ContainerWatchdog.removal(id, env, false).orElseThrow();
    var curl = io.github.sparkmesos.os.ProcessLauncher.spawn(io.github.sparkmesos.os.ProcessSpec.of(argv,
        ContainerWatchdog.watchdogEnvironment(env), dir).withOutput(dir.resolve("out"), dir.resolve("err")));
    assertEquals(ExitStatus.exited(0), curl.onExit().get(30, TimeUnit.SECONDS), Files.readString(dir.resolve("err")));
    awaitGone(id, 10_000);
  }
}
