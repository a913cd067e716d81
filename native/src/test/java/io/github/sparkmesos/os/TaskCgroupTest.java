package io.github.sparkmesos.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.testing.Skips;
import io.github.sparkmesos.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskCgroupTest {

  private static TaskCgroup.Hierarchies hierarchies;

  @BeforeAll
  static void writableCgroups() {
    hierarchies = TaskCgroup.hierarchies();
    Skips.require(hierarchies.memory().isPresent() && hierarchies.cpuacct().isPresent(),
        "task cgroups need writable cgroup v1 memory and cpuacct hierarchies (root, cgroup v1)");
  }

  @Test
  void usageReadsAsPrintfWouldPrintIt() {
    TaskCgroup.Usage usage = new TaskCgroup.Usage(OptionalLong.of(225_758_003L), OptionalLong.of(896L << 20),
        OptionalLong.of(12_405_600_000L), 0);
    assertEquals(String.format("memory peak %.1f MiB (limit %.0f MiB), cpu %.3f s", 225_758_003L / 1048576.0,
        896.0, 12.4056), usage.describe());
    assertEquals("memory peak 0.0 MiB, cpu 0.003 s", new TaskCgroup.Usage(OptionalLong.of(1000),
        OptionalLong.empty(), OptionalLong.of(2_500_000L), 0).describe());
    assertEquals("cpu 1.050 s", new TaskCgroup.Usage(OptionalLong.empty(), OptionalLong.empty(),
        OptionalLong.of(1_049_999_999L), 0).describe());
  }

  private static String group() {
    return "sme-test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static ChildProcess start(Path dir, TaskCgroup cgroup, String script) throws Exception {
    return ProcessLauncher.spawn(ProcessSpec.of(ExecChain.wrap(List.of("sh", "-c", script), ResourceLimits.NONE,
        Optional.empty(), cgroup.procsFiles()), Map.of("PATH", "/usr/bin:/bin"), dir)
        .withOutput(dir.resolve("stdout"), dir.resolve("stderr")));
  }

  @Test
  void everyProcessOfTheTaskIsInItsCgroupAGrandchildThatLeftTheSessionTooAndKillAllEndsThem(@TempDir Path dir)
      throws Exception {
    String group = group();
    TaskCgroup cgroup = TaskCgroup.create(hierarchies, group, "task", OptionalLong.empty());
    ChildProcess task = start(dir, cgroup, "env -i setsid sh -c 'sleep 600 & echo $! > gc.tmp; mv gc.tmp gc.pid'"
        + " & exec sleep 600");
    Waits.awaitFile(dir.resolve("gc.pid"));
    int grandchild = Integer.parseInt(Files.readString(dir.resolve("gc.pid")).trim());
    ProcessHandle gc = ProcessHandle.of(grandchild).orElseThrow();
    assertTrue(cgroup.pids().contains(task.pid()) && cgroup.pids().contains(grandchild),
        "the leader and the grandchild (its environment emptied, its session left): " + cgroup.pids());

    assertFalse(cgroup.isEmpty());
    assertTrue(cgroup.killAll() >= 2);
    task.onExit().get(10, TimeUnit.SECONDS);
    gc.onExit().get(10, TimeUnit.SECONDS);
    TaskCgroup.Usage usage = cgroup.usage();
    assertTrue(usage.peakMemoryBytes().orElseThrow() > 0 && usage.cpuNanos().orElseThrow() > 0, usage.toString());
    assertEquals(0, usage.oomKills());
    Waits.awaitCondition(() -> cgroup.pids().isEmpty(), java.time.Duration.ofSeconds(10), "the cgroup empties");
    assertTrue(cgroup.isEmpty());
    assertTrue(cgroup.remove(), "removed once empty");
    assertFalse(cgroup.isEmpty(), "a cgroup that cannot be read is not said to be empty");
    assertFalse(Files.exists(hierarchies.memory().get().resolve(group).resolve("task")));
    Files.delete(hierarchies.memory().get().resolve(group));
    Files.delete(hierarchies.cpuacct().get().resolve(group));
  }

  @Test
  void aTaskOverItsMemoryLimitIsKilledAndTheKillIsCounted(@TempDir Path dir) throws Exception {
    String group = group();
    TaskCgroup cgroup = TaskCgroup.create(hierarchies, group, "task", OptionalLong.of(32L << 20));
    // a shell variable of 200 MB: far over the 32 MiB limit
    ChildProcess task = start(dir, cgroup, "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived");
    ExitStatus exit = task.onExit().get(60, TimeUnit.SECONDS);
    TaskCgroup.Usage usage = cgroup.usage();
    assertTrue(usage.oomKills() >= 1, usage + " " + exit.describe());
    assertEquals(OptionalLong.of(32L << 20), usage.memoryLimitBytes());
    assertTrue(usage.describe().contains("out-of-memory killer"), usage.describe());
    assertFalse(Files.readString(dir.resolve("stdout")).contains("survived"));
    cgroup.killAll();
    Waits.awaitCondition(() -> cgroup.pids().isEmpty(), java.time.Duration.ofSeconds(10), "the cgroup empties");
    assertTrue(cgroup.remove());
    Files.delete(hierarchies.memory().get().resolve(group));
    Files.delete(hierarchies.cpuacct().get().resolve(group));
  }

  @Test
  void theGuardianKillsWhatIsInTheExecutorsTaskCgroupsEvenWithoutItsMarkerAndRemovesThem(@TempDir Path dir)
      throws Exception {
    String group = group();
    Guardian guardian = Guardian.in(dir.resolve("guards"));
    List<Path> groups = TaskCgroup.groupDirectories(hierarchies, group);
    guardian.start(groups);
    assertTrue(Files.readString(guardian.record()).contains("cgroup=" + groups.get(0)));
    TaskCgroup cgroup = TaskCgroup.create(hierarchies, group, "task", OptionalLong.empty());
    // no marker at all: only the cgroup holds it
    ChildProcess task = start(dir, cgroup, "exec sleep 600");
    Waits.awaitCondition(() -> cgroup.pids().contains(task.pid()), java.time.Duration.ofSeconds(10), "joined");

    guardian.release();
    task.onExit().get(2, TimeUnit.SECONDS);
    guardian.process().orElseThrow().onExit().get(10, TimeUnit.SECONDS);
    for (Path g : groups) {
      assertFalse(Files.exists(g), g + " is removed by the guardian");
    }
  }

  @Test
  void aLaterExecutorEndsWhatIsLeftInAnEarlierOnesTaskCgroups(@TempDir Path dir) throws Exception {
    String group = group();
    Guardian earlier = Guardian.in(dir.resolve("guards"));
    List<Path> groups = TaskCgroup.groupDirectories(hierarchies, group);
    earlier.start(groups);
    TaskCgroup cgroup = TaskCgroup.create(hierarchies, group, "task", OptionalLong.empty());
    ChildProcess task = start(dir, cgroup, "exec sleep 600");
    Waits.awaitCondition(() -> cgroup.pids().contains(task.pid()), java.time.Duration.ofSeconds(10), "joined");
    ChildProcess guardianProcess = earlier.process().orElseThrow();
    guardianProcess.signalGroup(Signal.SIGKILL);
    guardianProcess.onExit().get(10, TimeUnit.SECONDS);

    List<String> done = Guardian.endLeftovers(dir.resolve("guards"), "later");
    assertTrue(done.size() == 1 && done.get(0).contains("left 1 process(es)"), done.toString());
    task.onExit().get(2, TimeUnit.SECONDS);
    for (Path g : groups) {
      assertFalse(Files.exists(g), g + " is removed by the later executor");
    }
    earlier.release();
  }
}
