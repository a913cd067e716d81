package io.github.sparkmesos.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.testing.Skips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process leaves the cgroups it is in for the top of each hierarchy, so that they can be removed without it. */
class CgroupEscapeTest {

  @Test
  void aProcessInAChildCgroupMovesToTheTopAndTheCgroupCanGo(@TempDir Path dir) throws Exception {
    Path freezer = Path.of("/sys/fs/cgroup/freezer");
    Skips.require(Files.isWritable(freezer.resolve("cgroup.procs")),
        "needs a writable cgroup v1 freezer hierarchy at " + freezer + " (root, cgroup v1)");
    String top = hierarchyPath(ProcessHandle.current().pid());
    Path child = Files.createDirectory(freezer.resolve(top.substring(1)).resolve(
        "sme-test-escape-" + UUID.randomUUID().toString().substring(0, 8)));
    ChildProcess sleeper = ProcessLauncher.spawn(ProcessSpec.of(List.of("sleep", "600"),
        Map.of("PATH", "/usr/bin:/bin"), dir));
    try {
      Files.writeString(child.resolve("cgroup.procs"), Integer.toString(sleeper.pid()));
      assertTrue(hierarchyPath(sleeper.pid()).endsWith(child.getFileName().toString()));

      List<Path> moved = CgroupEscape.toTop(sleeper.pid());

      assertTrue(moved.contains(freezer.resolve("cgroup.procs")), "moved in the freezer hierarchy: " + moved);
      assertEquals("/", hierarchyPath(sleeper.pid()), "at the top of the freezer hierarchy");
      Files.delete(child); // empty now: an agent's removal of the executor's cgroup succeeds
    } finally {
      sleeper.kill(java.time.Duration.ZERO);
      sleeper.onExit().get(1, TimeUnit.MINUTES);
      Files.deleteIfExists(child);
    }
  }

  private static String hierarchyPath(long pid) throws Exception {
    return Files.readAllLines(Path.of("/proc/" + pid + "/cgroup")).stream().map(l -> l.split(":", 3))
        .filter(f -> f[1].equals("freezer")).map(f -> f[2]).findFirst().orElseThrow();
  }
}
