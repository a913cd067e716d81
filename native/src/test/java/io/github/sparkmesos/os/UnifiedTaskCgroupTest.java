package io.github.sparkmesos.os;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.testing.Skips;
import io.github.sparkmesos.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task's cgroup in the unified (v2) hierarchy, as on a system with cgroup v2 only. */
class UnifiedTaskCgroupTest {

  @Test
  void everyProcessOfTheTaskIsFoundAndKilledAndItsCpuTimeRead(@TempDir Path dir) throws Exception {
    Optional<Path> unified = TaskCgroup.ownUnified();
    Skips.require(unified.isPresent(), "needs a writable cgroup v2 (unified) hierarchy (root)");
    TaskCgroup.Hierarchies v2 = new TaskCgroup.Hierarchies(Optional.empty(), Optional.empty(), unified);
    String group = "sme-test-" + UUID.randomUUID().toString().substring(0, 8);
    Guardian guardian = Guardian.in(dir.resolve("guards"));
    guardian.start(TaskCgroup.groupDirectories(v2, group));
    TaskCgroup cgroup = TaskCgroup.create(v2, group, "task", OptionalLong.empty());
    ChildProcess task = ProcessLauncher.spawn(ProcessSpec.of(ExecChain.wrap(List.of("sh", "-c",
        "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done;"
            + " env -i setsid sh -c 'sleep 600 & echo $! > gc.tmp; mv gc.tmp gc.pid' & exec sleep 600"),
        ResourceLimits.NONE, Optional.empty(), cgroup.procsFiles()), Map.of("PATH", "/usr/bin:/bin"), dir));
    Waits.awaitFile(dir.resolve("gc.pid"));
    int grandchild = Integer.parseInt(Files.readString(dir.resolve("gc.pid")).trim());
    ProcessHandle gc = ProcessHandle.of(grandchild).orElseThrow();
    assertTrue(cgroup.pids().contains(task.pid()) && cgroup.pids().contains(grandchild), cgroup.pids().toString());
    assertTrue(cgroup.usage().cpuNanos().orElseThrow() > 0, cgroup.usage().toString());

    // the executor's end: the guardian finds them through the cgroup alone (no marker, environment emptied)
    guardian.release();
    task.onExit().get(2, TimeUnit.SECONDS);
    gc.onExit().get(2, TimeUnit.SECONDS);
    guardian.process().orElseThrow().onExit().get(10, TimeUnit.SECONDS);
    Waits.awaitCondition(() -> !Files.exists(unified.get().resolve(group)), Duration.ofSeconds(10),
        "the guardian removes the task cgroups");
    assertFalse(Files.exists(unified.get().resolve(group).resolve("task")));
  }
}
