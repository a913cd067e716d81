package io.github.sparkmesos.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A task's own cgroup, under this process's own cgroup, in the cgroup v1 {@code memory} and {@code
 * cpuacct} hierarchies where they are writable: every process the task starts stays in it whatever
 * it does with sessions and parents, so killing "everything of the task" is exact; its memory limit
 * is the task's; and its peak memory, cpu time and out-of-memory kills can be read at its end.
 *
 * <p>The task's first process joins before its command runs ({@link #procsFiles()}, written by
 * {@link ExecChain}'s shell stage), so nothing it starts is ever outside. cgroup v2 (a unified
 * hierarchy) is not handled yet: {@link #hierarchies()} finds nothing there, and tasks run without.
 */
public final class TaskCgroup {

  /** This process's own cgroup directories in the writable v1 memory and cpuacct hierarchies. */
  public record Hierarchies(Optional<Path> memory, Optional<Path> cpuacct) {
    public boolean isEmpty() {
      return memory.isEmpty() && cpuacct.isEmpty();
    }
  }

  /** What a task used, read at its end. */
  public record Usage(OptionalLong peakMemoryBytes, OptionalLong memoryLimitBytes, OptionalLong cpuNanos,
      long oomKills) {
    /** "memory peak 12.5 MiB (limit 896 MiB), cpu 1.234 s", with the OOM kills when there were any. */
    public String describe() {
      List<String> parts = new ArrayList<>();
      peakMemoryBytes.ifPresent(p -> parts.add(String.format("memory peak %.1f MiB", p / 1048576.0)
          + memoryLimitBytes.stream().mapToObj(l -> String.format(" (limit %.0f MiB)", l / 1048576.0))
              .findFirst().orElse("")));
      cpuNanos.ifPresent(c -> parts.add(String.format("cpu %.3f s", c / 1e9)));
      if (oomKills > 0) {
        parts.add("killed by the kernel's out-of-memory killer " + oomKills + " time(s)");
      }
      return String.join(", ", parts);
    }
  }

  private final List<Path> directories;
  private final Optional<Path> memory;
  private final Optional<Path> cpuacct;

  private TaskCgroup(Optional<Path> memory, Optional<Path> cpuacct) {
    this.memory = memory;
    this.cpuacct = cpuacct;
    List<Path> all = new ArrayList<>();
    memory.ifPresent(all::add);
    cpuacct.ifPresent(all::add);
    this.directories = List.copyOf(all);
  }

  /** Reads /proc/self/cgroup and /proc/self/mountinfo; empty hierarchies when none is writable (or on v2). */
  public static Hierarchies hierarchies() {
    try {
      List<String> cgroups = Files.readAllLines(Path.of("/proc/self/cgroup"));
      List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"));
      return new Hierarchies(own("memory", cgroups, mounts), own("cpuacct", cgroups, mounts));
    } catch (IOException | RuntimeException e) {
      return new Hierarchies(Optional.empty(), Optional.empty());
    }
  }

  /** The directory of this process's cgroup in the v1 hierarchy with {@code controller}, when writable. */
  private static Optional<Path> own(String controller, List<String> cgroups, List<String> mounts) {
    String path = null;
    for (String line : cgroups) { // "4:memory:/a/b" or "2:cpu,cpuacct:/a"
      String[] f = line.split(":", 3);
      if (f.length == 3 && List.of(f[1].split(",")).contains(controller)) {
        path = f[2];
      }
    }
    if (path == null) {
      return Optional.empty();
    }
    for (String line : mounts) { // "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory"
      String[] halves = line.split(" - ", 2);
      String[] f = halves[0].split(" ");
      String[] g = halves.length == 2 ? halves[1].split(" ") : new String[0];
      if (g.length >= 3 && g[0].equals("cgroup") && List.of(g[2].split(",")).contains(controller)) {
        String root = f[3];
        String relative = root.equals("/") ? path : path.startsWith(root) ? path.substring(root.length()) : null;
        if (relative != null) {
          Path dir = Path.of(f[4], relative);
          return Files.isDirectory(dir) && Files.isWritable(dir) ? Optional.of(dir) : Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Makes the task's cgroup {@code group/name} under the hierarchies' directories, with a memory limit
   * when given. Throws when a directory cannot be made (it is then removed again).
   */
  public static TaskCgroup create(Hierarchies hierarchies, String group, String name, OptionalLong memoryLimitBytes)
      throws IOException {
    Optional<Path> memory = hierarchies.memory().map(d -> d.resolve(group).resolve(name));
    Optional<Path> cpuacct = hierarchies.cpuacct().map(d -> d.resolve(group).resolve(name));
    TaskCgroup cgroup = new TaskCgroup(memory, cpuacct);
    try {
      for (Path dir : cgroup.directories) {
        Files.createDirectories(dir);
      }
      if (memory.isPresent() && memoryLimitBytes.isPresent()) {
        Files.writeString(memory.get().resolve("memory.limit_in_bytes"), String.valueOf(memoryLimitBytes.getAsLong()));
      }
    } catch (IOException | RuntimeException e) {
      cgroup.remove();
      throw new IOException("cannot make the task's cgroup " + cgroup.directories + ": " + e.getMessage(), e);
    }
    return cgroup;
  }

  /** The files a process writes its pid to, to join this cgroup. */
  public List<Path> procsFiles() {
    return directories.stream().map(d -> d.resolve("cgroup.procs")).toList();
  }

  /** The pids in the cgroup now. */
  public List<Integer> pids() {
    for (Path file : procsFiles()) {
      try {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> Integer.parseInt(l.trim())).toList();
      } catch (IOException | RuntimeException e) {
        // the next hierarchy
      }
    }
    return List.of();
  }

  /** SIGKILL to every process in the cgroup (no process can leave it); returns how many were signalled. */
  public int killAll() {
    int killed = 0;
    for (int pid : pids()) {
      if (LibC.INSTANCE.kill(pid, Signal.SIGKILL.number()) == 0) {
        killed++;
      }
    }
    return killed;
  }

  /** Peak memory, its limit, cpu time and OOM kills, as far as each hierarchy is there. */
  public Usage usage() {
    OptionalLong limit = memory.map(d -> number(d.resolve("memory.limit_in_bytes"))).orElse(OptionalLong.empty());
    if (limit.isPresent() && limit.getAsLong() >= Long.MAX_VALUE / 2) {
      limit = OptionalLong.empty(); // no limit: the kernel's "unlimited" (a page-rounded LONG_MAX)
    }
    long oomKills = 0;
    if (memory.isPresent()) {
      try {
        for (String line : Files.readAllLines(memory.get().resolve("memory.oom_control"))) {
          if (line.startsWith("oom_kill ")) {
            oomKills = Long.parseLong(line.substring("oom_kill ".length()).trim());
          }
        }
      } catch (IOException | RuntimeException e) {
        // an older kernel without the count
      }
    }
    return new Usage(memory.map(d -> number(d.resolve("memory.max_usage_in_bytes"))).orElse(OptionalLong.empty()),
        limit, cpuacct.map(d -> number(d.resolve("cpuacct.usage"))).orElse(OptionalLong.empty()), oomKills);
  }

  /** Removes the cgroup's directories (they must be empty of processes); returns whether all went. */
  public boolean remove() {
    boolean all = true;
    for (Path dir : directories) {
      try {
        Files.deleteIfExists(dir); // rmdir: a cgroup directory's files are not real files
      } catch (IOException e) {
        all = false;
      }
    }
    return all;
  }

  /**
   * Kills every process in the task cgroups under {@code group} (an executor's, left behind), waits
   * (at most 5 s) until they are out, and removes them and {@code group}. Returns how many were killed.
   */
  public static int endGroup(Path group) {
    int killed = 0;
    long deadline = System.nanoTime() + 5_000_000_000L;
    try (var tasks = Files.newDirectoryStream(group, Files::isDirectory)) {
      for (Path task : tasks) {
        TaskCgroup cgroup = new TaskCgroup(Optional.of(task), Optional.empty());
        while (!cgroup.pids().isEmpty() && System.nanoTime() < deadline) {
          killed += cgroup.killAll();
          java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        cgroup.remove();
      }
      Files.deleteIfExists(group);
    } catch (IOException e) {
      // gone already, or not removable: nothing more to do here
    }
    return killed;
  }

  /** The directory of the task cgroups of one executor, {@code group}, in each hierarchy. */
  public static List<Path> groupDirectories(Hierarchies hierarchies, String group) {
    List<Path> dirs = new ArrayList<>();
    hierarchies.memory().ifPresent(d -> dirs.add(d.resolve(group)));
    hierarchies.cpuacct().ifPresent(d -> dirs.add(d.resolve(group)));
    return dirs;
  }

  @Override
  public String toString() {
    return directories.toString();
  }

  private static OptionalLong number(Path file) {
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(file).trim()));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }
}
