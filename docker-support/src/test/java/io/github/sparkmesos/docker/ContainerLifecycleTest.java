package io.github.sparkmesos.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import io.github.sparkmesos.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The container steps against the real engine, checked by inspecting the real containers. */
class ContainerLifecycleTest {

  private static final Duration LIMIT = Duration.ofSeconds(60);

  @RegisterExtension
  final TestContainers containers = new TestContainers();

  @TempDir
  Path dir;

  @Test
  void createStartWaitWithEnvBindsLabelsAndWorkingDir() throws Exception {
    Path ro = Files.createDirectories(dir.resolve("ro"));
    Path rw = Files.createDirectories(dir.resolve("rw"));
    Files.writeString(ro.resolve("hello"), "from the host\n");
    String name = TestEngine.name("create");
    String id = containers.create(ContainerConfig.builder(TestEngine.BUSYBOX).name(name)
        .command("sh", "-c", "cat /in/hello > /out/copied; pwd > /out/pwd; echo \"$FOO|$BAR\" > /out/env;"
            + " if touch /in/written 2>/dev/null; then echo ro-writable > /out/ro; else echo ro-denied > /out/ro; fi;"
            + " exit 3")
        .env("FOO", "bar").env("BAR=with space; and $(no expansion)")
        .workingDir("/out").bind(ro + ":/in:ro").bind(rw + ":/out").networkMode("none")
        .memoryBytes(64L << 20).cpuShares(512).label("sme.task", "task-1"));

    InspectContainerResponse created = containers.engine.client().inspectContainerCmd(id).exec();
    assertEquals("/" + name, created.getName());
    assertTrue(Arrays.asList(created.getConfig().getEnv()).containsAll(List.of("FOO=bar", "BAR=with space; and $(no expansion)")));
    assertEquals("/out", created.getConfig().getWorkingDir());
    assertEquals("task-1", created.getConfig().getLabels().get("sme.task"));
    assertEquals(containers.run, created.getConfig().getLabels().get(TestEngine.LABEL));
    assertEquals("none", created.getHostConfig().getNetworkMode());
    assertEquals(64L << 20, created.getHostConfig().getMemory());
    assertEquals(64L << 20, created.getHostConfig().getMemorySwap());
    assertEquals(512, created.getHostConfig().getCpuShares());
    List<String> binds = Arrays.stream(created.getHostConfig().getBinds()).map(Bind::toString).toList();
    assertEquals(List.of(ro + ":/in:ro", rw + ":/out:rw"), binds);

    containers.lifecycle.start(id);
    ContainerExit exit = containers.lifecycle.awaitExit(id, LIMIT).orElseThrow();

    assertEquals(new ContainerExit(3, false), exit);
    assertEquals("Container exited with status 3", exit.message());
    assertEquals("from the host\n", Files.readString(rw.resolve("copied")));
    assertEquals("/out\n", Files.readString(rw.resolve("pwd")));
    assertEquals("bar|with space; and $(no expansion)\n", Files.readString(rw.resolve("env")));
    assertEquals("ro-denied\n", Files.readString(rw.resolve("ro")));
    assertFalse(Files.exists(ro.resolve("written")));
  }

  @Test
  void logsLandInTheTwoFilesAppended() throws Exception {
    Path stdout = Files.writeString(dir.resolve("stdout"), "fetcher was here\n");
    Path stderr = dir.resolve("stderr");
    String id = containers.create(ContainerConfig.builder(TestEngine.BUSYBOX).name(TestEngine.name("logs"))
        .command("sh", "-c", "echo out-1; echo err-1 >&2; echo out-2; echo err-2 >&2"));
    containers.lifecycle.start(id);
    try (ContainerLogs logs = containers.lifecycle.logs(id, stdout, stderr)) {
      assertTrue(logs.awaitEnd(LIMIT), "the log stream ends when the container stops");
    }
    assertEquals(0, containers.lifecycle.awaitExit(id, LIMIT).orElseThrow().code());
    assertEquals("fetcher was here\nout-1\nout-2\n", Files.readString(stdout));
    assertEquals("err-1\nerr-2\n", Files.readString(stderr));
  }

  /** A follow stream that ends early (as Docker 20.10's did, mid-log) is completed from the log, nothing twice. */
  @Test
  void outputTheFollowStreamMissedIsReadFromTheLog() throws Exception {
    Path signals = Files.createDirectories(dir.resolve("signals"));
    Path stdout = dir.resolve("stdout");
    Path stderr = dir.resolve("stderr");
    String id = containers.create(ContainerConfig.builder(TestEngine.BUSYBOX).name(TestEngine.name("logs-early"))
        .bind(signals + ":/signals").command("sh", "-c", "seq 1 20000; echo early >&2; touch /signals/printed;"
            + " while [ ! -e /signals/go ]; do sleep 0.05; done; seq 20001 60000; seq 1 3000 >&2"));
    containers.lifecycle.start(id);
    try (ContainerLogs logs = containers.lifecycle.logs(id, stdout, stderr)) {
      Waits.awaitFile(signals.resolve("printed"));
      Waits.awaitCondition(() -> stdout.toFile().length() > 0, LIMIT, "the first lines followed");
      logs.endFollowingEarly();
      Files.createFile(signals.resolve("go"));
      assertEquals(0, containers.lifecycle.awaitExit(id, LIMIT).orElseThrow().code());
      assertTrue(logs.awaitEnd(LIMIT), "the output is completed from the log");
    }
    assertEquals(numbered(1, 60000), Files.readString(stdout));
    assertEquals("early\n" + numbered(1, 3000), Files.readString(stderr));
  }

  private static String numbered(int from, int to) {
    StringBuilder lines = new StringBuilder();
    for (int i = from; i <= to; i++) {
      lines.append(i).append('\n');
    }
    return lines.toString();
  }

  @Test
  void stopOfAContainerIgnoringTermKillsItAfterTheGracePeriod() throws Exception {
    Path signals = Files.createDirectories(dir.resolve("signals"));
    String id = containers.create(ContainerConfig.builder(TestEngine.BUSYBOX).name(TestEngine.name("stop"))
        .bind(signals + ":/signals")
        .command("sh", "-c", "trap '' TERM; touch /signals/ready; while true; do sleep 1; done"));
    containers.lifecycle.start(id);
    Waits.awaitFile(signals.resolve("ready"));

    Duration grace = Duration.ofSeconds(1);
    long start = System.nanoTime();
    containers.lifecycle.stop(id, grace);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertTrue(took.compareTo(grace) >= 0, "TERM was ignored, so the stop waits for the grace period: " + took);
    assertTrue(took.compareTo(grace.plusSeconds(1)) < 0, "stopped within grace + 1 s: " + took);
    ContainerExit exit = containers.lifecycle.awaitExit(id, LIMIT).orElseThrow();
    assertEquals(137, exit.code());
    assertEquals(9, exit.signal());
    assertFalse(exit.oomKilled());
    containers.lifecycle.stop(id, grace); // a stopped container: no error
  }

  @Test
  void outOfMemoryIsReported() throws Exception {
    String id = containers.create(ContainerConfig.builder(TestEngine.BUSYBOX).name(TestEngine.name("oom"))
        .memoryBytes(8L << 20).command("sh", "-c", "head -c 64m /dev/zero | tail"));
    containers.lifecycle.start(id);
    ContainerExit exit = containers.lifecycle.awaitExit(id, LIMIT).orElseThrow();
    assertTrue(exit.oomKilled(), "OOMKilled: " + exit);
    assertTrue(exit.code() != 0, exit.message());
  }

  @Test
  void awaitExitGivesUpAfterItsLimit() throws Exception {
    String id = containers.create(ContainerConfig.builder(TestEngine.BUSYBOX).name(TestEngine.name("wait"))
        .command("sh", "-c", "while true; do sleep 1; done"));
    containers.lifecycle.start(id);
    assertTrue(containers.lifecycle.awaitExit(id, Duration.ofMillis(200)).isEmpty());
    containers.lifecycle.kill(id);
    assertEquals(137, containers.lifecycle.awaitExit(id, LIMIT).orElseThrow().code());
  }

  @Test
  void removeLeftoversRemovesLabelledContainersAndOnlyThose() throws Exception {
    String other = UUID.randomUUID().toString();
    String running = containers.create(ContainerConfig.builder(TestEngine.BUSYBOX).name(TestEngine.name("left-running"))
        .label("sme.executor", other).command("sh", "-c", "while true; do sleep 1; done"));
    String stopped = containers.create(ContainerConfig.builder(TestEngine.BUSYBOX).name(TestEngine.name("left-created"))
        .label("sme.executor", other).command("true"));
    String kept = containers.create(ContainerConfig.builder(TestEngine.BUSYBOX).name(TestEngine.name("kept"))
        .label("sme.executor", "another-" + other).command("true"));
    containers.lifecycle.start(running);

    List<String> removed = containers.lifecycle.removeLeftovers(Map.of("sme.executor", other, TestEngine.LABEL,
        containers.run));

    assertEquals(2, removed.size(), removed.toString());
    assertGone(running);
    assertGone(stopped);
    assertEquals(kept, containers.engine.client().inspectContainerCmd(kept).exec().getId());
    assertEquals(List.of(), containers.lifecycle.removeLeftovers(Map.of("sme.executor", other)));
  }

  @Test
  void removeOfAMissingContainerIsNoError() throws Exception {
    containers.lifecycle.remove(TestEngine.name("never-made"));
  }

  private void assertGone(String id) {
    try {
      containers.engine.client().inspectContainerCmd(id).exec();
      throw new AssertionError("container " + id + " is still there");
    } catch (NotFoundException expected) {
      // removed
    }
  }
}
