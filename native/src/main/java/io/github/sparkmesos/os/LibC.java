package io.github.sparkmesos.os;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The libc calls jnr-posix does not offer: glibc's posix_spawn with {@code addchdir_np} (2.29+) and
 * {@code addclosefrom_np} (2.34+), so a child starts in its own directory with no descriptor of ours
 * (the JDK opens files and sockets without O_CLOEXEC); and prctl for the child subreaper.
 */
public interface LibC {
  int posix_spawn_file_actions_init(Pointer actions);
  int posix_spawn_file_actions_destroy(Pointer actions);
  int posix_spawn_file_actions_addopen(Pointer actions, int fd, Pointer path, int oflag, int mode);
  int posix_spawn_file_actions_addchdir_np(Pointer actions, Pointer path);
  int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);
  int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);

  int posix_spawnattr_init(Pointer attr);
  int posix_spawnattr_destroy(Pointer attr);
  int posix_spawnattr_setflags(Pointer attr, short flags);
  int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);
  int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

  int sigemptyset(Pointer set);
  int sigfillset(Pointer set);

  /** Returns 0 or an errno value (posix_spawn does not set errno). */
  int posix_spawnp(Pointer pid, Pointer file, Pointer actions, Pointer attr, Pointer argv, Pointer envp);

  int prctl(int option, long arg2, long arg3, long arg4, long arg5);

  int kill(int pid, int signal);

  int pipe2(Pointer fds, int flags);

  long write(int fd, Pointer buf, long count);

  int close(int fd);

  int open(String path, int flags);

  /** Moves the calling thread (only) into the namespace {@code fd} refers to. */
  int setns(int fd, int nstype);

  int CLONE_NEWNET = 0x40000000;

  /** With an int argument only: F_SETPIPE_SZ. */
  int fcntl(int fd, int cmd, int arg);

  int getpgid(int pid);

  int waitpid(int pid, Pointer status, int options);

  String strerror(int errnum);

  /** A struct passwd (static storage: callers hold {@link UserAccount}'s lock), or null when there is none. */
  Pointer getpwnam(String name);

  Pointer getpwuid(int uid);

  int getgrouplist(String user, int group, Pointer groups, Pointer ngroups);

  int geteuid();

  LibC INSTANCE = LibraryLoader.create(LibC.class).load("c");

  static Runtime runtime() {
    return Runtime.getRuntime(INSTANCE);
  }

  static int errno() {
    return runtime().getLastError();
  }

  // posix_spawn flags (glibc)
  short POSIX_SPAWN_SETSIGDEF = 0x04;
  short POSIX_SPAWN_SETSIGMASK = 0x08;
  short POSIX_SPAWN_SETSID = 0x80;

  int O_RDONLY = 0;
  int O_WRONLY = 01;
  int O_CREAT = 0100;
  int O_APPEND = 02000;
  int O_CLOEXEC = 02000000;
  int F_SETPIPE_SZ = 1031;

  int PR_SET_CHILD_SUBREAPER = 36;

  int ESRCH = 3;
  int EINTR = 4;
  int ECHILD = 10;
  int EPERM = 1;
}
