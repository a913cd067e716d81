package io.github.sparkmesos.executor.cli;

import io.github.sparkmesos.docker.DockerPolicy;
import io.github.sparkmesos.executor.harness.TaskFile;
import io.github.sparkmesos.executor.mesos.CommandExecutorFlags;
import io.github.sparkmesos.executor.task.InvalidTaskException;
import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.executor.task.LaunchPlans;
import io.github.sparkmesos.executor.task.TaskValidation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * {@code check TASK.json [--command-executor] [--framework-user USER] [--sandbox DIR]}: the launch plan the
 * executor would carry out for each task of a task file (as the harness reads it: a TaskInfo, an array of them,
 * a TaskGroupInfo; or a bare Spark task document, sent as a TaskInfo's data), from the executor's own validation
 * ({@link TaskValidation}). Exits 1 with the first task's failure message, as its TASK_FAILED would carry it.
 */
final class Check {

  static final String USAGE = """
      usage: spark-mesos-executor check TASK.json [--command-executor] [--framework-user USER] [--sandbox DIR]
        prints the launch plan the executor would carry out for each task of TASK.json (a TaskInfo, a JSON array
        of them, a TaskGroupInfo, or a Spark task document), or the first error, as the task's TASK_FAILED says it
        --command-executor    as the agent's command executor (started with --launcher_dir)
        --framework-user USER the framework's user (SPARK_USER, the fetches' owner)
        --sandbox DIR         the executor's sandbox (default: a placeholder path)""";

  /** Where the plan's directories are shown when no --sandbox is given. */
  static final Path PLACEHOLDER_SANDBOX = Path.of("/<sandbox>");

  private Check() {}

  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    Path file = null;
    boolean commandExecutor = false;
    Optional<String> user = Optional.empty();
    Optional<Path> sandbox = Optional.empty();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--help", "-h" -> {
          out.println(USAGE);
          return 0;
        }
        case "--command-executor" -> commandExecutor = true;
        case "--framework-user" -> user = Optional.of(value(args, ++i, a));
        case "--sandbox" -> sandbox = Optional.of(Path.of(value(args, ++i, a)).toAbsolutePath().normalize());
        default -> {
          if (a.startsWith("-") || file != null) {
            err.println("check: unexpected argument '" + a + "'\n" + USAGE);
            return 2;
          }
          file = Path.of(a);
        }
      }
    }
    if (file == null) {
      err.println(USAGE);
      return 2;
    }
    TaskFile tasks;
    try {
      tasks = read(file);
    } catch (IOException | IllegalArgumentException e) {
      err.println("check: " + e.getMessage());
      return 2;
    }
    DockerPolicy policy = DockerPolicy.NONE;
    Optional<String> policyError = Optional.empty();
    try {
      policy = DockerPolicy.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      policyError = Optional.of(e.getMessage());
    }
    CommandExecutorFlags flags = commandExecutor ? launcherDirFlags() : CommandExecutorFlags.NONE;
    LaunchPlans.Context context = new LaunchPlans.Context(user, Optional.ofNullable(env.get("SPARK_HOME")),
        sandbox.orElse(PLACEHOLDER_SANDBOX), flags, policy);
    for (TaskInfo task : tasks.tasks()) {
      TaskValidation.Path path = TaskValidation.path(task, tasks.group(), context);
      try {
        LaunchPlan plan = TaskValidation.plan(task, tasks.group(), context, policyError);
        out.print(PlanPrinter.print(task, path, plan, sandbox.isEmpty()));
        out.println();
      } catch (InvalidTaskException e) {
        return failed(err, task, TaskValidation.invalidMessage(e));
      } catch (LaunchFailedException e) {
        return failed(err, task, e.getMessage());
      }
    }
    return 0;
  }

  /** A file holding a Spark task document alone is taken as the data of a TaskInfo with its own name. */
  static TaskFile read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    com.google.gson.JsonElement root;
    try {
      root = com.google.gson.JsonParser.parseString(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": not JSON: " + e.getMessage(), e);
    }
    if (root.isJsonObject() && root.getAsJsonObject().has("backend")) {
      String id = Optional.ofNullable(file.getFileName()).map(Path::toString).orElse("task")
          .replaceFirst("\\.json$", "").replaceAll("[^A-Za-z0-9_.-]", "_");
      return TaskFile.parse(TaskFile.taskInfoJson(id, text.getBytes(StandardCharsets.UTF_8)), file.toString());
    }
    return TaskFile.read(file);
  }

  private static CommandExecutorFlags launcherDirFlags() {
    return CommandExecutorFlags.parse(List.of("--launcher_dir=/usr/libexec/mesos"), new java.util.ArrayList<>());
  }

  private static int failed(PrintStream err, TaskInfo task, String message) {
    err.println("task " + task.getTaskId().getValue() + ": " + message);
    return 1;
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException("check: " + option + " needs a value");
    }
    return args.get(i);
  }
}
