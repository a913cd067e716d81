package io.github.sparkmesos.executor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Secret;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check}, run in-process on task files, its output and exit code as a user sees them. */
class CheckTest {

  private static final String SECRET = "s3cr3t-Value-42";

  @TempDir
  Path dir;

  record Run(int code, String out, String err) {}

  private Run check(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Check.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private Path write(String name, TaskInfo task) throws IOException {
    return write(name, JsonFormat.printer().preservingProtoFieldNames().print(task));
  }

  /** Every ```json block of docs/task-document.md. */
  static List<String> documentExamples() throws IOException {
    Path at = Path.of("").toAbsolutePath();
    while (!Files.exists(at.resolve("docs/task-document.md"))) {
      at = at.getParent();
    }
    Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(at.resolve("docs/task-document.md")));
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  @Test
  void everyExampleOfTheTaskDocumentPrintsItsPlan() throws IOException {
    List<String> examples = documentExamples();
    assertFalse(examples.isEmpty());
    for (int i = 0; i < examples.size(); i++) {
      Path file = write("example-" + i + ".json", examples.get(i));
      Run run = check(file.toString(), "--framework-user", "spark");
      assertEquals(0, run.code(), run.err());
      assertTrue(run.out().startsWith("task example-" + i + "\n"), run.out());
      assertTrue(run.out().contains("path:        Spark task document"), run.out());
      assertTrue(run.out().contains("/<sandbox>/tasks/example-" + i + " (placeholder sandbox"), run.out());
      assertTrue(run.out().contains("./bin/spark-class org.apache.spark.executor.CoarseGrainedExecutorBackend"),
          run.out());
      assertTrue(run.out().contains("    SPARK_EXECUTOR_MEMORY=4096m\n"), run.out());
      assertTrue(run.out().contains("    SPARK_USER=spark\n"), run.out());
      assertTrue(run.out().contains("    http://repo.example.com/spark-3.5.9-bin-hadoop3.tgz (extract true,"
          + " executable false, cache false)\n"), run.out());
      assertTrue(run.out().contains("resources:   cpus 1.0, mem 896 MiB"), run.out());
      if (examples.get(i).contains("spark.mesos.executor.secret.names")) {
        assertTrue(run.out().contains("    DB_PASSWORD=<secret> (name 'db/password')\n"), run.out());
        assertTrue(run.out().contains("  secret files:\n    secrets/db.pw <- name 'db/password' (mode 0400, removed"
            + " when the task ends)\n"), run.out());
      }
    }
    assertTrue(examples.stream().anyMatch(e -> e.contains("spark.mesos.executor.secret.names")));
  }

  @Test
  void aSparkCommandTaskAsTheAgentsCommandExecutorRunsInTheSandbox() throws IOException {
    TaskInfo task = TaskInfo.newBuilder().setName("spark 7").setTaskId(TaskID.newBuilder().setValue("7"))
        .setAgentId(AgentID.newBuilder().setValue("agent"))
        .addResources(scalar("cpus", 2)).addResources(scalar("mem", 1408))
        .setCommand(CommandInfo.newBuilder().setShell(true)
            .setValue("cd spark-3*;  ./bin/spark-class org.apache.spark.executor.CoarseGrainedExecutorBackend"
                + " --driver-url spark://CoarseGrainedScheduler@10.0.0.5:7078 --executor-id 7 --cores 2"
                + " --app-id fw-0001 --hostname 10.0.0.7")
            .addUris(CommandInfo.URI.newBuilder().setValue("http://repo.example.com/spark-3.5.9-bin-hadoop3.tgz")
                .setCache(true))
            .setEnvironment(Environment.newBuilder()
                .addVariables(variable("SPARK_EXECUTOR_MEMORY", "1024m"))
                .addVariables(variable("SPARK_USER", "spark"))
                .addVariables(variable("OMP_NUM_THREADS", "1"))))
        .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS))
        .setHealthCheck(HealthCheck.newBuilder().setType(HealthCheck.Type.TCP)
            .setTcp(HealthCheck.TCPCheckInfo.newBuilder().setPort(7079)).setIntervalSeconds(5))
        .build();
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    Run run = check(write("spark-command.json", task).toString(), "--command-executor", "--sandbox",
        sandbox.toString());
    assertEquals(0, run.code(), run.err());
    String out = run.out();
    assertTrue(out.contains("path:        command task"), out);
    assertTrue(out.contains("directory:   " + sandbox + " (the executor's sandbox)\n"), out);
    assertTrue(out.contains("command:     /bin/sh -c 'cd spark-3*;  ./bin/spark-class"), out);
    assertTrue(out.contains("    SPARK_EXECUTOR_MEMORY=1024m\n"), out);
    assertTrue(out.contains("health check: TCP port 7079, interval 5.0s"), out);
    assertTrue(out.contains("resources:   cpus 2.0, mem 1408 MiB"), out);
    assertFalse(out.contains("placeholder"), out);
  }

  @Test
  void aSecretVariableIsShownMaskedAndItsValueNeverPrinted() throws IOException {
    TaskInfo task = commandTask("secret-task", "echo " + SECRET + " >/dev/null; exec sleep 1",
        Environment.Variable.newBuilder().setName("TOKEN").setType(Environment.Variable.Type.SECRET)
            .setSecret(Secret.newBuilder().setType(Secret.Type.VALUE)
                .setValue(Secret.Value.newBuilder().setData(ByteString.copyFromUtf8(SECRET)))).build(),
        variable("PLAIN", "visible"));
    Run run = check(write("secret.json", task).toString(), "--command-executor");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("    TOKEN=<secret> (<value>)\n"), run.out());
    assertTrue(run.out().contains("    PLAIN=visible\n"), run.out());
    assertTrue(run.out().contains("echo <secret> >/dev/null"), run.out());
    String base64 = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    for (String text : List.of(run.out(), run.err())) {
      assertFalse(text.contains(SECRET), text);
      assertFalse(text.contains(base64), text);
    }
  }

  @Test
  void anInvalidTaskExitsNonZeroNamingTheField() throws IOException {
    TaskInfo task = commandTask("bad", "true", variable("1BAD", "x"));
    Run run = check(write("bad.json", task).toString());
    assertEquals(1, run.code());
    assertEquals("task bad: Invalid task: TaskInfo.command.environment.1BAD: is not a valid environment variable"
        + " name\n", run.err());
    assertEquals("", run.out());

    Run document = check(write("doc.json", """
        {"backend": {"driverURL": "spark://CoarseGrainedScheduler@h:1", "executorId": "1", "appId": "a",
         "cores": 1}}""").toString());
    assertEquals(1, document.code());
    assertTrue(document.err().startsWith("task doc: Invalid task: TaskInfo.data.backend"), document.err());
    assertTrue(document.err().contains("driverURL"), document.err());
  }

  @Test
  void aTaskWithADockerImageShowsItsContainerAndNoEnvParameterValue() throws IOException {
    Path file = write("docker.json", """
        {"conf": {"spark.executor.uri": "http://repo.example.com/spark-3.5.9-bin-hadoop3.tgz",
                  "spark.mesos.executor.docker.image": "eclipse-temurin:17-jre",
                  "spark.mesos.executor.docker.forcePullImage": "true",
                  "spark.mesos.executor.docker.volumes": "/data:/data:ro",
                  "spark.mesos.executor.docker.parameters": "env=PASSWORD=hunter2-x,label=team=x",
                  "spark.mesos.executor.docker.imag": "typo"},
         "backend": {"driverUrl": "spark://CoarseGrainedScheduler@10.0.0.5:7078", "executorId": "1",
                     "appId": "app", "cores": 1}}""");
    Run run = check(file.toString());
    assertEquals(0, run.code(), run.err());
    String out = run.out();
    assertTrue(out.contains("  container:\n    image:       eclipse-temurin:17-jre"), out);
    assertTrue(out.contains("    force pull:  true\n"), out);
    assertTrue(out.contains("    volumes:     /data:/data:ro\n"), out);
    assertTrue(out.contains("--env=PASSWORD=<hidden>"), out);
    assertFalse(out.contains("hunter2-x"), out);
    assertTrue(out.contains("unknown Spark setting 'spark.mesos.executor.docker.imag'"), out);
  }

  @Test
  void aTaskGroupPrintsOneSectionPerTask() throws IOException {
    String group = "{\"tasks\": [" + JsonFormat.printer().print(commandTask("a", "true"))
        + "," + JsonFormat.printer().print(commandTask("b", "false")) + "]}";
    Run run = check(write("group.json", group).toString());
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().startsWith("task a\n  path:        task of a group"), run.out());
    assertTrue(run.out().contains("\ntask b\n"), run.out());
  }

  @Test
  void mainDispatchesCheck() throws IOException {
    Path file = write("main.json", commandTask("main", "true"));
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = Main.run(List.of("check", file.toString()));
      assertEquals(0, Main.run(List.of("help")));
    } finally {
      System.setOut(stdout);
      io.github.sparkmesos.executor.util.Log.component("executor"); // the mode names the log; the next tests' is this
    }
    assertEquals(0, code);
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("task main\n"), out.toString());
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("spark-mesos-executor check TASK.json"));
  }

  private static TaskInfo commandTask(String id, String command, Environment.Variable... env) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(AgentID.newBuilder().setValue("agent"))
        .setCommand(CommandInfo.newBuilder().setValue(command)
            .setEnvironment(Environment.newBuilder().addAllVariables(List.of(env))))
        .build();
  }

  private static Environment.Variable variable(String name, String value) {
    return Environment.Variable.newBuilder().setName(name).setValue(value).build();
  }

  private static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }
}
