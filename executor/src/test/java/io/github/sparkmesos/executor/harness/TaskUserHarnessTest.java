package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.executor.task.TaskUsers;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ExitStatus;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import io.github.sparkmesos.os.ResourceLimits;
import io.github.sparkmesos.os.UserAccount;
import io.github.sparkmesos.testing.LoopbackServer;
import io.github.sparkmesos.testing.Skips;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user and the limits a task's process gets, through a real executor JVM under the harness: a
 * command task run as a test user (made here with useradd) owns its directory and the files fetched
 * for it; a user that does not exist, or root not allowed by the operator, fails the task naming the
 * field and the user; the operator's rlimits and umask are the task's.
 */
class TaskUserHarnessTest {

  private static final String USER = "smeu" + UUID.randomUUID().toString().substring(0, 6);

  @BeforeAll
  static void testUser() throws Exception {
    Skips.require(UserAccount.current().isRoot(), "creating a test user and switching a task to it needs root");
    sh("useradd --no-create-home " + USER);
  }

  @AfterAll
  static void removeTestUser() throws Exception {
    if (UserAccount.lookup(USER).isPresent()) {
      sh("userdel " + USER);
    }
  }

  private static String task(String id, String command) {
    return "{\"name\": \"" + id + "\", \"task_id\": {\"value\": \"" + id + "\"}, \"command\": " + command + "}";
  }

  @Test
  void aTaskRunsAsItsCommandUserWhoOwnsItsSandboxAndTheFetchedFiles(@TempDir Path dir) throws Exception {
    try (LoopbackServer server = new LoopbackServer()) {
      server.serve("/greeting.txt", "fetched\n".getBytes(StandardCharsets.UTF_8));
      HarnessRun.Run run = HarnessRun.run(dir, task("u", "{\"value\": \"test -O greeting.txt && id -u > uid.txt"
          + " && touch made\", \"user\": \"" + USER + "\", \"uris\": [{\"value\": \"" + server.url("/greeting.txt")
          + "\"}]}"));
      Path sandbox = run.result().sandbox();
      assertEquals(TaskState.TASK_FINISHED, run.result().terminal("u").state(), run.stdout() + " "
          + Files.readString(sandbox.resolve("stderr")));
      UserAccount user = UserAccount.lookup(USER).orElseThrow();
      assertEquals(String.valueOf(user.uid()), Files.readString(sandbox.resolve("uid.txt")).trim());
      for (String file : List.of("made", "greeting.txt", "uid.txt")) {
        assertEquals(USER, Files.getOwner(sandbox.resolve(file)).getName(), file);
      }
      assertEquals(List.of(), run.result().violations());
    }
  }

  @Test
  void aTaskOfAnotherUserReadsItsFileSecretWhichNoOneElseCan(@TempDir Path dir) throws Exception {
    String value = java.util.Base64.getEncoder().encodeToString("for-the-task-only".getBytes(StandardCharsets.UTF_8));
    HarnessRun.Run run = HarnessRun.run(dir, "{\"name\": \"s\", \"task_id\": {\"value\": \"s\"},"
        + " \"container\": {\"type\": \"MESOS\", \"volumes\": [{\"container_path\": \"pw\", \"mode\": \"RO\","
        + " \"source\": {\"type\": \"SECRET\", \"secret\": {\"type\": \"VALUE\", \"value\": {\"data\": \"" + value
        + "\"}}}}]}, \"command\": {\"value\": \"cat pw > copy && stat -L -c '%U %a' pw > owner\", \"user\": \"" + USER
        + "\"}}");
    Path sandbox = run.result().sandbox();
    assertEquals(TaskState.TASK_FINISHED, run.result().terminal("s").state(), run.stdout() + " "
        + Files.readString(sandbox.resolve("stderr")));
    assertEquals("for-the-task-only", Files.readString(sandbox.resolve("copy")));
    assertEquals(USER + " 400", Files.readString(sandbox.resolve("owner")).trim());
    assertTrue(!Files.exists(sandbox.resolve("pw"), java.nio.file.LinkOption.NOFOLLOW_LINKS), "gone at the end");
  }

  @Test
  void aCommandHealthCheckRunsAsTheTasksUserToo(@TempDir Path dir) throws Exception {
    // the task ends once a check ran as its user; a check run as another user fails and kills it
    String check = "test \\\"$(id -un)\\\" = " + USER + " && touch checked";
    HarnessRun.Run run = HarnessRun.run(dir, "{\"name\": \"h\", \"task_id\": {\"value\": \"h\"}, \"command\":"
        + " {\"value\": \"until [ -e checked ]; do sleep 0.1; done\", \"user\": \"" + USER + "\"},"
        + " \"health_check\": {\"type\": \"COMMAND\", \"command\": {\"value\": \"" + check + "\"},"
        + " \"delay_seconds\": 0, \"interval_seconds\": 0.2, \"grace_period_seconds\": 0,"
        + " \"consecutive_failures\": 1}}");
    assertEquals(TaskState.TASK_FINISHED, run.result().terminal("h").state(), run.stdout().toString());
    assertTrue(run.result().updates().stream().anyMatch(u -> u.healthy().orElse(false)), run.stdout().toString());
    assertEquals(USER, Files.getOwner(run.result().sandbox().resolve("checked")).getName());
  }

  @Test
  void aUserThatDoesNotExistFailsTheTaskNamingTheFieldAndTheUser(@TempDir Path dir) throws Exception {
    String missing = "nosuch" + UUID.randomUUID().toString().substring(0, 6);
    HarnessRun.Run run = HarnessRun.run(dir, task("n", "{\"value\": \"touch made\", \"user\": \"" + missing + "\"}"));
    Harness.Update last = run.result().terminal("n");
    assertEquals(TaskState.TASK_FAILED, last.state(), run.stdout().toString());
    assertEquals("CommandInfo.user '" + missing + "': no such user on this host", last.message());
    assertTrue(!Files.exists(run.result().sandbox().resolve("made")), "the command never ran");
  }

  @Test
  void rootOnlyWhenTheTaskAsksAndTheOperatorAllowsIt(@TempDir Path dir) throws Exception {
    String asRoot = task("r", "{\"value\": \"id -u > uid.txt\", \"user\": \"root\"}");
    HarnessRun.Run refused = HarnessRun.run(dir.resolve("refused"), asRoot);
    Harness.Update last = refused.result().terminal("r");
    assertEquals(TaskState.TASK_FAILED, last.state(), refused.stdout().toString());
    assertTrue(last.message().startsWith("CommandInfo.user 'root': ") && last.message().contains(TaskUsers.ALLOW_ROOT),
        last.message());

    HarnessRun.Run allowed = HarnessRun.run(dir.resolve("allowed"), asRoot, "--env", TaskUsers.ALLOW_ROOT + "=true");
    assertEquals(TaskState.TASK_FINISHED, allowed.result().terminal("r").state(), allowed.stdout().toString());
    assertEquals("0", Files.readString(allowed.result().sandbox().resolve("uid.txt")).trim());
  }

  @Test
  void theOperatorsRlimitsAndUmaskAreTheTasks(@TempDir Path dir) throws Exception {
    HarnessRun.Run run = HarnessRun.run(dir, task("l", "{\"value\": \"cat /proc/$$/limits > limits.txt;"
            + " umask > umask.txt\", \"user\": \"" + USER + "\"}"),
        "--env", ResourceLimits.NOFILE + "=1000:2048", "--env", ResourceLimits.NPROC + "=3000",
        "--env", ResourceLimits.CORE + "=0", "--env", ResourceLimits.UMASK + "=077");
    Path sandbox = run.result().sandbox();
    assertEquals(TaskState.TASK_FINISHED, run.result().terminal("l").state(), run.stdout().toString());
    List<String> limits = Files.readAllLines(sandbox.resolve("limits.txt")).stream()
        .map(l -> l.replaceAll(" +", " ").trim()).toList();
    assertTrue(limits.contains("Max open files 1000 2048 files"), limits.toString());
    assertTrue(limits.contains("Max processes 3000 3000 processes"), limits.toString());
    assertTrue(limits.contains("Max core file size 0 0 bytes"), limits.toString());
    assertEquals("0077", Files.readString(sandbox.resolve("umask.txt")).trim());
  }

  @Test
  void theTasksOwnRlimitsWinOverTheOperatorsAndAMalformedOneIsRefused(@TempDir Path dir) throws Exception {
    String limitsTask = "{\"name\": \"r\", \"task_id\": {\"value\": \"r\"}, \"container\": {\"type\": \"MESOS\","
        + " \"rlimit_info\": {\"rlimits\": [{\"type\": \"RLMT_NOFILE\", \"soft\": 123, \"hard\": 456},"
        + " {\"type\": \"RLMT_STACK\"}]}}, \"command\": {\"value\": \"cat /proc/$$/limits > limits.txt\","
        + " \"user\": \"" + USER + "\"}}";
    HarnessRun.Run run = HarnessRun.run(dir.resolve("given"), limitsTask, "--env", ResourceLimits.NOFILE + "=1000:2048",
        "--env", ResourceLimits.CORE + "=0");
    assertEquals(TaskState.TASK_FINISHED, run.result().terminal("r").state(), run.stdout().toString());
    List<String> limits = Files.readAllLines(run.result().sandbox().resolve("limits.txt")).stream()
        .map(l -> l.replaceAll(" +", " ").trim()).toList();
    assertTrue(limits.contains("Max open files 123 456 files"), limits.toString());
    assertTrue(limits.contains("Max stack size unlimited unlimited bytes"), limits.toString());
    assertTrue(limits.contains("Max core file size 0 0 bytes"), "the operator's others stay: " + limits);

    HarnessRun.Run bad = HarnessRun.run(dir.resolve("bad"), limitsTask.replace("\"soft\": 123, ", ""));
    Harness.Update last = bad.result().terminal("r");
    assertEquals(TaskState.TASK_FAILED, last.state(), bad.stdout().toString());
    assertTrue(last.message().contains("TaskInfo.container.rlimit_info.rlimits[0]: set both soft and hard"),
        last.message());
  }

  @Test
  void aMalformedLimitFailsTheTaskNamingItsVariable(@TempDir Path dir) throws Exception {
    HarnessRun.Run run = HarnessRun.run(dir, task("m", "{\"value\": \"true\"}"),
        "--env", ResourceLimits.NOFILE + "=lots");
    Harness.Update last = run.result().terminal("m");
    assertEquals(TaskState.TASK_FAILED, last.state(), run.stdout().toString());
    assertTrue(last.message().contains(ResourceLimits.NOFILE + "='lots'"), last.message());
  }

  /** Through ProcessLauncher: the reaper of this JVM would take a java.lang.Process's exit status. */
  private static void sh(String command) throws Exception {
    Path out = Files.createTempFile("sh", ".out");
    try {
      ChildProcess p = ProcessLauncher.spawn(ProcessSpec.of(List.of("sh", "-c", command),
          Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), Path.of("/")).withOutput(out, out));
      assertEquals(ExitStatus.exited(0), p.onExit().get(60, TimeUnit.SECONDS), command + ": " + Files.readString(out));
    } finally {
      Files.delete(out);
    }
  }
}
