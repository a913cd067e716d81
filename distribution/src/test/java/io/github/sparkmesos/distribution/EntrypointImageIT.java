package io.github.sparkmesos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.testing.Skips;
import io.github.sparkmesos.testing.Waits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's own image (images/executor-image.sh, built in pre-integration-test) on the real
 * engine: its entrypoint is the container's PID 1, so {@code docker stop} reaches the command only if
 * the entrypoint forwards it, a zombie stays only if it does not reap, and the container's exit code is
 * whatever it passes on.
 */
@Timeout(180)
class EntrypointImageIT {

  static final String IMAGE = System.getProperty("executor.image");
  /** Loops until a signal, so only a forwarded one ends it. */
  static final String WAIT_FOREVER = "while :; do sleep 1000 & wait $!; done";

  @TempDir
  Path marks;
  final List<String> containers = new ArrayList<>();

  @BeforeAll
  static void engineAndImage() throws Exception {
    Skips.require(docker("info").exit == 0, "no Docker engine answers (.ci/run starts one)");
    Skips.require(docker("image", "inspect", IMAGE).exit == 0,
        IMAGE + " is missing (images/executor-image.sh, in the distribution module's pre-integration-test)");
  }

  @AfterEach
  void removeContainers() throws Exception {
    for (String name : containers) {
      docker("rm", "-f", name);
    }
  }

  @Test
  void dockerStopReachesTheCommand() throws Exception {
    String name = start("trap 'touch /marks/term; exit 7' TERM; touch /marks/ready; " + WAIT_FOREVER);
    Waits.awaitFile(marks.resolve("ready"));

    Result stop = docker("stop", "-t", "60", name);
    assertEquals(0, stop.exit, stop.err);

    assertEquals("7", docker("inspect", "-f", "{{.State.ExitCode}}", name).out.strip());
    assertTrue(Files.exists(marks.resolve("term")), "the command's TERM trap never ran");
  }

  @Test
  void orphansAreReaped() throws Exception {
    // the subshell exits at once, so its background child becomes PID 1's; it exits in turn
    String name = start("( sh -c 'echo $$ > /marks/orphan.tmp; mv /marks/orphan.tmp /marks/orphan; exit 0' & ); "
        + "touch /marks/ready; " + WAIT_FOREVER);
    Waits.awaitFile(marks.resolve("ready"));
    Waits.awaitFile(marks.resolve("orphan"));
    String orphan = Files.readString(marks.resolve("orphan")).strip();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String table;
    do {
      Result ps = docker("exec", name, "ps", "-eo", "pid=,stat=,args=");
      assertEquals(0, ps.exit, ps.err);
      table = ps.out;
    } while ((listed(table, orphan) || table.contains("<defunct>")) && System.nanoTime() < deadline);

    assertFalse(listed(table, orphan), "the orphan " + orphan + " was never reaped:\n" + table);
    assertFalse(table.contains("<defunct>"), table);
    assertTrue(table.lines().anyMatch(l -> l.strip().startsWith("1 ") && l.contains("entrypoint")),
        "PID 1 is not the entrypoint:\n" + table);
  }

  @Test
  void theContainerExitsWithTheCommandsCode() throws Exception {
    assertEquals(3, run("exit 3").exit);
  }

  @Test
  void aCommandKilledBySignalNExitsWith128PlusN() throws Exception {
    assertEquals(137, run("kill -KILL $$").exit);
  }

  private static boolean listed(String psTable, String pid) {
    return psTable.lines().anyMatch(l -> l.strip().startsWith(pid + " "));
  }

  /** A detached container of the image running {@code sh -c script}, /marks bound to {@link #marks}. */
  private String start(String script) throws Exception {
    String name = name();
    Result run = docker("run", "-d", "--name", name, "-v", marks + ":/marks", IMAGE, "sh", "-c", script);
    assertEquals(0, run.exit, run.err);
    return name;
  }

  /** {@code docker run} of {@code sh -c script} to its end: its exit is the container's. */
  private Result run(String script) throws Exception {
    return docker("run", "--name", name(), IMAGE, "sh", "-c", script);
  }

  private String name() {
    String name = "sme-entrypoint-it-" + UUID.randomUUID().toString().substring(0, 8);
    containers.add(name);
    return name;
  }

  record Result(int exit, String out, String err) {}

  static Result docker(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("docker"));
    argv.addAll(List.of(args));
    Path out = Files.createTempFile("docker", ".out");
    Path err = Files.createTempFile("docker", ".err");
    try {
      Process process;
      try {
        process = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      } catch (java.io.IOException e) {
        return new Result(127, "", e.getMessage()); // no docker client
      }
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", argv) + " did not end in 120 s");
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
