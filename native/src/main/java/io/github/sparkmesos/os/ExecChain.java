package io.github.sparkmesos.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What runs between a task's spawn and its own exec, since posix_spawn can set neither a umask, nor
 * rlimits, nor credentials: a chain of execs in the same process (same pid, so the session and every
 * signal are unchanged), each setting one thing and exec'ing the next: {@code sh} joins the task's
 * cgroups and sets the umask, util-linux {@code prlimit --nofile=S:H ... --} (soft and hard at once, so lowering works),
 * then {@code setpriv --regid --reuid --groups --} last, once nothing needs privileges any more.
 * Limits set here apply to the task only, never to this JVM.
 */
public final class ExecChain {

  private static final List<String> DIRECTORIES = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");

  private ExecChain() {}

  /**
   * {@code argv} run with {@code limits} and, when given, as {@code user}; {@code argv} itself when
   * there is nothing to set.
   *
   * @throws IOException when a tool the chain needs (prlimit, setpriv) is not installed
   */
  public static List<String> wrap(List<String> argv, ResourceLimits limits, Optional<UserAccount> user)
      throws IOException {
    return wrap(argv, limits, user, List.of());
  }

  /**
   * As {@link #wrap(List, ResourceLimits, Optional)}, the process first joining the cgroups whose
   * {@code cgroup.procs} files are given (the shell stage writes its pid to each; failing, it exits 126
   * before the command runs).
   */
  public static List<String> wrap(List<String> argv, ResourceLimits limits, Optional<UserAccount> user,
      List<Path> cgroupProcs) throws IOException {
    return wrap(argv, limits, user, cgroupProcs, List.of());
  }

  /**
   * As {@link #wrap(List, ResourceLimits, Optional, List)}, with {@code entry} run before the switch to
   * {@code user}: a stage that needs the executor's privileges (entering a network namespace, mounting) and
   * ends by exec'ing what follows it.
   */
  public static List<String> wrap(List<String> argv, ResourceLimits limits, Optional<UserAccount> user,
      List<Path> cgroupProcs, List<String> entry) throws IOException {
    List<String> chain = new ArrayList<>();
    if (limits.umask().isPresent() || !cgroupProcs.isEmpty()) {
      // the cgroup files are arguments up to "--", never quoted into the script
      String umask = limits.umask().isPresent() ? "umask " + String.format("%04o", limits.umask().getAsInt()) + "; " : "";
      chain.addAll(List.of("/bin/sh", "-c", "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 126; shift; done;"
          + " shift; " + umask + "exec \"$@\"", "task-setup"));
      cgroupProcs.forEach(p -> chain.add(p.toString()));
      chain.add("--");
    }
    if (!limits.limits().isEmpty()) {
      chain.add(tool("prlimit", "to set the task's rlimits"));
      limits.limits().forEach((name, limit) -> chain.add("--" + name + "=" + limit));
      chain.add("--");
    }
    chain.addAll(entry);
    if (user.isPresent()) {
      UserAccount u = user.get();
      chain.add(tool("setpriv", "to run the task as user '" + u.name() + "'"));
      chain.add("--regid=" + u.gid());
      chain.add("--reuid=" + u.uid());
      chain.add(u.groups().isEmpty() ? "--clear-groups" : "--groups=" + u.groupList());
      chain.add("--");
    }
    if (chain.isEmpty()) {
      return argv;
    }
    chain.addAll(argv);
    return chain;
  }

  private static String tool(String name, String why) throws IOException {
    return systemTool(name).orElseThrow(() -> new IOException(name + " (util-linux) is needed " + why
        + ", and is not in " + String.join(", ", DIRECTORIES)));
  }

  /**
   * A system program (util-linux's prlimit, setpriv, nsenter, ...) by its full path, looked up in the system's
   * directories: never on a task's PATH, which is the task's business.
   */
  public static Optional<String> systemTool(String name) {
    for (String dir : DIRECTORIES) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }
}
