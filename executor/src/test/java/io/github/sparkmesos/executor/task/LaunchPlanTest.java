package io.github.sparkmesos.executor.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.Secret;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.junit.jupiter.api.Test;

class LaunchPlanTest {

  private static final LaunchPlans.Context CONTEXT =
      new LaunchPlans.Context(Optional.of("alice"), Optional.empty(), Path.of("/sandbox"));

  private static TaskInfo.Builder task(String id) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(AgentID.newBuilder().setValue("a"));
  }

  private static TaskInfo sparkTask(Map<String, String> conf) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("conf", conf);
    doc.put("backend", Map.of("driverUrl", "spark://CoarseGrainedScheduler@127.0.0.1:1", "executorId", "1",
        "appId", "app", "cores", 1));
    return task("s").setData(ByteString.copyFromUtf8(new Gson().toJson(doc))).build();
  }

  @Test
  void aPlanPrintsNoSecretValueAnywhere() throws Exception {
    String secret = "hunter2-very-secret";
    TaskInfo task = task("t").setCommand(CommandInfo.newBuilder().setValue("echo " + secret + " > x")
        .setEnvironment(Environment.newBuilder()
            .addVariables(Environment.Variable.newBuilder().setName("PASSWORD").setType(Environment.Variable.Type.SECRET)
                .setSecret(Secret.newBuilder().setType(Secret.Type.VALUE)
                    .setValue(Secret.Value.newBuilder().setData(ByteString.copyFromUtf8(secret)))))
            .addVariables(Environment.Variable.newBuilder().setName("PLAIN").setValue("visible"))))
        .build();
    LaunchPlan plan = LaunchPlans.forCommandTask(task, CONTEXT);
    assertEquals(secret, new String(plan.secrets().get(0).value().orElseThrow(), java.nio.charset.StandardCharsets.UTF_8),
        "the secrets stage gets the value");
    String printed = plan.withResolvedSecrets(Map.of("PASSWORD", secret), List.of(), java.util.Set.of()).toString();
    assertFalse(printed.contains(secret), printed);
    assertTrue(printed.contains("PASSWORD=<secret>") && printed.contains("PLAIN=visible"), printed);
    assertTrue(printed.contains("secrets=[env PASSWORD <- <value>]"), printed);
    assertTrue(printed.contains("echo <secret> > x"), "a secret inside the command line is masked: " + printed);
  }

  @Test
  void aPlanWithAContainerPrintsNoSecretOrEnvValue() throws Exception {
    String secret = "hunter2-very-secret";
    TaskInfo task = task("t").setCommand(CommandInfo.newBuilder().setValue("true")
        .setEnvironment(Environment.newBuilder()
            .addVariables(Environment.Variable.newBuilder().setName("PASSWORD").setType(Environment.Variable.Type.SECRET)
                .setSecret(Secret.newBuilder().setType(Secret.Type.VALUE)
                    .setValue(Secret.Value.newBuilder().setData(ByteString.copyFromUtf8(secret)))))))
        .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.DOCKER)
            .setDocker(ContainerInfo.DockerInfo.newBuilder().setImage("busybox")
                .addParameters(org.apache.mesos.v1.Protos.Parameter.newBuilder().setKey("env")
                    .setValue("PW=" + secret))
                .addParameters(org.apache.mesos.v1.Protos.Parameter.newBuilder().setKey("label")
                    .setValue("note=" + secret))))
        .build();
    LaunchPlan plan = LaunchPlans.forCommandTask(task, CONTEXT);
    assertEquals("PW=" + secret, plan.container().orElseThrow().parameterValues("env").get(0), "the runtime gets it");
    String printed = plan.toString();
    assertFalse(printed.contains(secret), printed);
    assertTrue(printed.contains("container=ContainerSpec[busybox, network host, parameters [--env=PW=<hidden>"
        + " --label=note=<secret>]]"), printed);
  }

  @Test
  void thePlanSaysWhereTheTaskRunsAndWhatItAsksFor() throws Exception {
    TaskInfo task = task("t").setCommand(CommandInfo.newBuilder().setValue("true"))
        .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)
            .addNetworkInfos(NetworkInfo.newBuilder().setName("overlay").setLabels(Labels.newBuilder()
                .addLabels(Label.newBuilder().setKey("team").setValue("data")))))
        .setHealthCheck(org.apache.mesos.v1.Protos.HealthCheck.newBuilder()
            .setType(org.apache.mesos.v1.Protos.HealthCheck.Type.TCP)
            .setTcp(org.apache.mesos.v1.Protos.HealthCheck.TCPCheckInfo.newBuilder().setPort(8080)))
        .build();
    LaunchPlan plan = LaunchPlans.forCommandTask(task, CONTEXT);
    assertEquals(Path.of("/sandbox/tasks/t"), plan.directory());
    assertEquals(List.of(new LaunchPlan.Network("overlay", Map.of("team", "data"))), plan.networks());
    assertTrue(plan.healthCheck().isPresent());
    assertTrue(plan.warnings().stream().noneMatch(w -> w.contains("network")),
        "a task without a container joins its network through CNI: " + plan.warnings());
  }

  @Test
  void unknownSparkMesosKeysAreWarningsAndOtherKeysAreSparksBusiness() throws Exception {
    LaunchPlan plan = LaunchPlans.forSparkTask(sparkTask(Map.of("spark.executor.uri", "http://h/spark-3.tgz",
        "spark.mesos.executor.docker.imag", "typo", "spark.mesos.driverEnv.FOO", "bar", "spark.whatever", "x",
        "spark.mesos.uris", "")), CONTEXT);
    assertEquals(List.of("unknown Spark setting 'spark.mesos.executor.docker.imag' is ignored (not a spark.mesos.* key"
        + " this executor knows)"), plan.warnings());
  }

  @Test
  void sparkNetworkNameAndLabelsAreParsedAsSparkDoes() throws Exception {
    LaunchPlan plan = LaunchPlans.forSparkTask(sparkTask(Map.of("spark.executor.uri", "http://h/spark-3.tgz",
        "spark.mesos.network.name", "cni-net", "spark.mesos.network.labels", "a:1,b\\,c:2\\:3")), CONTEXT);
    Map<String, String> inOrder = new java.util.LinkedHashMap<>();
    inOrder.put("a", "1");
    inOrder.put("b,c", "2:3");
    // in their order: the plugins read them in a list
    assertEquals(List.of(new LaunchPlan.Network("cni-net", inOrder)), plan.networks());
    assertEquals(List.of("a", "b,c"), plan.networks().get(0).info().getLabels().getLabelsList().stream()
        .map(org.apache.mesos.v1.Protos.Label::getKey).toList());
    InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> LaunchPlans.forSparkTask(sparkTask(Map.of(
        "spark.executor.uri", "http://h/spark-3.tgz", "spark.mesos.network.name", "n",
        "spark.mesos.network.labels", "k:v:x")), CONTEXT));
    assertTrue(e.getMessage().startsWith("TaskInfo.data.conf.spark.mesos.network.labels: malformed label 'k:v:x'"),
        e.getMessage());
  }

  @Test
  void urisAreCheckedBeforeAnythingIsFetched() {
    InvalidTaskException scheme = assertThrows(InvalidTaskException.class, () -> LaunchPlans.forCommandTask(
        task("t").setCommand(CommandInfo.newBuilder().setValue("true")
            .addUris(CommandInfo.URI.newBuilder().setValue("http://h/ok.tgz"))
            .addUris(CommandInfo.URI.newBuilder().setValue("gopher://h/x"))).build(), CONTEXT));
    assertTrue(scheme.getMessage().startsWith("TaskInfo.command.uris[1]: "), scheme.getMessage());
    InvalidTaskException output = assertThrows(InvalidTaskException.class, () -> LaunchPlans.forCommandTask(
        task("t").setCommand(CommandInfo.newBuilder().setValue("true")
            .addUris(CommandInfo.URI.newBuilder().setValue("http://h/x").setOutputFile("../escape"))).build(), CONTEXT));
    assertTrue(output.getMessage().contains("output_file must not contain '..'"), output.getMessage());
    InvalidTaskException checksum = assertThrows(InvalidTaskException.class, () -> LaunchPlans.forSparkTask(sparkTask(
        Map.of("spark.executor.uri", "http://h/spark-3.tgz#sha256=abc")), CONTEXT));
    assertTrue(checksum.getMessage().startsWith("TaskInfo.data.conf.spark.executor.uri: "), checksum.getMessage());
  }

  private static org.apache.mesos.v1.Protos.Resource scalar(String name, double value, String role) {
    return org.apache.mesos.v1.Protos.Resource.newBuilder().setName(name)
        .setType(org.apache.mesos.v1.Protos.Value.Type.SCALAR)
        .setScalar(org.apache.mesos.v1.Protos.Value.Scalar.newBuilder().setValue(value))
        .setAllocationInfo(org.apache.mesos.v1.Protos.Resource.AllocationInfo.newBuilder().setRole(role)).build();
  }

  @Test
  void wholeGpusAreSummedAndAFractionIsRefused() throws Exception {
    TaskInfo.Builder task = task("g").setCommand(CommandInfo.newBuilder().setValue("true"))
        .addResources(scalar("gpus", 1, "a")).addResources(scalar("gpus", 2, "b"));
    LaunchPlan plan = LaunchPlans.forCommandTask(task.build(), CONTEXT);
    assertEquals(Optional.of(3L), plan.resources().gpus());
    assertTrue(plan.toString().contains("gpus 3"), plan.toString());
    InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> LaunchPlans.forCommandTask(
        task.addResources(scalar("gpus", 0.5, "c")).build(), CONTEXT));
    assertEquals("TaskInfo.resources[2] (gpus): must be a whole non-negative number", e.getMessage());
  }

  @Test
  void theTasksCpusAndMemAreSummedOverItsResourceEntries() throws Exception {
    TaskInfo task = task("r").setCommand(CommandInfo.newBuilder().setValue("true"))
        .addResources(scalar("cpus", 1.5, "a")).addResources(scalar("cpus", 0.5, "b"))
        .addResources(scalar("mem", 4096, "a")).addResources(scalar("mem", 409.7, "b"))
        .addResources(scalar("disk", 10, "a")).build();
    LaunchPlan plan = LaunchPlans.forCommandTask(task, CONTEXT);
    assertEquals(new LaunchPlan.Resources(Optional.of(2.0), Optional.of(4505L)), plan.resources());
    assertTrue(plan.toString().contains("cpus 2.0, mem 4505 MiB"), plan.toString());

    LaunchPlan none = LaunchPlans.forCommandTask(task("n").setCommand(CommandInfo.newBuilder().setValue("true"))
        .build(), CONTEXT);
    assertEquals(LaunchPlan.Resources.NONE, none.resources());

    InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> LaunchPlans.forCommandTask(
        task("b").setCommand(CommandInfo.newBuilder().setValue("true")).addResources(scalar("mem", -1, "a")).build(),
        CONTEXT));
    assertTrue(e.getMessage().contains("TaskInfo.resources[0] (mem)"), e.getMessage());
  }
}
