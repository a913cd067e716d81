package io.github.sparkmesos.os;

import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads /proc: which processes exist in a process group, and what they run. */
public final class ProcessTable {

  private ProcessTable() {}

  /** One line of /proc/PID/stat, the fields this project uses. */
  public record Entry(int pid, char state, int ppid, int pgid, int sid, String command) {}

  /** Every process whose process group is {@code pgid}, zombies included. */
  public static List<Entry> inGroup(int pgid) {
    List<Entry> found = new ArrayList<>();
    for (Entry e : all()) {
      if (e.pgid() == pgid) {
        found.add(e);
      }
    }
    return found;
  }

  /** Every process whose session is {@code sid}, zombies included. */
  public static List<Entry> inSession(int sid) {
    List<Entry> found = new ArrayList<>();
    for (Entry e : all()) {
      if (e.sid() == sid) {
        found.add(e);
      }
    }
    return found;
  }

  public static List<Entry> all() {
    String[] names = PROC.list();
    if (names == null) {
      throw new java.io.UncheckedIOException(new IOException("cannot list /proc"));
    }
    List<Entry> entries = new ArrayList<>(names.length);
    byte[] buffer = new byte[1024];
    for (String name : names) {
      if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
        Entry e = read(name, buffer);
        if (e != null) {
          entries.add(e);
        }
      }
    }
    return entries;
  }

  /**
   * When {@code pid} started (field 22 of /proc/PID/stat, clock ticks after boot), or -1 when there is
   * no such process: with the pid it names one process, never a later one that reuses the pid.
   */
  public static long startTime(int pid) {
    String stat;
    try {
      stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", String.valueOf(pid), "stat"));
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
    // the fields after "(comm)": state is field 3, so starttime is the 20th after the parenthesis
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return fields.length > 19 ? Long.parseLong(fields[19]) : -1;
  }

  private static final java.io.File PROC = new java.io.File("/proc");

  /**
   * Parses /proc/PID/stat by hand, read with a plain stream into {@code buffer} (a third of the cost of
   * NIO's readAllBytes): this runs after every reap, and a task's terminal update waits for it.
   */
  private static Entry read(String pid, byte[] buffer) {
    int length;
    try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
      length = in.readNBytes(buffer, 0, buffer.length);
    } catch (IOException e) {
      return null; // gone meanwhile
    }
    byte[] stat = java.util.Arrays.copyOf(buffer, length);
    // "pid (comm) state ppid pgrp session ..."; comm may hold spaces and parentheses
    int open = indexOf(stat, (byte) '(', 0);
    int close = lastIndexOf(stat, (byte) ')');
    if (open < 0 || close < open || close + 2 >= stat.length) {
      return null;
    }
    int[] at = {close + 2};
    char state = (char) stat[at[0]];
    at[0] += 2;
    int ppid = number(stat, at);
    int pgid = number(stat, at);
    int sid = number(stat, at);
    return new Entry(Integer.parseInt(pid), state, ppid, pgid, sid,
        new String(stat, open + 1, close - open - 1, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The (possibly negative) decimal number at {@code at[0]}; moves past it and the space after. */
  private static int number(byte[] b, int[] at) {
    int i = at[0];
    boolean negative = b[i] == '-';
    if (negative) {
      i++;
    }
    int n = 0;
    while (i < b.length && b[i] >= '0' && b[i] <= '9') {
      n = n * 10 + (b[i++] - '0');
    }
    at[0] = i + 1;
    return negative ? -n : n;
  }

  private static int indexOf(byte[] b, byte c, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(byte[] b, byte c) {
    for (int i = b.length - 1; i >= 0; i--) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }
}
