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
 * {@link ExecChain}'s shell stage), so nothing it starts is ever outside. On a system with cgroup v2
 * only, the task's cgroup is in the unified hierarchy: exact membership and kill, and cpu time; memory
 * limit, peak and OOM kills only where the memory controller is enabled above the executor's cgroup
 * (this class does not move the executor to enable it).
 */
public final class TaskCgroup {

  /**
   * This process's own cgroup directories where writable: in the v1 memory and cpuacct hierarchies,
   * else (a system with cgroup v2 only) in the unified hierarchy.
   */
  public record Hierarchies(Optional<Path> memory, Optional<Path> cpuacct, Optional<Path> unified) {
    public static final Hierarchies NONE = new Hierarchies(Optional.empty(), Optional.empty(), Optional.empty());

    public boolean isEmpty() {
      return memory.isEmpty() && cpuacct.isEmpty() && unified.isEmpty();
    }
  }

  /** What a task used, read at its end. */
  public record Usage(OptionalLong peakMemoryBytes, OptionalLong memoryLimitBytes, OptionalLong cpuNanos,
      long oomKills) {
    /** "memory peak 12.5 MiB (limit 896 MiB), cpu 1.234 s", with the OOM kills when there were any. */
    public String describe() {
      List<String> parts = new ArrayList<>();
      peakMemoryBytes.ifPresent(p -> parts.add("memory peak " + fixed(p, 1 << 20, 1) + " MiB"
          + memoryLimitBytes.stream().mapToObj(l -> " (limit " + fixed(l, 1 << 20, 0) + " MiB)")
              .findFirst().orElse("")));
      cpuNanos.ifPresent(c -> parts.add("cpu " + fixed(c, 1_000_000_000L, 3) + " s"));
      if (oomKills > 0) {
        parts.add("killed by the kernel's out-of-memory killer " + oomKills + " time(s)");
      }
      return String.join(", ", parts);
    }

    /**
     * {@code value / unit} rounded to {@code digits} decimals, as %.Nf prints it: by hand, since a task's end
     * waits for this line and a cold String.format costs it milliseconds.
     */
    static String fixed(long value, long unit, int digits) {
      long scale = (long) Math.pow(10, digits);
      long scaled = Math.round((double) value / unit * scale);
      String fraction = Long.toString(scaled % scale);
      return digits == 0 ? Long.toString(scaled)
          : scaled / scale + "." + "0".repeat(digits - fraction.length()) + fraction;
    }
  }

  private final List<Path> directories;
  private final Optional<Path> memory;
  private final Optional<Path> cpuacct;
  private final Optional<Path> unified;

  private TaskCgroup(Optional<Path> memory, Optional<Path> cpuacct, Optional<Path> unified) {
    this.memory = memory;
    this.cpuacct = cpuacct;
    this.unified = unified;
    List<Path> all = new ArrayList<>();
    memory.ifPresent(all::add);
    cpuacct.ifPresent(all::add);
    unified.ifPresent(all::add);
    this.directories = List.copyOf(all);
  }

  /** Reads /proc/self/cgroup and /proc/self/mountinfo; empty hierarchies when none is writable (or on v2). */
  public static Hierarchies hierarchies() {
    try {
      List<String> cgroups = Files.readAllLines(Path.of("/proc/self/cgroup"));
      List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"));
      Optional<Path> memory = own("memory", cgroups, mounts);
      Optional<Path> cpuacct = own("cpuacct", cgroups, mounts);
      // a hybrid system's unified hierarchy holds no controller: v1's are used where there are any
      Optional<Path> unified = memory.isEmpty() && cpuacct.isEmpty() ? ownUnified(cgroups, mounts) : Optional.empty();
      return new Hierarchies(memory, cpuacct, unified);
    } catch (IOException | RuntimeException e) {
      return Hierarchies.NONE;
    }
  }

  /** This process's cgroup directory in the unified (v2) hierarchy, when writable; for tests on a hybrid system too. */
  public static Optional<Path> ownUnified() {
    try {
      return ownUnified(Files.readAllLines(Path.of("/proc/self/cgroup")), Files.readAllLines(Path.of("/proc/self/mountinfo")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> ownUnified(List<String> cgroups, List<String> mounts) {
    String path = cgroups.stream().filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst().orElse(null);
    return path == null ? Optional.empty() : writable(path, CgroupMount.of(List.of(), mounts));
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
    return path == null ? Optional.empty() : writable(path, CgroupMount.of(List.of(controller), mounts));
  }

  private static Optional<Path> writable(String path, List<CgroupMount> mounts) {
    return CgroupMount.showing(path, mounts).flatMap(m -> m.directory(path))
        .filter(dir -> Files.isDirectory(dir) && Files.isWritable(dir));
  }

  /**
   * Makes the task's cgroup {@code group/name} under the hierarchies' directories, with a memory limit
   * when given. Throws when a directory cannot be made (it is then removed again).
   */
  public static TaskCgroup create(Hierarchies hierarchies, String group, String name, OptionalLong memoryLimitBytes)
      throws IOException {
    Optional<Path> memory = hierarchies.memory().map(d -> d.resolve(group).resolve(name));
    Optional<Path> cpuacct = hierarchies.cpuacct().map(d -> d.resolve(group).resolve(name));
    Optional<Path> unified = hierarchies.unified().map(d -> d.resolve(group).resolve(name));
    TaskCgroup cgroup = new TaskCgroup(memory, cpuacct, unified);
    try {
      for (Path dir : cgroup.directories) {
        Files.createDirectories(dir);
      }
      if (memory.isPresent() && memoryLimitBytes.isPresent()) {
        Files.writeString(memory.get().resolve("memory.limit_in_bytes"), String.valueOf(memoryLimitBytes.getAsLong()));
      }
      // v2: a limit only where the memory controller reaches the task's cgroup (enabled above it)
      if (unified.isPresent() && memoryLimitBytes.isPresent() && Files.exists(unified.get().resolve("memory.max"))) {
        Files.writeString(unified.get().resolve("memory.max"), String.valueOf(memoryLimitBytes.getAsLong()));
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
  /** True only when the cgroup could be read and holds no process (an unreadable one is not said to be empty). */
  public boolean isEmpty() {
    for (Path file : procsFiles()) {
      try {
        return Files.readString(file).isBlank();
      } catch (IOException e) {
        return false;
      }
    }
    return false;
  }

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

  /** Peak memory, its limit, cpu time and OOM kills, as far as each hierarchy is there (v1, else v2). */
  public Usage usage() {
    if (memory.isEmpty() && cpuacct.isEmpty() && unified.isPresent()) {
      return unifiedUsage(unified.get());
    }
    OptionalLong limit = memory.map(d -> number(d.resolve("memory.limit_in_bytes"))).orElse(OptionalLong.empty());
    if (limit.isPresent() && limit.getAsLong() >= Long.MAX_VALUE / 2) {
      limit = OptionalLong.empty(); // no limit: the kernel's "unlimited" (a page-rounded LONG_MAX)
    }
    long oomKills = memory.map(d -> field(d.resolve("memory.oom_control"), "oom_kill")).orElse(OptionalLong.empty())
        .orElse(0);
    return new Usage(memory.map(d -> number(d.resolve("memory.max_usage_in_bytes"))).orElse(OptionalLong.empty()),
        limit, cpuacct.map(d -> number(d.resolve("cpuacct.usage"))).orElse(OptionalLong.empty()), oomKills);
  }

  /** cgroup v2: cpu.stat is always there; memory.peak, memory.max and memory.events with the memory controller. */
  private static Usage unifiedUsage(Path dir) {
    OptionalLong cpuMicros = field(dir.resolve("cpu.stat"), "usage_usec");
    OptionalLong limit = number(dir.resolve("memory.max")); // "max" (no limit) reads as empty
    return new Usage(number(dir.resolve("memory.peak")), limit,
        cpuMicros.isPresent() ? OptionalLong.of(cpuMicros.getAsLong() * 1000) : OptionalLong.empty(),
        field(dir.resolve("memory.events"), "oom_kill").orElse(0));
  }

  /** The value of {@code name} in a flat-keyed file ("name value" lines). */
  private static OptionalLong field(Path file, String name) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(name + " ")) {
          return OptionalLong.of(Long.parseLong(line.substring(name.length() + 1).trim()));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not there: an older kernel, or no such controller
    }
    return OptionalLong.empty();
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
        TaskCgroup cgroup = new TaskCgroup(Optional.of(task), Optional.empty(), Optional.empty());
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
    hierarchies.unified().ifPresent(d -> dirs.add(d.resolve(group)));
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
