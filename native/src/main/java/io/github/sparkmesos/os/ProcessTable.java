package io.github.sparkmesos.os;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path dir : dirs) {
        Entry e = read(dir);
        if (e != null) {
          entries.add(e);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return entries;
  }

  private static Entry read(Path dir) {
    String stat;
    try {
      stat = Files.readString(dir.resolve("stat"));
    } catch (IOException e) {
      return null; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp session ..."; comm may hold spaces and parentheses
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open) {
      return null;
    }
    String[] rest = stat.substring(close + 2).split(" ");
    return new Entry(Integer.parseInt(stat.substring(0, open).trim()), rest[0].charAt(0),
        Integer.parseInt(rest[1]), Integer.parseInt(rest[2]), Integer.parseInt(rest[3]),
        stat.substring(open + 1, close));
  }
}
