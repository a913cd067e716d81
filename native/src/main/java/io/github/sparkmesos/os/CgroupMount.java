package io.github.sparkmesos.os;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a cgroup hierarchy is mounted, from a line of {@code /proc/self/mountinfo} such as {@code 35 31 0:32 /
 * /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory}: the hierarchy's path the mount shows at its mount point
 * ({@code root}; not "/" inside a cgroup namespace or a bind mount) and that mount point.
 */
record CgroupMount(String root, Path point) {

  /** The mounts of the v1 hierarchy with all of {@code controllers}, or of the v2 hierarchy when there are none. */
  static List<CgroupMount> of(List<String> controllers, List<String> mountinfo) {
    List<CgroupMount> found = new ArrayList<>();
    for (String line : mountinfo) {
      String[] halves = line.split(" - ", 2);
      String[] f = halves[0].split(" ");
      String[] g = halves.length == 2 ? halves[1].split(" ") : new String[0];
      if (f.length < 5 || g.length < 3) {
        continue;
      }
      boolean matches = controllers.isEmpty() ? g[0].equals("cgroup2")
          : g[0].equals("cgroup") && List.of(g[2].split(",")).containsAll(controllers);
      if (matches) {
        found.add(new CgroupMount(f[3], Path.of(f[4])));
      }
    }
    return found;
  }

  /** The directory of the cgroup at {@code path} in the hierarchy, when this mount shows it. */
  Optional<Path> directory(String path) {
    String relative = root.equals("/") ? path : path.startsWith(root) ? path.substring(root.length()) : null;
    return relative == null ? Optional.empty() : Optional.of(Path.of(point.toString(), relative));
  }

  /** The first of {@code mounts} that shows the cgroup at {@code path}. */
  static Optional<CgroupMount> showing(String path, List<CgroupMount> mounts) {
    return mounts.stream().filter(m -> m.directory(path).isPresent()).findFirst();
  }
}
