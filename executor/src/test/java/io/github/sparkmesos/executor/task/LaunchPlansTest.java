package io.github.sparkmesos.executor.task;

import static io.github.sparkmesos.executor.task.SparkTaskDocumentTest.backend;
import static io.github.sparkmesos.executor.task.SparkTaskDocumentTest.document;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.Image;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.Secret;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import io.github.sparkmesos.executor.runtime.ProcessRuntime;
import io.github.sparkmesos.executor.runtime.Runtimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LaunchPlansTest {

  private static final LaunchPlans.Context CONTEXT = new LaunchPlans.Context(Optional.of("alice"), Optional.empty(),
      java.nio.file.Path.of("/sandbox"));
  /** Runtimes whose Docker engine cannot be reached: what an image asks for fails the launch, naming it. */
  private static final Runtimes RUNTIMES = new Runtimes(new ProcessRuntime(Map.of()), () -> {
    throw new IllegalStateException("no engine in this test");
  });
  private static final String URI = "http://h/x/spark-3.5.9-bin-sme.tgz";

  private static TaskInfo.Builder task(String id) {
    return TaskInfo.newBuilder().setName("task " + id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(AgentID.newBuilder().setValue("agent-1"));
  }

  private static TaskInfo.Builder sparkTask(String id, Map<String, ?> conf) {
    return task(id).setData(ByteString.copyFromUtf8(new Gson().toJson(document(conf, backend()))));
  }

  private static Environment.Variable value(String name, String value) {
    return Environment.Variable.newBuilder().setName(name).setValue(value).build();
  }

  private static Environment.Variable valueSecret(String name, String secret) {
    return Environment.Variable.newBuilder().setName(name).setType(Environment.Variable.Type.SECRET)
        .setSecret(Secret.newBuilder().setType(Secret.Type.VALUE)
            .setValue(Secret.Value.newBuilder().setData(ByteString.copyFromUtf8(secret))))
        .build();
  }

  private static Environment.Variable referenceSecret(String name, String reference) {
    return Environment.Variable.newBuilder().setName(name).setType(Environment.Variable.Type.SECRET)
        .setSecret(Secret.newBuilder().setType(Secret.Type.REFERENCE)
            .setReference(Secret.Reference.newBuilder().setName(reference).setKey("password")))
        .build();
  }

  private static TaskInfo commandTask(CommandInfo.Builder command) {
    return task("t1").setCommand(command).build();
  }

  private static void assertStartsWith(String prefix, Exception e) {
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
  }

  // ---- forSparkTask

  @Test
  void aSparkTaskBecomesAShellCommandWithSparksEnvironmentAndUris() throws Exception {
    LaunchPlan spec = LaunchPlans.forSparkTask(sparkTask("spark-3", Map.of("spark.executor.uri", URI)).build(), CONTEXT);
    assertEquals("spark-3", spec.taskId());
    assertEquals(List.of("/bin/sh", "-c", "cd spark-3*; ./bin/spark-class org.apache.spark.executor.CoarseGrainedExecutorBackend"
        + " --driver-url spark://CoarseGrainedScheduler@127.0.0.1:7078 --executor-id 3 --cores 2 --app-id app-1"
        + " --hostname 127.0.0.1"), spec.argv());
    assertEquals(List.of(FetchUri.archive(URI, false, "TaskInfo.data.conf.spark.executor.uri")), spec.uris());
    assertEquals("alice", spec.environment().get("SPARK_USER"));
    assertEquals("1024m", spec.environment().get("SPARK_EXECUTOR_MEMORY"));
    assertEquals(Optional.empty(), spec.killGracePeriod());
    assertEquals(java.util.Set.of(), spec.secretValues());
  }

  @Test
  void aSparkTaskWithTaskInfoCommandIsRefused() {
    TaskInfo task = sparkTask("t1", Map.of("spark.executor.uri", URI))
        .setCommand(CommandInfo.newBuilder().setValue("echo hi")).build();
    assertStartsWith("TaskInfo.command: ", assertThrows(InvalidTaskException.class,
        () -> LaunchPlans.forSparkTask(task, CONTEXT)));
  }

  @Test
  void aHostnameIsATasksInItsOwnNetworksOnly() throws Exception {
    org.apache.mesos.v1.Protos.ContainerInfo.Builder container = org.apache.mesos.v1.Protos.ContainerInfo.newBuilder()
        .setType(org.apache.mesos.v1.Protos.ContainerInfo.Type.MESOS).setHostname("spark-exec-1.example");
    TaskInfo onTheHost = task("h").setCommand(CommandInfo.newBuilder().setValue("true")).setContainer(container)
        .build();
    assertStartsWith("TaskInfo.container.hostname: cannot be set for a task on the host's network",
        assertThrows(InvalidTaskException.class, () -> LaunchPlans.forCommandTask(onTheHost, CONTEXT)));

    container.addNetworkInfos(org.apache.mesos.v1.Protos.NetworkInfo.newBuilder().setName("net-a"));
    TaskInfo networked = onTheHost.toBuilder().setContainer(container).build();
    assertEquals(Optional.of("spark-exec-1.example"), LaunchPlans.forCommandTask(networked, CONTEXT).hostname());
    for (String bad : List.of("-lead", "trail-", "two words", "line\nbreak", "a..b", "x".repeat(65))) {
      TaskInfo task = networked.toBuilder().setContainer(container.setHostname(bad)).build();
      assertStartsWith("TaskInfo.container.hostname: '" + bad + "' is not a hostname",
          assertThrows(InvalidTaskException.class, () -> LaunchPlans.forCommandTask(task, CONTEXT)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "..", ".", "../escape", "", "with space", "tab\there", "nl\n"})
  void aTaskIdThatIsNotAPlainFileNameIsRefused(String id) {
    TaskInfo spark = sparkTask(id, Map.of("spark.executor.uri", URI)).build();
    assertStartsWith("TaskInfo.task_id: ", assertThrows(InvalidTaskException.class,
        () -> LaunchPlans.forSparkTask(spark, CONTEXT)));
    TaskInfo command = task(id).setCommand(CommandInfo.newBuilder().setValue("true")).build();
    assertStartsWith("TaskInfo.task_id: ", assertThrows(InvalidTaskException.class,
        () -> LaunchPlans.forCommandTask(command, CONTEXT)));
  }

  @Test
  void aTaskIdWithDotsInsideIsFine() throws Exception {
    assertEquals("app.1..exec-3", LaunchPlans.forSparkTask(sparkTask("app.1..exec-3", Map.of("spark.executor.uri", URI))
        .build(), CONTEXT).taskId());
  }

  @Test
  void aDockerImageInConfNeedsTheEngine() throws Exception {
    TaskInfo task = sparkTask("t1", Map.of("spark.executor.uri", URI,
        "spark.mesos.executor.docker.image", "apache/spark:3.5.1")).build();
    LaunchPlan plan = LaunchPlans.forSparkTask(task, CONTEXT);
    assertEquals("apache/spark:3.5.1", plan.container().orElseThrow().image().toString());
    assertEquals(LaunchPlan.Containerizer.DOCKER, plan.containerizer());
    LaunchFailedException e = assertThrows(LaunchFailedException.class, () -> RUNTIMES.select(plan));
    assertTrue(e.getMessage().startsWith("Cannot reach the Docker engine for image 'apache/spark:3.5.1'"),
        e.getMessage());
  }

  @Test
  void anInvalidDockerImageNameIsAnInvalidTask() {
    TaskInfo task = sparkTask("t1", Map.of("spark.executor.uri", URI,
        "spark.mesos.executor.docker.image", "Apache/Spark:3.5.1")).build();
    assertStartsWith("TaskInfo.data.conf.spark.mesos.executor.docker.image: ", assertThrows(InvalidTaskException.class,
        () -> LaunchPlans.forSparkTask(task, CONTEXT)));
  }

  @Test
  void aContainerImageInTaskInfoNeedsTheEngine() {
    TaskInfo docker = sparkTask("t1", Map.of("spark.executor.uri", URI))
        .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.DOCKER)
            .setDocker(ContainerInfo.DockerInfo.newBuilder().setImage("apache/spark:3.5.1"))).build();
    assertThrows(LaunchFailedException.class, () -> RUNTIMES.select(LaunchPlans.forSparkTask(docker, CONTEXT)));
    TaskInfo mesosImage = task("t1").setCommand(CommandInfo.newBuilder().setValue("true"))
        .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)
            .setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(Image.newBuilder().setType(Image.Type.DOCKER)
                .setDocker(Image.Docker.newBuilder().setName("alpine"))))).build();
    assertThrows(LaunchFailedException.class, () -> RUNTIMES.select(LaunchPlans.forCommandTask(mesosImage, CONTEXT)));
  }

  @Test
  void theKillPolicyGraceIsCarriedIntoTheSpec() throws Exception {
    KillPolicy policy = KillPolicy.newBuilder().setGracePeriod(DurationInfo.newBuilder().setNanoseconds(7_500_000_000L)).build();
    LaunchPlan spark = LaunchPlans.forSparkTask(sparkTask("t1", Map.of("spark.executor.uri", URI)).setKillPolicy(policy)
        .build(), CONTEXT);
    assertEquals(Optional.of(Duration.ofMillis(7500)), spark.killGracePeriod());
    LaunchPlan command = LaunchPlans.forCommandTask(task("t1").setCommand(CommandInfo.newBuilder().setValue("true"))
        .setKillPolicy(policy).build(), CONTEXT);
    assertEquals(Optional.of(Duration.ofMillis(7500)), command.killGracePeriod());
    LaunchPlan negative = LaunchPlans.forCommandTask(task("t1").setCommand(CommandInfo.newBuilder().setValue("true"))
        .setKillPolicy(KillPolicy.newBuilder().setGracePeriod(DurationInfo.newBuilder().setNanoseconds(-5))).build(), CONTEXT);
    assertEquals(Optional.of(Duration.ZERO), negative.killGracePeriod());
  }

  @Test
  void anInvalidDocumentIsAnInvalidTask() {
    TaskInfo empty = task("t1").build();
    assertStartsWith("TaskInfo.data: ", assertThrows(InvalidTaskException.class,
        () -> LaunchPlans.forSparkTask(empty, CONTEXT)));
  }

  // ---- forCommandTask

  @Test
  void shellFalseRunsValueWithTheArguments() throws Exception {
    LaunchPlan spec = LaunchPlans.forCommandTask(commandTask(CommandInfo.newBuilder().setShell(false)
        .setValue("/bin/echo").addAllArguments(List.of("echo", "a b", "$HOME"))), CONTEXT);
    assertEquals(List.of("/bin/echo", "a b", "$HOME"), spec.argv());
    assertEquals(List.of("/bin/printf"), LaunchPlans.forCommandTask(commandTask(CommandInfo.newBuilder().setShell(false)
        .setValue("/bin/printf")), CONTEXT).argv());
  }

  @Test
  void shellTrueOrUnsetRunsValueThroughTheShell() throws Exception {
    assertEquals(List.of("/bin/sh", "-c", "echo $HOME"),
        LaunchPlans.forCommandTask(commandTask(CommandInfo.newBuilder().setValue("echo $HOME")), CONTEXT).argv());
    assertEquals(List.of("/bin/sh", "-c", "echo hi"),
        LaunchPlans.forCommandTask(commandTask(CommandInfo.newBuilder().setShell(true).setValue("echo hi")), CONTEXT).argv());
  }

  @Test
  void aCommandWithoutValueIsRefused() {
    assertStartsWith("TaskInfo.command.value: ", assertThrows(InvalidTaskException.class,
        () -> LaunchPlans.forCommandTask(commandTask(CommandInfo.newBuilder().setShell(false).addArguments("x")), CONTEXT)));
    assertStartsWith("TaskInfo.command.value: ", assertThrows(InvalidTaskException.class,
        () -> LaunchPlans.forCommandTask(commandTask(CommandInfo.newBuilder().setValue(" ")), CONTEXT)));
    assertStartsWith("TaskInfo.command: ", assertThrows(InvalidTaskException.class,
        () -> LaunchPlans.forCommandTask(task("t1").build(), CONTEXT)));
  }

  @Test
  void environmentVariablesAndUrisAreCarried() throws Exception {
    LaunchPlan spec = LaunchPlans.forCommandTask(commandTask(CommandInfo.newBuilder().setValue("true")
        .setEnvironment(Environment.newBuilder().addVariables(value("GREETING", "hello world")).addVariables(value("EMPTY", "")))
        .addUris(CommandInfo.URI.newBuilder().setValue("http://h/tool").setExtract(false).setExecutable(true)
            .setCache(true).setOutputFile("bin/tool"))
        .addUris(CommandInfo.URI.newBuilder().setValue("http://h/data.tgz"))), CONTEXT);
    assertEquals(Map.of("GREETING", "hello world", "EMPTY", ""), spec.environment());
    assertEquals(List.of(new FetchUri("http://h/tool", false, true, true, "bin/tool", "TaskInfo.command.uris[0]"),
        new FetchUri("http://h/data.tgz", true, false, false, null, "TaskInfo.command.uris[1]")), spec.uris());
    assertEquals(java.util.Set.of(), spec.secretValues());
  }

  @Test
  void aValueSecretIsASecretOfThePlanNotAPlainVariable() throws Exception {
    LaunchPlan spec = LaunchPlans.forCommandTask(commandTask(CommandInfo.newBuilder().setValue("true")
        .setEnvironment(Environment.newBuilder().addVariables(value("PLAIN", "p"))
            .addVariables(valueSecret("DB_PASSWORD", "s3cr3t-value")))), CONTEXT);
    assertEquals(Map.of("PLAIN", "p"), spec.environment(), "the secrets stage sets it, for the runtime only");
    assertEquals(List.of(TaskSecret.ofValue("TaskInfo.command.environment.DB_PASSWORD",
        "s3cr3t-value".getBytes(java.nio.charset.StandardCharsets.UTF_8), TaskSecret.Delivery.ENVIRONMENT,
        "DB_PASSWORD")), spec.secrets());
    assertEquals(java.util.Set.of("s3cr3t-value"), spec.secretValues());
  }

  @Test
  void aReferenceSecretIsCarriedAsItsReferenceWithoutAnyValue() throws Exception {
    TaskInfo task = commandTask(CommandInfo.newBuilder().setValue("true").setEnvironment(Environment.newBuilder()
        .addVariables(valueSecret("API_KEY", "topsecret-api-key"))
        .addVariables(referenceSecret("DB_PASSWORD", "/prod/db"))));
    LaunchPlan plan = LaunchPlans.forCommandTask(task, CONTEXT);
    TaskSecret ref = plan.secrets().get(1);
    assertEquals(Optional.of(io.github.sparkmesos.secrets.SecretReference.of("/prod/db", "password")),
        ref.reference());
    assertTrue(ref.value().isEmpty());
    assertEquals("env DB_PASSWORD <- name '/prod/db' key 'password'", ref.toString());
    assertFalse(plan.toString().contains("topsecret-api-key"), plan.toString());
  }

  @Test
  void malformedSecretVariablesAreRefused() {
    Environment.Variable secretWithValue = valueSecret("X", "hidden-value").toBuilder().setValue("also").build();
    Environment.Variable valueWithSecret = valueSecret("Y", "hidden-value").toBuilder()
        .setType(Environment.Variable.Type.VALUE).build();
    Environment.Variable nulInSecret = valueSecret("Z", "a\0b");
    for (Environment.Variable v : List.of(secretWithValue, valueWithSecret, nulInSecret)) {
      InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> LaunchPlans.forCommandTask(
          commandTask(CommandInfo.newBuilder().setValue("true").setEnvironment(Environment.newBuilder().addVariables(v))), CONTEXT));
      assertStartsWith("TaskInfo.command.environment." + v.getName() + ": ", e);
      assertFalse(e.getMessage().contains("hidden-value"), e.getMessage());
    }
  }

  @Test
  void theAgentTokenCannotBeSetByATask() {
    for (Environment.Variable v : List.of(value("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "forged"),
        valueSecret("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "forged"))) {
      InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> LaunchPlans.forCommandTask(
          commandTask(CommandInfo.newBuilder().setValue("true").setEnvironment(Environment.newBuilder().addVariables(v))), CONTEXT));
      assertStartsWith("TaskInfo.command.environment.MESOS_EXECUTOR_AUTHENTICATION_TOKEN: ", e);
    }
  }

  @Test
  void anInvalidVariableNameIsRefused() {
    InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> LaunchPlans.forCommandTask(
        commandTask(CommandInfo.newBuilder().setValue("true")
            .setEnvironment(Environment.newBuilder().addVariables(value("A=B", "x")))), CONTEXT));
    assertStartsWith("TaskInfo.command.environment.A=B: ", e);
  }
}
