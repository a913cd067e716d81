package io.github.sparkmesos.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.ContainerSpec;
import io.github.sparkmesos.docker.ImageReference;
import io.github.sparkmesos.docker.TestEngine;
import io.github.sparkmesos.executor.task.LaunchFailedException;
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
        List.of(), List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Set.of(), List.of(), LaunchPlan.Resources.NONE, false, List.of(), Map.of(), Optional.empty());
  }

  private static DockerRuntime runtime() {
    return new DockerRuntime(System.getenv(), "docker-runtime-test-framework", EXECUTOR);
  }

  @Test
  void theCommandRunsInAContainerWithTheTaskDirectoryAsItsSandbox(@TempDir Path dir) throws Exception {
    DockerRuntime runtime = runtime();
    LaunchPlan ok = plan(dir, "ok",
        "echo \"$GREETING from $PWD $MESOS_SANDBOX\"; echo to-stderr >&2; touch made-inside; exit 3");
    List<String> progress = new java.util.ArrayList<>();
    runtime.prepare(ok, progress::add);
    assertEquals(List.of(), progress, "no TASK_STARTING for an image that is present");
    RunningTask task = runtime.start(ok);
    assertTrue(task.id().startsWith("container sme-" + EXECUTOR + "-ok"), task.id());
    assertEquals(ExitStatus.exited(3), task.exit().get(1, TimeUnit.MINUTES));
    task.allGone().get(1, TimeUnit.MINUTES);
    assertEquals("Container", task.kind());
    assertEquals("hello from /mnt/mesos/sandbox /mnt/mesos/sandbox\n", Files.readString(dir.resolve("stdout")));
    List<String> stderr = Files.readAllLines(dir.resolve("stderr"));
    assertTrue(stderr.get(0).endsWith("is present; not pulled"), "the pull's line first: " + stderr);
    assertEquals("to-stderr", stderr.get(stderr.size() - 1), "then what the container wrote: " + stderr);
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

  private static LaunchPlan plan(Path dir, String id, List<String> argv, ContainerSpec spec,
      LaunchPlan.Resources resources) {
    return new LaunchPlan(id, dir, false, List.of(), argv, Map.of("GREETING", "hello"), Optional.of(spec),
        LaunchPlan.Containerizer.DOCKER, List.of(), List.of(), List.of(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Set.of(), List.of(), resources, false, List.of(), Map.of(), Optional.empty());
  }

  private static ContainerSpec spec(ContainerSpec.NetworkMode network, List<ContainerSpec.PortMapping> ports,
      Optional<String> hostname, List<ContainerSpec.Parameter> parameters) {
    return new ContainerSpec(ImageReference.parse(TestEngine.BUSYBOX), false, List.of(), ports, network, Map.of(),
        hostname, false, parameters);
  }

  private static DockerRuntime dparams() {
    return new DockerRuntime(System.getenv(), "docker-runtime-test-framework", "test-dparams-runtime");
  }

  @Test
  void resourcesPortsHostnameAndParametersAreOnTheRunningContainer(@TempDir Path dir) throws Exception {
    int hostPort;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      hostPort = free.getLocalPort();
    }
    ContainerSpec spec = spec(ContainerSpec.NetworkMode.BRIDGE,
        List.of(new ContainerSpec.PortMapping(hostPort, 8080, ContainerSpec.PortMapping.Protocol.TCP)),
        Optional.of("task-host"), List.of(new ContainerSpec.Parameter("env", "EXTRA=1"),
            new ContainerSpec.Parameter("label", "team=data"), new ContainerSpec.Parameter("ulimit", "nofile=1024:2048"),
            new ContainerSpec.Parameter("memory-reservation", "64m")));
    RunningTask task = dparams().start(plan(dir, "limits", List.of("/bin/sh", "-c",
        "hostname; echo \"$GREETING $EXTRA\"; ulimit -n; while [ ! -e go ]; do sleep 0.1; done"), spec,
        new LaunchPlan.Resources(Optional.of(0.5), Optional.of(100L))));
    try {
      var inspect = TestEngine.inspect("sme-test-dparams-runtime-limits");
      var host = inspect.getHostConfig();
      assertEquals(512, host.getCpuShares(), "max(1024 * cpus, 2)");
      assertEquals((100L + 32) << 20, host.getMemory(), "the task's mem and the executor's 32 MiB");
      assertEquals((100L + 32) << 20, host.getMemorySwap(), "no swap beyond it");
      assertEquals(64L << 20, host.getMemoryReservation());
      assertEquals(String.valueOf(hostPort), host.getPortBindings().getBindings()
          .get(com.github.dockerjava.api.model.ExposedPort.tcp(8080))[0].getHostPortSpec());
      assertEquals("bridge", host.getNetworkMode());
      assertEquals("task-host", inspect.getConfig().getHostName());
      assertEquals("data", inspect.getConfig().getLabels().get("team"));
      assertEquals("docker-runtime-test-framework", inspect.getConfig().getLabels().get(DockerRuntime.LABEL_FRAMEWORK));
    } finally {
      Files.writeString(dir.resolve("go"), "");
    }
    assertEquals(ExitStatus.exited(0), task.exit().get(1, TimeUnit.MINUTES));
    task.allGone().get(1, TimeUnit.MINUTES);
    assertEquals("task-host\nhello 1\n1024\n", Files.readString(dir.resolve("stdout")));
  }

  @Test
  void anEntrypointParameterReplacesTheShellAsDockerRunsDoes(@TempDir Path dir) throws Exception {
    // Mesos: docker run --entrypoint /bin/sh ... --entrypoint=/bin/echo IMAGE -c VALUE: the user's wins
    RunningTask task = dparams().start(plan(dir, "entrypoint", List.of("/bin/sh", "-c", "echo never"),
        spec(ContainerSpec.NetworkMode.HOST, List.of(), Optional.empty(),
            List.of(new ContainerSpec.Parameter("entrypoint", "/bin/echo"))), LaunchPlan.Resources.NONE));
    assertEquals(ExitStatus.exited(0), task.exit().get(1, TimeUnit.MINUTES));
    task.allGone().get(1, TimeUnit.MINUTES);
    assertEquals("-c echo never\n", Files.readString(dir.resolve("stdout")));
  }

  @Test
  void whatTheEngineApiCannotExpressFailsTheTaskNamingItAndMakesNoContainer(@TempDir Path dir) throws Exception {
    LaunchFailedException e = assertThrows(LaunchFailedException.class, () -> dparams().start(plan(dir, "refused",
        List.of("/bin/sh", "-c", "true"), spec(ContainerSpec.NetworkMode.HOST, List.of(), Optional.empty(),
            List.of(new ContainerSpec.Parameter("log-driver", "my-plugin"))), LaunchPlan.Resources.NONE)));
    assertTrue(e.getMessage().contains("--log-driver=my-plugin"), e.getMessage());
    e = assertThrows(LaunchFailedException.class, () -> dparams().start(plan(dir, "relabel",
        List.of("/bin/sh", "-c", "true"), spec(ContainerSpec.NetworkMode.HOST, List.of(), Optional.empty(),
            List.of(new ContainerSpec.Parameter("label", DockerRuntime.LABEL_EXECUTOR + "=other"))),
        LaunchPlan.Resources.NONE)));
    assertTrue(e.getMessage().contains("--label=" + DockerRuntime.LABEL_EXECUTOR + "=other"), e.getMessage());
    assertEquals(List.of(), dparams().removeLeftovers());
  }

  @Test
  void mesosResourceRules() {
    assertEquals(2, ContainerResources.cpuShares(0.001));
    assertEquals(1024, ContainerResources.cpuShares(1));
    assertEquals(1536, ContainerResources.cpuShares(1.5));
    assertEquals(32L << 20 << 1, ContainerResources.memoryBytes(32));
    assertEquals(32L << 20, ContainerResources.memoryBytes(0));
  }
}
