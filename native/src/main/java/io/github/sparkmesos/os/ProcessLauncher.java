package io.github.sparkmesos.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Starts children with glibc's posix_spawnp: each child leads a new session (so its pid is also its
 * process group and session id and one signal reaches its whole tree), starts in its working
 * directory with default signal handling and an empty signal mask, gets /dev/null (or a {@link
 * StdinPipe}) on stdin and its output files on stdout and stderr, and inherits no other descriptor
 * of this JVM.
 */
public final class ProcessLauncher {

  private static final int POINTER = 8;
  private static final int SPAWN_STRUCT = 1024; // larger than glibc's posix_spawn_{file_actions,attr}_t
  private static final int SIGSET = 128;

  private ProcessLauncher() {}

  public static ChildProcess spawn(ProcessSpec spec) throws IOException {
    return spawn(spec, null);
  }

  /**
   * As {@link #spawn(ProcessSpec)}, with the reading end of {@code stdin} as the child's stdin in
   * place of /dev/null; that end is closed here once the child has it (also when the spawn fails),
   * so the child sees end of file once this JVM closes the writing end or exits.
   */
  public static ChildProcess spawn(ProcessSpec spec, StdinPipe stdin) throws IOException {
    try {
      return spawnWith(spec, stdin);
    } finally {
      if (stdin != null) {
        stdin.closeReadingEnd();
      }
    }
  }

  /**
   * As {@link #spawn(ProcessSpec, StdinPipe)}, with the writing end of {@code stdout} (and of {@code stderr})
   * as the child's stdout (stderr) in place of the spec's file when not null; those ends are closed here once
   * the child has them (also when the spawn fails), so the pipe ends when the child's side is done with it.
   */
  public static ChildProcess spawn(ProcessSpec spec, StdinPipe stdin, OutputPipe stdout, OutputPipe stderr)
      throws IOException {
    try {
      return spawnWith(spec, stdin, stdout, stderr);
    } finally {
      if (stdin != null) {
        stdin.closeReadingEnd();
      }
      if (stdout != null) {
        stdout.closeWritingEnd();
      }
      if (stderr != null) {
        stderr.closeWritingEnd();
      }
    }
  }

  private static ChildProcess spawnWith(ProcessSpec spec, StdinPipe stdin) throws IOException {
    return spawnWith(spec, stdin, null, null);
  }

  private static ChildProcess spawnWith(ProcessSpec spec, StdinPipe stdin, OutputPipe stdout, OutputPipe stderr)
      throws IOException {
    Reaper reaper = Reaper.get();
    // orphans of our children come back to us, so a group's end is always seen and reaped
    reaper.becomeSubreaper();
    LibC libc = LibC.INSTANCE;
    Runtime rt = LibC.runtime();
    List<Pointer> keepAlive = new ArrayList<>();

    Pointer actions = Memory.allocateDirect(rt, SPAWN_STRUCT);
    Pointer attr = Memory.allocateDirect(rt, SPAWN_STRUCT);
    try {
      configure(libc, rt, actions, attr, spec, stdin, stdout, stderr, keepAlive);
      Pointer argv = cStringArray(rt, spec.argv(), keepAlive);
      List<String> env = new ArrayList<>();
      for (Map.Entry<String, String> e : spec.environment().entrySet()) {
        env.add(e.getKey() + "=" + e.getValue());
      }
      Pointer envp = cStringArray(rt, env, keepAlive);
      Pointer file = cString(rt, resolveExecutable(spec), keepAlive);
      Pointer pidOut = Memory.allocateDirect(rt, 8);

      reaper.spawnLock().lock();
      try {
        int rc = libc.posix_spawnp(pidOut, file, actions, attr, argv, envp);
        if (rc != 0) {
          throw new IOException("cannot start '" + spec.argv().get(0) + "' in " + spec.workingDirectory()
              + ": " + libc.strerror(rc));
        }
        int pid = pidOut.getInt(0);
        return new ChildProcess(pid, reaper.register(pid));
      } finally {
        reaper.spawnLock().unlock();
      }
    } finally {
      libc.posix_spawn_file_actions_destroy(actions);
      libc.posix_spawnattr_destroy(attr);
    }
  }

  /**
   * Binds every native call a spawn makes and starts the reaper, without starting anything: the
   * first task's launch then pays no binding cost. Safe to call from any thread, any number of times.
   */
  public static void prepare() throws IOException {
    Reaper.get();
    LibC libc = LibC.INSTANCE;
    Runtime rt = LibC.runtime();
    Pointer actions = Memory.allocateDirect(rt, SPAWN_STRUCT);
    Pointer attr = Memory.allocateDirect(rt, SPAWN_STRUCT);
    try {
      configure(libc, rt, actions, attr, ProcessSpec.of(List.of("true"), Map.of(), Path.of("/"))
          .withOutput(Path.of("/dev/null"), Path.of("/dev/null")), null, null, null, new ArrayList<>());
    } finally {
      libc.posix_spawn_file_actions_destroy(actions);
      libc.posix_spawnattr_destroy(attr);
    }
    int self = (int) ProcessHandle.current().pid();
    libc.kill(self, 0);
    ProcessTable.inSession(self); // what "group gone" reads after every exit
  }

  /** The child's file actions and attributes: its descriptors, directory, session and signals. */
  private static void configure(LibC libc, Runtime rt, Pointer actions, Pointer attr, ProcessSpec spec,
      StdinPipe stdin, OutputPipe stdout, OutputPipe stderr, List<Pointer> keepAlive) throws IOException {
    check(libc.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
    check(libc.posix_spawnattr_init(attr), "posix_spawnattr_init");
    if (stdin == null) {
      check(libc.posix_spawn_file_actions_addopen(actions, 0, cString(rt, "/dev/null", keepAlive),
          LibC.O_RDONLY, 0), "open /dev/null");
    } else {
      // dup2 clears close-on-exec on descriptor 0; closefrom(3) then closes the pipe's own descriptors
      check(libc.posix_spawn_file_actions_adddup2(actions, stdin.readingEnd(), 0), "dup2 stdin");
    }
    redirect(libc, rt, actions, 1, spec.stdout(), keepAlive);
    redirect(libc, rt, actions, 2, spec.stderr(), keepAlive);
    if (stdout != null) { // in place of the file, before closefrom(3) closes the pipe's own descriptor
      check(libc.posix_spawn_file_actions_adddup2(actions, stdout.writingEnd(), 1), "dup2 stdout");
    }
    if (stderr != null) {
      check(libc.posix_spawn_file_actions_adddup2(actions, stderr.writingEnd(), 2), "dup2 stderr");
    }
    check(libc.posix_spawn_file_actions_addchdir_np(actions,
        cString(rt, spec.workingDirectory().toString(), keepAlive)), "chdir");
    check(libc.posix_spawn_file_actions_addclosefrom_np(actions, 3), "closefrom");

    Pointer noSignals = Memory.allocateDirect(rt, SIGSET);
    Pointer allSignals = Memory.allocateDirect(rt, SIGSET);
    libc.sigemptyset(noSignals);
    libc.sigfillset(allSignals);
    check(libc.posix_spawnattr_setsigmask(attr, noSignals), "setsigmask");
    check(libc.posix_spawnattr_setsigdefault(attr, allSignals), "setsigdefault");
    check(libc.posix_spawnattr_setflags(attr, (short) (LibC.POSIX_SPAWN_SETSID
        | LibC.POSIX_SPAWN_SETSIGDEF | LibC.POSIX_SPAWN_SETSIGMASK)), "setflags");
  }

  /**
   * posix_spawnp searches the caller's PATH, not the child's; resolve a bare name against the
   * child's PATH so the child's environment decides, as execvp in the child would.
   */
  private static String resolveExecutable(ProcessSpec spec) {
    String name = spec.argv().get(0);
    return name.contains("/") ? name : findExecutable(name, spec.environment(), spec.workingDirectory())
        .map(Path::toString).orElse(name);
  }

  /**
   * Where {@code name} is found as execvp in a child with {@code environment} would find it: a name
   * with a slash as it is (relative to {@code workingDirectory}), else the first executable file of
   * that name on the child's PATH; empty when there is none.
   */
  public static java.util.Optional<Path> findExecutable(String name, Map<String, String> environment,
      Path workingDirectory) {
    if (name.contains("/")) {
      Path file = workingDirectory.resolve(name);
      return java.nio.file.Files.isExecutable(file) && !java.nio.file.Files.isDirectory(file)
          ? java.util.Optional.of(Path.of(name)) : java.util.Optional.empty();
    }
    String path = environment.getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (java.nio.file.Files.isExecutable(candidate) && !java.nio.file.Files.isDirectory(candidate)) {
        return java.util.Optional.of(candidate);
      }
    }
    return java.util.Optional.empty();
  }

  private static void redirect(LibC libc, Runtime rt, Pointer actions, int fd, Path file, List<Pointer> keepAlive)
      throws IOException {
    if (file == null) {
      return; // keep ours: descriptors 0-2 are not closed by closefrom(3)
    }
    check(libc.posix_spawn_file_actions_addopen(actions, fd, cString(rt, file.toAbsolutePath().toString(), keepAlive),
        LibC.O_WRONLY | LibC.O_CREAT | LibC.O_APPEND, 0644), "open " + file);
  }

  private static Pointer cString(Runtime rt, String s, List<Pointer> keepAlive) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    Pointer p = Memory.allocateDirect(rt, bytes.length + 1);
    p.put(0, bytes, 0, bytes.length);
    p.putByte(bytes.length, (byte) 0);
    keepAlive.add(p);
    return p;
  }

  private static Pointer cStringArray(Runtime rt, List<String> strings, List<Pointer> keepAlive) {
    Pointer array = Memory.allocateDirect(rt, (long) (strings.size() + 1) * POINTER);
    for (int i = 0; i < strings.size(); i++) {
      array.putPointer((long) i * POINTER, cString(rt, strings.get(i), keepAlive));
    }
    array.putAddress((long) strings.size() * POINTER, 0L);
    keepAlive.add(array);
    return array;
  }

  private static void check(int rc, String what) throws IOException {
    if (rc != 0) {
      throw new IOException("posix_spawn setup failed (" + what + "): " + LibC.INSTANCE.strerror(rc));
    }
  }
}
