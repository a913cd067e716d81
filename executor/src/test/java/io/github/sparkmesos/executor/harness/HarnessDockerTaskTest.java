package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.ContainerLifecycle;
import io.github.sparkmesos.docker.DockerEngine;
import io.github.sparkmesos.docker.TestEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command task whose container is DOCKER, as an agent's Docker containerizer runs it: the harness pulls
 * the image, then starts the real executor as {@code mesos-docker-executor} with the agent's flags, and the
 * task's command runs in a container of the real engine named from {@code --container}.
 */
class HarnessDockerTaskTest {

  private DockerEngine engine;
  private final List<String> containers = new ArrayList<>();

  @BeforeEach
  void engine() throws Exception {
    engine = TestEngine.get();
  }

  @AfterEach
  void removeOurContainers() throws Exception {
    // only the names this test's harness chose (mesos-<its container id>)
    for (String name : containers) {
      new ContainerLifecycle(engine).remove(name);
    }
  }

  private static String task(String id, String image, String command) {
    return "{\"name\": \"" + id + "\", \"task_id\": {\"value\": \"" + id + "\"},"
        + " \"resources\": [{\"name\": \"cpus\", \"type\": \"SCALAR\", \"scalar\": {\"value\": 0.1}},"
        + " {\"name\": \"mem\", \"type\": \"SCALAR\", \"scalar\": {\"value\": 64}}],"
        + " \"container\": {\"type\": \"DOCKER\", \"docker\": {\"image\": \"" + image + "\"}},"
        + " \"command\": {\"shell\": true, \"value\": \"" + command + "\"}}";
  }

  private HarnessRun.Run run(Path dir, String taskJson, String... options) throws Exception {
    Harness harness = HarnessRun.start(dir, taskJson, options);
    String name = harness.dockerContainer().orElseThrow();
    containers.add(name);
    return HarnessRun.finish(harness);
  }

  private static String diagnostics(HarnessRun.Run run) throws IOException {
    Path stderr = run.result().sandbox().resolve("stderr");
    return run.stdout() + " " + run.result().problems() + " " + run.result().violations()
        + (Files.exists(stderr) ? "\n" + Files.readString(stderr) : "");
  }

  @Test
  void aCommandRunsInAContainerNamedFromTheFlagToTaskFinished(@TempDir Path dir) throws Exception {
    long since = System.currentTimeMillis() / 1000 - 1;
    Harness harness = HarnessRun.start(dir, task("d", TestEngine.BUSYBOX, "echo in-container; test -d /mnt/mesos/sandbox"));
    String name = harness.dockerContainer().orElseThrow();
    containers.add(name);
    HarnessRun.Run run = HarnessRun.finish(harness);

    assertEquals(0, run.result().exitCode(), diagnostics(run));
    Harness.Update last = run.result().terminal("d");
    assertEquals(TaskState.TASK_FINISHED, last.state(), diagnostics(run));
    assertEquals("Container exited with status 0", last.message());
    assertTrue(Files.readAllLines(dir.resolve("sandbox/stdout")).contains("in-container"), diagnostics(run));
    assertTrue(name.matches("mesos-[0-9a-f-]{36}"), name);
    assertEquals(List.of(name), createdContainers(since, name), "the engine created the container by that name");
    assertEquals(Optional.empty(), new ContainerLifecycle(engine).running(name), "nothing left");
  }

  @Test
  void aKillEndsTaskKilledWithinTheGraceAndASecond(@TempDir Path dir) throws Exception {
    HarnessRun.Run run = run(dir, task("k", TestEngine.BUSYBOX, "exec sleep 600"),
        "--kill-after", "500ms", "--kill-grace", "1secs");

    assertEquals(0, run.result().exitCode(), diagnostics(run));
    Harness.Update killed = run.result().terminal("k");
    assertEquals(TaskState.TASK_KILLED, killed.state(), diagnostics(run));
    Harness.Update running = run.result().updates().stream().filter(u -> u.state() == TaskState.TASK_RUNNING)
        .findFirst().orElseThrow();
    // KILL went 0.5 s after TASK_RUNNING arrived; sleep as PID 1 ignores SIGTERM, so the grace runs out
    double afterKill = killed.timestamp() - running.timestamp() - 0.5;
    assertTrue(afterKill <= 2.0, "TASK_KILLED " + afterKill + " s after the KILL: " + run.stdout());
    assertEquals(List.of(), run.result().violations(), "no container left running");
  }

  @Test
  void anImageThatCannotBePulledFailsTheTaskFromTheAgentWithoutTheExecutor(@TempDir Path dir) throws Exception {
    // a registry nobody serves: the pull fails at once, without the network
    String image = "127.0.0.1:1/sme-test-dclient-unknown-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
    Harness harness = HarnessRun.start(dir, task("u", image, "true"));
    containers.add(harness.dockerContainer().orElseThrow());
    assertEquals(-1, harness.executorPid(), "the executor was not started");
    HarnessRun.Run run = HarnessRun.finish(harness);

    Harness.Update failed = run.result().terminal("u");
    assertEquals(TaskState.TASK_FAILED, failed.state(), run.stdout().toString());
    assertEquals("SOURCE_AGENT", failed.source());
    assertEquals("REASON_CONTAINER_LAUNCH_FAILED", failed.reason());
    assertTrue(failed.message().startsWith("Failed to launch container: Failed to pull image '" + image + "'"),
        failed.message());
    assertEquals(1, run.result().updates().size(), run.stdout().toString());
    assertEquals(0, run.result().subscriptions());
  }

  /** The names of the containers the engine created by this name since then: its events up to now (no wait). */
  private static List<String> createdContainers(long since, String name) throws Exception {
    java.time.Instant now = java.time.Instant.now();
    Process p = new ProcessBuilder("docker", "events", "--since", String.valueOf(since), "--until",
        String.format("%d.%09d", now.getEpochSecond(), now.getNano()), "--filter", "type=container", "--filter",
        "event=create", "--filter", "container=" + name, "--format", "{{.Actor.Attributes.name}}")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out.lines().filter(l -> !l.isBlank()).toList();
  }
}
