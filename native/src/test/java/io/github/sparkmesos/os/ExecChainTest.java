package io.github.sparkmesos.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.testing.Skips;
import io.github.sparkmesos.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecChainTest {

  private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

  private static ChildProcess run(Path dir, List<String> argv) throws Exception {
    return ProcessLauncher.spawn(ProcessSpec.of(argv, ENV, dir).withOutput(dir.resolve("stdout"), dir.resolve("stderr")));
  }

  private static String limitLine(int pid, String name) throws Exception {
    return Files.readAllLines(Path.of("/proc/" + pid + "/limits")).stream().filter(l -> l.startsWith(name))
        .findFirst().orElseThrow().replaceAll(" +", " ").trim();
  }

  @Test
  void theOperatorsRlimitsAndUmaskAreTheTasksAndShowInProcLimits(@TempDir Path dir) throws Exception {
    ResourceLimits limits = ResourceLimits.fromEnvironment(Map.of(ResourceLimits.NOFILE, "1000:2048",
        ResourceLimits.NPROC, "4000", ResourceLimits.CORE, "0", ResourceLimits.UMASK, "027"));
    ChildProcess task = run(dir, ExecChain.wrap(List.of("sh", "-c", "touch made; echo > ready; exec sleep 600"),
        limits, Optional.empty()));
    Waits.awaitFile(dir.resolve("ready"));
    try {
      assertEquals("Max open files 1000 2048 files", limitLine(task.pid(), "Max open files"));
      assertEquals("Max processes 4000 4000 processes", limitLine(task.pid(), "Max processes"));
      assertEquals("Max core file size 0 0 bytes", limitLine(task.pid(), "Max core file size"));
      assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.GROUP_READ), Files.getPosixFilePermissions(dir.resolve("made")), "umask 027");
      String ours = limitLine((int) ProcessHandle.current().pid(), "Max open files");
      assertTrue(!ours.equals("Max open files 1000 2048 files"), "the JVM's own limits are untouched: " + ours);
    } finally {
      task.kill(java.time.Duration.ZERO);
    }
    task.onExit().get(30, TimeUnit.SECONDS);
  }

  @Test
  void nothingToSetLeavesTheCommandAsItIs() throws Exception {
    assertEquals(List.of("java", "-version"), ExecChain.wrap(List.of("java", "-version"), ResourceLimits.NONE,
        Optional.empty()));
  }

  @Test
  void malformedSettingsNameTheirVariable() {
    for (Map<String, String> env : List.of(Map.of(ResourceLimits.NOFILE, "many"),
        Map.of(ResourceLimits.NOFILE, "10:5"), Map.of(ResourceLimits.CORE, "-1"), Map.of(ResourceLimits.UMASK, "999"))) {
      String variable = env.keySet().iterator().next();
      String message = assertThrows(IllegalArgumentException.class, () -> ResourceLimits.fromEnvironment(env))
          .getMessage();
      assertTrue(message.startsWith(variable + "="), message);
    }
    assertEquals("unlimited:unlimited", ResourceLimits.fromEnvironment(Map.of(ResourceLimits.CORE, "unlimited"))
        .limits().get("core").toString());
  }

  @Test
  void theUserDatabaseKnowsRootAndNotAMadeUpName() {
    UserAccount root = UserAccount.lookup("root").orElseThrow();
    assertEquals(0, root.uid());
    assertEquals(0, root.gid());
    assertTrue(root.groups().contains(0), root.toString());
    assertEquals(Optional.empty(), UserAccount.lookup("no-such-user-" + UUID.randomUUID().toString().substring(0, 8)));
  }

  @Test
  void aTaskRunAsATestUserHasItsIdsAndGroupsAndOwnsWhatItWrites(@TempDir Path dir) throws Exception {
    Skips.require(UserAccount.current().isRoot(), "creating a test user and switching to it needs root");
    String name = "smet" + UUID.randomUUID().toString().substring(0, 6);
    String group = name + "g";
    sh("groupadd " + group + " && useradd --no-create-home --groups " + group + " " + name);
    try {
      UserAccount user = UserAccount.lookup(name).orElseThrow();
      int extra = Integer.parseInt(sh("getent group " + group + " | cut -d: -f3").trim());
      assertTrue(user.groups().contains(extra) && user.groups().contains(user.gid()), user.toString());
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
      ChildProcess task = run(dir, ExecChain.wrap(List.of("sh", "-c",
          "id -u > made; grep ^Groups: /proc/$$/status >> made"), ResourceLimits.NONE, Optional.of(user)));
      assertEquals(ExitStatus.exited(0), task.onExit().get(30, TimeUnit.SECONDS), Files.readString(dir.resolve("stderr")));
      List<String> lines = Files.readAllLines(dir.resolve("made"));
      assertEquals(String.valueOf(user.uid()), lines.get(0));
      assertTrue(List.of(lines.get(1).split("\\s+")).contains(String.valueOf(extra)), lines.get(1));
      assertEquals(name, Files.getOwner(dir.resolve("made")).getName(), "the file is the test user's");
    } finally {
      sh("userdel " + name + "; groupdel " + group + " 2>/dev/null; true");
    }
  }

  /** Through ProcessLauncher: the reaper of this JVM would take a java.lang.Process's exit status. */
  private static String sh(String command) throws Exception {
    Path out = Files.createTempFile("sh", ".out");
    try {
      ChildProcess p = ProcessLauncher.spawn(ProcessSpec.of(List.of("sh", "-c", command),
          Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), Path.of("/")).withOutput(out, out));
      ExitStatus status = p.onExit().get(60, TimeUnit.SECONDS);
      assertEquals(ExitStatus.exited(0), status, command + ": " + Files.readString(out));
      return Files.readString(out);
    } finally {
      Files.delete(out);
    }
  }
}
