package io.github.sparkmesos.executor.task;

import io.github.sparkmesos.executor.mesos.CommandExecutorFlags;
import io.github.sparkmesos.os.UserAccount;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * Which user a task's process runs as, as a Mesos agent with {@code --switch_user} decides it: the
 * task's {@code CommandInfo.user}, else the agent's {@code --user} (the command executor's flag),
 * else the framework's user, else this executor's own; its uid, gid and groups from the system's user
 * database. Root only when the task asks for it by name and the operator allows it. An executor that
 * is not root runs the framework's tasks as its own user (as an agent with {@code --switch_user=false}),
 * and fails a task that names another user.
 */
public final class TaskUsers {

  /** The operator's setting: {@code true} lets a task's {@code CommandInfo.user} name root. */
  public static final String ALLOW_ROOT = "SPARK_MESOS_EXECUTOR_ALLOW_ROOT_TASKS";

  private static final String FRAMEWORK_USER = "FrameworkInfo.user";

  /** The user asked for and where it was asked (a field or flag name, for messages). */
  public record Request(String field, String name) {}

  /** Null: this process's user, looked up on the first task (the executor's start binds no libc call). */
  private final UserAccount self;
  private final boolean rootAllowed;

  public TaskUsers(UserAccount self, boolean rootAllowed) {
    this.self = self;
    this.rootAllowed = rootAllowed;
  }

  /** As the executor's environment sets it up: this process's user, and the operator's {@link #ALLOW_ROOT}. */
  public static TaskUsers fromEnvironment(Map<String, String> environment) {
    return new TaskUsers(null, "true".equalsIgnoreCase(environment.getOrDefault(ALLOW_ROOT, "")));
  }

  public static Request request(TaskInfo task, CommandExecutorFlags flags, Optional<String> frameworkUser) {
    if (task.hasCommand() && task.getCommand().hasUser()) {
      return new Request("CommandInfo.user", task.getCommand().getUser());
    }
    if (flags.user().isPresent()) {
      return new Request("--user", flags.user().get());
    }
    return frameworkUser.map(u -> new Request(FRAMEWORK_USER, u))
        .orElseGet(() -> new Request("the executor's user", UserAccount.current().name()));
  }

  /**
   * The account to switch the task to; empty when it is this executor's own (nothing to switch).
   *
   * @throws LaunchFailedException naming the field and the user: no such user, root not allowed, or a
   *                               switch this executor (not root) cannot make
   */
  public Optional<UserAccount> resolve(Request request) throws LaunchFailedException {
    UserAccount self = this.self != null ? this.self : UserAccount.current();
    if (!self.isRoot() && request.field().equals(FRAMEWORK_USER)) {
      return Optional.empty(); // as an agent with --switch_user=false: the executor's user runs the framework's tasks
    }
    UserAccount account = UserAccount.lookup(request.name()).orElseThrow(() -> new LaunchFailedException(
        request.field() + " '" + request.name() + "': no such user on this host"));
    if (account.isRoot() && request.field().equals("CommandInfo.user") && !rootAllowed) {
      throw new LaunchFailedException(request.field() + " '" + request.name() + "': a task runs as root only where"
          + " the operator allows it (" + ALLOW_ROOT + "=true in the executor's environment)");
    }
    if (account.uid() == self.uid()) {
      return Optional.empty();
    }
    if (!self.isRoot()) {
      throw new LaunchFailedException(request.field() + " '" + request.name() + "': this executor runs as '"
          + self.name() + "' and cannot switch a task to another user (it would need to run as root)");
    }
    return Optional.of(account);
  }
}
