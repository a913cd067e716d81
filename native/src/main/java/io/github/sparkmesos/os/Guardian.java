package io.github.sparkmesos.os;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nothing of a task outlives the executor. Every task process carries a marker in its initial
 * environment ({@link #entry()}); a guardian, a tiny shell in a session of its own, blocks reading a
 * pipe only this JVM holds open. When this JVM ends, however it ends (SIGKILL included), the kernel
 * closes the pipe, {@code read} returns at end of file, and the guardian SIGKILLs every process whose
 * environment holds the marker, found through /proc/PID/environ, so a grandchild that left its
 * session (setsid, double fork) goes too, and every process in the executor's task cgroups, where
 * there are some (which even a process that emptied its environment cannot leave). Then it removes
 * those cgroups and its record.
 *
 * <p>The record ({@code <directory>/<token>}: the marker, the guardian's pid and start time) is
 * written before any task starts. Should the guardian die as well (the whole host process tree
 * killed), the next executor in the same sandbox finds the record and ends what is left ({@link
 * #endLeftovers}); a record whose guardian still runs (same pid, same start time) belongs to a live
 * executor and is left alone.
 */
public final class Guardian {

  /** The variable that marks the processes of an executor's tasks. */
  public static final String VARIABLE = "SPARK_MESOS_EXECUTOR_GUARD";
  private static final int ROUNDS = 100;
  /**
   * $1 the marker, $2 the record, then the cgroup directories whose task cgroups are the executor's;
   * "read" returns only at end of file: nothing is ever written.
   */
  private static final String SCRIPT = "trap '' HUP INT; read line; marker=$1; record=$2; shift 2; n=0\n"
      + "while [ $n -lt " + ROUNDS + " ]; do\n"
      + "  pids=$(grep -lzxF -- \"$marker\" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3)\n"
      + "  for d in \"$@\"; do pids=\"$pids $(cat \"$d\"/*/cgroup.procs 2>/dev/null)\"; done\n"
      + "  [ -z \"$(echo $pids)\" ] && break\n"
      + "  kill -9 $pids 2>/dev/null; n=$((n+1))\n"
      + "done\n"
      + "for d in \"$@\"; do rmdir \"$d\"/*/ \"$d\" 2>/dev/null; done\n"
      + "[ $n -gt 0 ] && echo \"guardian: the executor ended; its tasks' processes were killed\" >&2\n"
      + "rm -f -- \"$record\"\n";

  private final Path directory;
  private final String token;
  private StdinPipe pipe;
  private List<Path> cgroupGroups = List.of();
  private ChildProcess process;

  private Guardian(Path directory, String token) {
    this.directory = directory;
    this.token = token;
  }

  /** A guardian (not started) whose record goes to {@code directory}, with a fresh token. */
  public static Guardian in(Path directory) {
    byte[] bytes = new byte[12];
    new SecureRandom().nextBytes(bytes);
    return new Guardian(directory, HexFormat.of().formatHex(bytes));
  }

  /** {@code VARIABLE=token}: the environment entry every task process of this executor carries. */
  public String entry() {
    return VARIABLE + "=" + token;
  }

  public String token() {
    return token;
  }

  public Path record() {
    return directory.resolve(token);
  }

  /** The guardian's process once started. */
  public synchronized Optional<ChildProcess> process() {
    return Optional.ofNullable(process);
  }

  /**
   * Writes the record and starts the guardian, once; later calls do nothing. The record exists
   * before the guardian does, so no moment leaves a task unaccounted for.
   */
  public synchronized void start() throws IOException {
    start(List.of());
  }

  /**
   * As {@link #start()}, the guardian also killing every process in the task cgroups under {@code
   * cgroupGroups} (a cgroup holds what even an emptied environment hides) and removing them.
   */
  public synchronized void start(List<Path> cgroupGroups) throws IOException {
    if (process != null) {
      return;
    }
    this.cgroupGroups = List.copyOf(cgroupGroups);
    Files.createDirectories(directory);
    writeRecord(-1, -1);
    pipe = StdinPipe.open();
    try {
      List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "guardian", entry(), record().toString()));
      cgroupGroups.forEach(g -> argv.add(g.toString()));
      process = ProcessLauncher.spawn(ProcessSpec.of(argv, Map.of("PATH", "/usr/bin:/bin"), Path.of("/")), pipe);
    } catch (IOException e) {
      pipe.close();
      pipe = null;
      throw e;
    }
    writeRecord(process.pid(), ProcessTable.startTime(process.pid()));
  }

  /** What this JVM's death does: the guardian sees end of file and sweeps. For tests and shutdown. */
  public synchronized void release() {
    if (pipe != null) {
      pipe.close();
    }
  }

  private void writeRecord(int pid, long startTime) throws IOException {
    Path tmp = directory.resolve("." + token + ".tmp");
    StringBuilder text = new StringBuilder("marker=" + entry() + "\nguardian=" + pid + " " + startTime + "\n");
    cgroupGroups.forEach(g -> text.append("cgroup=").append(g).append('\n'));
    Files.writeString(tmp, text);
    Files.move(tmp, record(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Ends what earlier executors recorded in {@code directory} and left behind: for every record but
   * {@code ownToken}'s whose guardian no longer runs, SIGKILL to every process with its marker, then
   * the record goes. Returns one line per record handled, saying how many processes were killed.
   */
  public static List<String> endLeftovers(Path directory, String ownToken) {
    List<String> done = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return done;
    }
    try (DirectoryStream<Path> records = Files.newDirectoryStream(directory)) {
      for (Path record : records) {
        String name = record.getFileName().toString();
        if (name.equals(ownToken) || name.startsWith(".")) {
          continue;
        }
        endLeftover(record).ifPresent(done::add);
      }
    } catch (IOException e) {
      done.add("cannot read " + directory + ": " + e.getMessage());
    }
    return done;
  }

  private static Optional<String> endLeftover(Path record) throws IOException {
    String marker = null;
    List<Path> cgroups = new ArrayList<>();
    int pid = -1;
    long startTime = -1;
    for (String line : Files.readAllLines(record)) {
      if (line.startsWith("marker=")) {
        marker = line.substring("marker=".length());
      } else if (line.startsWith("cgroup=")) {
        cgroups.add(Path.of(line.substring("cgroup=".length())));
      } else if (line.startsWith("guardian=")) {
        String[] parts = line.substring("guardian=".length()).split(" ");
        pid = Integer.parseInt(parts[0]);
        startTime = Long.parseLong(parts[1]);
      }
    }
    if (marker == null || !marker.startsWith(VARIABLE + "=")) {
      return Optional.of("ignored " + record + ": not a guardian's record");
    }
    if (pid > 0 && startTime >= 0 && ProcessTable.startTime(pid) == startTime) {
      return Optional.empty(); // its guardian runs: a live executor's, or one sweeping right now
    }
    int killed = MarkedProcesses.killAll(marker, ROUNDS);
    for (Path group : cgroups) {
      killed += TaskCgroup.endGroup(group);
    }
    Files.deleteIfExists(record);
    return Optional.of("an earlier executor (" + record.getFileName() + ") left " + killed
        + " process(es): killed");
  }
}
