package io.github.sparkmesos.os;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A user of the system's user database (NSS: /etc/passwd, LDAP, ... as libc sees them): the ids a task
 * switched to this user runs with, its supplementary groups as {@code initgroups} would set them.
 *
 * @param groups every group of the user, its primary group first
 */
public record UserAccount(String name, int uid, int gid, List<Integer> groups) {

  private static final Object LOCK = new Object(); // getpwnam and getpwuid share static storage
  // struct passwd on LP64 (x86_64, aarch64): pw_name, pw_passwd, then pw_uid and pw_gid
  private static final int PW_NAME = 0;
  private static final int PW_UID = 16;
  private static final int PW_GID = 20;

  public UserAccount {
    groups = List.copyOf(groups);
  }

  /** The user called {@code name}, or empty when the user database has none. */
  public static Optional<UserAccount> lookup(String name) {
    if (name.isEmpty() || name.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    synchronized (LOCK) {
      return of(LibC.INSTANCE.getpwnam(name));
    }
  }

  /** The user this process runs as (its effective uid). */
  public static UserAccount current() {
    int uid = LibC.INSTANCE.geteuid();
    synchronized (LOCK) {
      return of(LibC.INSTANCE.getpwuid(uid)).orElseGet(() -> new UserAccount(String.valueOf(uid), uid, -1, List.of()));
    }
  }

  public boolean isRoot() {
    return uid == 0;
  }

  /** The groups as setpriv's {@code --groups} takes them: comma-separated gids. */
  public String groupList() {
    return String.join(",", groups.stream().map(String::valueOf).toList());
  }

  private static Optional<UserAccount> of(Pointer passwd) {
    if (passwd == null || passwd.address() == 0) {
      return Optional.empty();
    }
    String name = passwd.getPointer(PW_NAME).getString(0);
    int uid = passwd.getInt(PW_UID);
    int gid = passwd.getInt(PW_GID);
    return Optional.of(new UserAccount(name, uid, gid, groupsOf(name, gid)));
  }

  private static List<Integer> groupsOf(String name, int gid) {
    int capacity = 64;
    while (true) {
      Pointer groups = Memory.allocateDirect(LibC.runtime(), capacity * 4L);
      Pointer count = Memory.allocateDirect(LibC.runtime(), 4);
      count.putInt(0, capacity);
      if (LibC.INSTANCE.getgrouplist(name, gid, groups, count) >= 0) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < count.getInt(0); i++) {
          found.add(groups.getInt(i * 4L));
        }
        return found;
      }
      capacity = Math.max(capacity * 2, count.getInt(0)); // -1: count says how many there are
    }
  }
}
