package io.github.sparkmesos.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A process moved out of the cgroups it was born in, to the top of every hierarchy it can reach: what must
 * survive the destruction of the executor's container by the agent. An agent's Linux launcher destroys a
 * container by killing every process in its freezer cgroup, then removing its cgroups (which fails while any
 * process is left in one), so a helper that must act after the executor died, such as a container's watchdog,
 * has to be outside all of them. Needs the right to write {@code cgroup.procs} at the top (root); where that is
 * refused the process stays where it is.
 */
public final class CgroupEscape {

  private CgroupEscape() {}

  /**
   * Moves process {@code pid} to the top cgroup of each of its v1 hierarchies (named ones too) and of the v2
   * hierarchy, where it is not there yet.
   *
   * @return the {@code cgroup.procs} files it was written to; those it could not be are left out
   */
  public static List<Path> toTop(long pid) {
    List<Path> moved = new ArrayList<>();
    List<String> cgroups;
    List<String> mounts;
    try {
      cgroups = Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"));
      mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"));
    } catch (IOException e) {
      return moved;
    }
    for (String line : cgroups) { // "4:memory:/a/b", "1:name=systemd:/a", "0::/a"
      String[] f = line.split(":", 3);
      if (f.length != 3) {
        continue;
      }
      List<String> controllers = f[0].equals("0") ? List.of() : List.of(f[1].split(","));
      Optional<CgroupMount> mount = CgroupMount.showing(f[2], CgroupMount.of(controllers, mounts));
      if (mount.isEmpty() || f[2].equals(mount.get().root())) {
        continue; // not reachable here, or already at the top of what this mount shows
      }
      Path procs = mount.get().point().resolve("cgroup.procs");
      try {
        Files.writeString(procs, Long.toString(pid), StandardCharsets.US_ASCII);
        moved.add(procs);
      } catch (IOException e) {
        // not allowed (not root, a delegated subtree): it stays in the executor's cgroup
      }
    }
    return moved;
  }
}
