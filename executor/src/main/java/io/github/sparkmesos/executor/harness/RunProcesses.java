package io.github.sparkmesos.executor.harness;

import io.github.sparkmesos.os.ProcessTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the processes of one harness run by the marker variable the executor and its tasks inherit
 * (a process that clears its environment escapes this; a cgroup would not). Zombies are not found:
 * their environment is gone.
 */
public final class RunProcesses {

  private RunProcesses() {}

  public static List<ProcessTable.Entry> find(String variable, String value) {
    byte[] marker = (variable + "=" + value).getBytes(StandardCharsets.UTF_8);
    List<ProcessTable.Entry> found = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    for (ProcessTable.Entry e : ProcessTable.all()) {
      if (e.pid() == self || e.state() == 'Z') {
        continue;
      }
      try {
        byte[] environ = Files.readAllBytes(Path.of("/proc", String.valueOf(e.pid()), "environ"));
        if (contains(environ, marker)) {
          found.add(e);
        }
      } catch (IOException ignored) {
        // gone, or not ours to read
      }
    }
    return found;
  }

  public static void kill(List<ProcessTable.Entry> processes) {
    for (ProcessTable.Entry e : processes) {
      ProcessHandle.of(e.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private static boolean contains(byte[] environ, byte[] entry) {
    int start = 0;
    for (int i = 0; i <= environ.length; i++) {
      if (i == environ.length || environ[i] == 0) {
        if (i - start == entry.length && java.util.Arrays.equals(environ, start, i, entry, 0, entry.length)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }
}
