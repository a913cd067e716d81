package io.github.sparkmesos.tools.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What /proc says about a process. */
final class Procs {

  private Procs() {}

  /** VmRSS of /proc/PID/status, in MiB. */
  static double residentMib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    throw new IOException("no VmRSS in /proc/" + pid + "/status");
  }

  /** A variable of the environment the process started with. */
  static String environment(long pid, String name) throws IOException {
    String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
        StandardCharsets.UTF_8);
    for (String entry : environ.split("\0")) {
      if (entry.startsWith(name + "=")) {
        return entry.substring(name.length() + 1);
      }
    }
    throw new IOException("no " + name + " in the environment of process " + pid);
  }

  /** The command line, its arguments separated by spaces. */
  static String commandLine(long pid) throws IOException {
    return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
        .replace('\0', ' ');
  }
}
