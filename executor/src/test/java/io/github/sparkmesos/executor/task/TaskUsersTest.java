package io.github.sparkmesos.executor.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sparkmesos.executor.mesos.CommandExecutorFlags;
import io.github.sparkmesos.os.UserAccount;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.junit.jupiter.api.Test;

/** Which user a task asks for, and what an executor running as root or as another user makes of it. */
class TaskUsersTest {

  private static final UserAccount ROOT = UserAccount.lookup("root").orElseThrow();
  /** nobody (and daemon) exist on every Debian and RHEL system; the executor "runs as" nobody here */
  private static final UserAccount NOBODY = UserAccount.lookup("nobody").orElseThrow();

  private static TaskInfo task(String user) {
    CommandInfo.Builder command = CommandInfo.newBuilder().setValue("true");
    if (user != null) {
      command.setUser(user);
    }
    return TaskInfo.newBuilder().setName("t").setTaskId(TaskID.newBuilder().setValue("t"))
        .setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue("a")).setCommand(command).build();
  }

  @Test
  void theCommandUserWinsOverTheAgentsFlagWhichWinsOverTheFrameworksUser() {
    CommandExecutorFlags withUser = CommandExecutorFlags.parse(List.of("--launcher_dir=/l", "--user=agent"),
        new ArrayList<>());
    assertEquals(new TaskUsers.Request("CommandInfo.user", "cmd"),
        TaskUsers.request(task("cmd"), withUser, Optional.of("fw")));
    assertEquals(new TaskUsers.Request("--user", "agent"), TaskUsers.request(task(null), withUser, Optional.of("fw")));
    assertEquals(new TaskUsers.Request("FrameworkInfo.user", "fw"),
        TaskUsers.request(task(null), CommandExecutorFlags.NONE, Optional.of("fw")));
    assertEquals("the executor's user",
        TaskUsers.request(task(null), CommandExecutorFlags.NONE, Optional.empty()).field());
  }

  @Test
  void asRootItSwitchesToAnotherUserAndToRootOnlyWhenAllowed() throws Exception {
    TaskUsers strict = new TaskUsers(ROOT, false);
    assertEquals(Optional.of(NOBODY), strict.resolve(new TaskUsers.Request("CommandInfo.user", "nobody")));
    String message = assertThrows(LaunchFailedException.class,
        () -> strict.resolve(new TaskUsers.Request("CommandInfo.user", "root"))).getMessage();
    assertEquals("CommandInfo.user 'root': a task runs as root only where the operator allows it ("
        + TaskUsers.ALLOW_ROOT + "=true in the executor's environment)", message);
    assertEquals(Optional.empty(), new TaskUsers(ROOT, true).resolve(new TaskUsers.Request("CommandInfo.user", "root")),
        "allowed: the executor's own user, nothing to switch");
    assertEquals(Optional.empty(), strict.resolve(new TaskUsers.Request("FrameworkInfo.user", "root")));
  }

  @Test
  void notRootItRunsTheFrameworksTasksAsItselfAndFailsATaskNamingAnotherUser() {
    TaskUsers unprivileged = new TaskUsers(NOBODY, false);
    assertEquals(Optional.empty(), assertDoesNotThrow(() ->
        unprivileged.resolve(new TaskUsers.Request("FrameworkInfo.user", "root"))));
    String message = assertThrows(LaunchFailedException.class,
        () -> unprivileged.resolve(new TaskUsers.Request("CommandInfo.user", "daemon"))).getMessage();
    assertEquals("CommandInfo.user 'daemon': this executor runs as 'nobody' and cannot switch a task to another user"
        + " (it would need to run as root)", message);
  }

  @Test
  void aUserThatDoesNotExistIsNamedWithItsField() {
    String message = assertThrows(LaunchFailedException.class, () -> new TaskUsers(ROOT, false)
        .resolve(new TaskUsers.Request("--user", "no-such-user-here"))).getMessage();
    assertEquals("--user 'no-such-user-here': no such user on this host", message);
  }

  private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> supplier) {
    return org.junit.jupiter.api.Assertions.assertDoesNotThrow(supplier);
  }
}
