package io.github.sparkmesos.os;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds processes by an entry of their initial environment ({@code NAME=value}), read from
 * /proc/PID/environ: a process that left its session (setsid, double fork) keeps it, so a marker set
 * on a task's leader finds its whole tree. A process that replaces its environment (env -i) escapes
 * this; a cgroup would not. Zombies are not found (their environment is gone, and they run nothing).
 */
public final class MarkedProcesses {

  private MarkedProcesses() {}

  /** The live processes (zombies aside) whose initial environment holds exactly {@code entry}. */
  public static List<ProcessTable.Entry> find(String entry) {
    byte[] marker = entry.getBytes(StandardCharsets.UTF_8);
    List<ProcessTable.Entry> found = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    for (ProcessTable.Entry e : ProcessTable.all()) {
      if (e.pid() != self && e.state() != 'Z' && holds(e.pid(), marker)) {
        found.add(e);
      }
    }
    return found;
  }

  /**
   * SIGKILL to every process holding {@code entry}, again until none is found (a process may fork
   * while the first ones die); at most {@code rounds} rounds. Returns how many processes were signalled,
   * each once however many rounds still saw it dying.
   */
  public static int killAll(String entry, int rounds) {
    java.util.Set<Integer> killed = new java.util.HashSet<>();
    for (int round = 0; round < rounds; round++) {
      List<ProcessTable.Entry> left = find(entry);
      if (left.isEmpty()) {
        break;
      }
      for (ProcessTable.Entry e : left) {
        if (LibC.INSTANCE.kill(e.pid(), Signal.SIGKILL.number()) == 0) {
          killed.add(e.pid());
        }
      }
    }
    return killed.size();
  }

  private static boolean holds(int pid, byte[] entry) {
    byte[] environ;
    try (FileInputStream in = new FileInputStream("/proc/" + pid + "/environ")) {
      environ = in.readAllBytes();
    } catch (IOException e) {
      return false; // gone, or not ours to read
    }
    int start = 0;
    for (int i = 0; i <= environ.length; i++) {
      if (i == environ.length || environ[i] == 0) {
        if (i - start == entry.length && Arrays.equals(environ, start, i, entry, 0, entry.length)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }
}
