package io.github.sparkmesos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.github.sparkmesos.executor.harness.TaskFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball as an operator gets it: unpacked by {@code tar} into an empty folder and run by its
 * {@code bin/spark-mesos-executor} from elsewhere, with a Java runtime and a few system programs only
 * (no Maven, no checkout on the PATH), under the harness as a Mesos agent would run it.
 */
@Timeout(180)
class DistributionIT {

  static final Path TARBALL = Path.of(System.getProperty("dist.tarball"));
  static final String NAME = System.getProperty("dist.name");
  static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  /** What bin/spark-mesos-executor and a task's shell use besides java. */
  static final List<String> SYSTEM_PROGRAMS = List.of("sh", "readlink", "dirname", "mv", "rm", "cat", "ls");

  @TempDir
  Path tmp;
  /** An empty folder the commands run from. */
  Path elsewhere;
  /** A PATH folder with the system programs alone. */
  Path programs;

  @BeforeEach
  void setUp() throws IOException {
    elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
    programs = Files.createDirectory(tmp.resolve("programs"));
    for (String name : SYSTEM_PROGRAMS) {
      Files.createSymbolicLink(programs.resolve(name), Path.of("/bin", name).toRealPath());
    }
  }

  /** The links to system programs go before JUnit's cleanup, which warns about links leaving the folder. */
  @AfterEach
  void tearDown() throws IOException {
    try (Stream<Path> links = Files.list(programs)) {
      for (Path link : links.toList()) {
        Files.delete(link);
      }
    }
  }

  @Test
  void harnessRunsALaunchTaskFromTheUnpackedTarball() throws Exception {
    Path home = unpack(Files.createDirectory(tmp.resolve("opt")));
    assertTrue(Files.isExecutable(home.resolve("bin/spark-mesos-executor")));
    assertTrue(Files.isRegularFile(home.resolve("lib/spark-mesos-executor.jar")));
    assertTrue(Files.isRegularFile(home.resolve("lib/executor.classlist")));

    Path sandbox = tmp.resolve("sandbox");
    Run run = run(withJavaHome(), home.resolve("bin/spark-mesos-executor").toString(), "harness",
        launchTask("echo hi > out.txt").toString(), "--sandbox", sandbox.toString(), "--timeout", "2mins");

    run.assertFinished("1");
    assertEquals("hi\n", Files.readString(sandbox.resolve("tasks/1/out.txt")));
  }

  @Test
  void aMesosExecutorLinkInALauncherFolderRunsACommandTask() throws Exception {
    Path home = unpack(Files.createDirectory(tmp.resolve("opt")));
    Path launcher = Files.createDirectory(tmp.resolve("launcher"));
    Files.createSymbolicLink(launcher.resolve("mesos-executor"), home.resolve("bin/spark-mesos-executor"));

    // java on the PATH, no JAVA_HOME
    Files.createSymbolicLink(programs.resolve("java"), JAVA);
    Path sandbox = tmp.resolve("sandbox");
    Run run = run(Map.of("PATH", programs.toString(), "HOME", tmp.toString()),
        home.resolve("bin/spark-mesos-executor").toString(), "harness", commandTask("echo hi > out.txt").toString(),
        "--sandbox", sandbox.toString(), "--timeout", "2mins",
        "--executor-command", launcher.resolve("mesos-executor").toString());

    run.assertFinished("1");
    assertEquals("hi\n", Files.readString(sandbox.resolve("out.txt")), "the command runs in the sandbox");
    assertTrue(Files.isRegularFile(home.resolve("lib/spark-mesos-executor.jsa")),
        "the class data sharing archive is made next to the installed jar");
  }

  @Test
  void aFrameworksUriUnpackedInTheSandboxRunsWithItsDocumentedCommand() throws Exception {
    // the agent's fetcher extracts the URI into the sandbox, then runs the ExecutorInfo's command there
    Path sandbox = Files.createDirectory(tmp.resolve("sandbox"));
    Path home = unpack(sandbox);
    Run run = run(withJavaHome(), home.resolve("bin/spark-mesos-executor").toString(), "harness",
        launchTask("echo hi > out.txt").toString(), "--sandbox", sandbox.toString(), "--timeout", "2mins",
        "--executor-command", "cd spark-mesos-executor-*; bin/spark-mesos-executor");

    run.assertFinished("1");
    assertEquals("hi\n", Files.readString(sandbox.resolve("tasks/1/out.txt")), "the sandbox, not the working folder");
    assertFalse(Files.exists(home.resolve("lib/spark-mesos-executor.jsa")),
        "no archive for an executor that starts once in its sandbox");
  }

  @Test
  void theToolsSayTheyNeedASourceCheckout() throws Exception {
    Path home = unpack(Files.createDirectory(tmp.resolve("opt")));
    Run run = run(withJavaHome(), home.resolve("bin/spark-mesos-executor").toString(), "demo");

    assertEquals(2, run.exit());
    assertTrue(run.stderr().contains("source checkout"), run.stderr());
  }

  /** As an agent: the real path of the link runs, with argv[0] mesos-executor and --launcher_dir. */
  @Test
  void theAgentsCommandExecutorIsTheInstalledExecutorThroughTheLauncherFolder() throws Exception {
    Path home = unpack(Files.createDirectory(tmp.resolve("opt")));
    Path launcher = Files.createDirectory(tmp.resolve("launcher"));
    Files.createSymbolicLink(launcher.resolve("mesos-executor"), home.resolve("bin/spark-mesos-executor"));
    Path sandbox = tmp.resolve("sandbox");
    Run run = run(withJavaHome(), home.resolve("bin/spark-mesos-executor").toString(), "harness",
        commandTask("echo hi > out.txt").toString(),
        "--sandbox", sandbox.toString(), "--timeout", "2mins", "--launcher-dir", launcher.toString());

    run.assertFinished("1");
    assertEquals("hi\n", Files.readString(sandbox.resolve("out.txt")), "the command runs in the sandbox");
    assertTrue(Files.readString(sandbox.resolve("stderr")).contains("started as the agent's command executor"
        + " (launcher dir " + launcher + ")"), "the agent's flags reach the executor");
  }

  /** Unpacks the tarball into {@code folder} as an operator would, and returns its one top folder. */
  Path unpack(Path folder) throws Exception {
    Run run = run(Map.of("PATH", "/usr/bin:/bin"), "tar", "-xzf", TARBALL.toString(), "-C", folder.toString());
    assertEquals(0, run.exit(), run.stderr());
    try (Stream<Path> top = Files.list(folder)) {
      assertEquals(List.of(folder.resolve(NAME)), top.toList(), "one top folder");
    }
    return folder.resolve(NAME);
  }

  Map<String, String> withJavaHome() {
    return Map.of("PATH", programs.toString(), "JAVA_HOME", System.getProperty("java.home"), "HOME", tmp.toString());
  }

  /** A command task, as Spark's Mesos backend sends them: a TaskInfo with a command, no executor and no data. */
  Path commandTask(String command) throws IOException {
    return Files.writeString(tmp.resolve("cmdtask.json"),
        "{\"task_id\": {\"value\": \"1\"}, \"command\": {\"value\": \"" + command + "\"}}");
  }

  /** A LAUNCH task whose Spark task document runs {@code command}. */
  Path launchTask(String command) throws IOException {
    return Files.writeString(tmp.resolve("task.json"), TaskFile.commandTask("1", command, Map.of()));
  }

  record Run(int exit, List<String> stdout, String stderr) {

    /** The harness printed the task's updates ending in TASK_FINISHED and exited 0. */
    void assertFinished(String taskId) {
      List<String> states = new ArrayList<>();
      for (String line : stdout) {
        var update = JsonParser.parseString(line).getAsJsonObject();
        if (update.get("task_id").getAsString().equals(taskId)) {
          states.add(update.get("state").getAsString());
        }
      }
      String story = states + "\n" + String.join("\n", stdout) + "\n" + stderr;
      assertFalse(states.isEmpty(), story);
      assertEquals("TASK_FINISHED", states.get(states.size() - 1), story);
      assertEquals(0, exit, story);
    }
  }

  /** Runs argv from the empty folder with exactly {@code env}. */
  Run run(Map<String, String> env, String... argv) throws Exception {
    Path out = Files.createTempFile(tmp, "stdout", ".txt");
    Path err = Files.createTempFile(tmp, "stderr", ".txt");
    ProcessBuilder builder = new ProcessBuilder(argv).directory(elsewhere.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(150, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", argv) + " did not end in 150 s: " + Files.readString(err));
    }
    return new Run(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
