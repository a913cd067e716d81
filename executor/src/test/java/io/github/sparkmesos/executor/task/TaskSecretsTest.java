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
import org.apache.mesos.v1.Protos.Secret;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Volume;
import org.junit.jupiter.api.Test;

/** Every place a task may ask for a secret, and every rule a secret setting can break. */
class TaskSecretsTest {

  private static final LaunchPlans.Context CONTEXT =
      new LaunchPlans.Context(Optional.of("alice"), Optional.empty(), Path.of("/sandbox"));
  private static final String VALUE = "v4lue-never-shown";
  private static final String PREFIX = "TaskInfo.data.conf.spark.mesos.executor.secret.";

  private static TaskInfo.Builder task(String id) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(AgentID.newBuilder().setValue("a"));
  }

  private static TaskInfo sparkTask(Map<String, String> conf) {
    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, String> all = new LinkedHashMap<>(conf);
    all.put("spark.executor.uri", "http://127.0.0.1:1/spark-3.5.9-bin-hadoop3.tgz");
    doc.put("conf", all);
    doc.put("backend", Map.of("driverUrl", "spark://CoarseGrainedScheduler@127.0.0.1:1", "executorId", "1",
        "appId", "app", "cores", 1));
    return task("s").setData(ByteString.copyFromUtf8(new Gson().toJson(doc))).build();
  }

  private static String refused(Map<String, String> conf) {
    InvalidTaskException e = assertThrows(InvalidTaskException.class,
        () -> LaunchPlans.forSparkTask(sparkTask(conf), CONTEXT));
    assertFalse(e.getMessage().contains(VALUE), e.getMessage());
    return e.getMessage();
  }

  @Test
  void sparkNamesPairWithEnvKeysAndFileNamesByPosition() throws Exception {
    LaunchPlan plan = LaunchPlans.forSparkTask(sparkTask(Map.of(
        "spark.mesos.executor.secret.names", "db/password, tls-key",
        "spark.mesos.executor.secret.envkeys", "DB_PASSWORD,TLS_KEY",
        "spark.mesos.executor.secret.filenames", "conf/db.pw,tls.key")), CONTEXT);
    assertEquals("[env DB_PASSWORD <- name 'db/password', file conf/db.pw <- name 'db/password',"
        + " env TLS_KEY <- name 'tls-key', file tls.key <- name 'tls-key']", plan.secrets().toString());
    assertTrue(plan.secretValues().isEmpty());
  }

  @Test
  void sparkValuesAreSecretValuesOfThePlanAndNeverPrinted() throws Exception {
    LaunchPlan plan = LaunchPlans.forSparkTask(sparkTask(Map.of(
        "spark.mesos.executor.secret.values", VALUE, "spark.mesos.executor.secret.envkeys", "TOKEN")), CONTEXT);
    assertEquals(java.util.Set.of(VALUE), plan.secretValues());
    assertEquals("[env TOKEN <- <value>]", plan.secrets().toString());
    assertFalse(plan.toString().contains(VALUE), plan.toString());
  }

  @Test
  void eachBrokenSparkRuleNamesItsSettingAndNoValue() {
    assertTrue(refused(Map.of("spark.mesos.executor.secret.names", "a", "spark.mesos.executor.secret.values", VALUE,
        "spark.mesos.executor.secret.envkeys", "A")).startsWith(PREFIX + "names: must not be given with"));
    assertTrue(refused(Map.of("spark.mesos.executor.secret.values", VALUE + "," + VALUE + "2",
        "spark.mesos.executor.secret.envkeys", "A")).startsWith(PREFIX + "envkeys: has 1 entries for 2 secret(s)"));
    assertTrue(refused(Map.of("spark.mesos.executor.secret.names", "a",
        "spark.mesos.executor.secret.filenames", "x,y")).startsWith(PREFIX + "filenames: has 2 entries for 1"));
    assertTrue(refused(Map.of("spark.mesos.executor.secret.envkeys", "A"))
        .startsWith(PREFIX + "envkeys: has 1 entries for 0 secret(s)"));
    assertTrue(refused(Map.of("spark.mesos.executor.secret.values", VALUE,
        "spark.mesos.executor.secret.envkeys", "NOT-A-NAME")).startsWith(PREFIX + "values[0]: 'NOT-A-NAME' is not"));
    assertTrue(refused(Map.of("spark.mesos.executor.secret.values", VALUE,
        "spark.mesos.executor.secret.filenames", "../outside")).startsWith(PREFIX + "filenames[0]: '../outside' must"));
    assertTrue(refused(Map.of("spark.mesos.executor.secret.values", VALUE,
        "spark.mesos.executor.secret.filenames", "/etc/cron.d/x")).startsWith(PREFIX + "values[0]: '/etc/cron.d/x' is"
            + " outside the task's sandbox"));
    assertTrue(refused(Map.of("spark.mesos.executor.secret.values", VALUE + "," + VALUE + "2",
        "spark.mesos.executor.secret.envkeys", "A,A")).startsWith(PREFIX + "values[1]: sets the variable A as"));
    assertTrue(refused(Map.of("spark.mesos.executor.secret.values", VALUE,
        "spark.mesos.executor.secret.envkeys", "MESOS_EXECUTOR_AUTHENTICATION_TOKEN"))
        .startsWith(PREFIX + "values[0]: 'MESOS_EXECUTOR_AUTHENTICATION_TOKEN' is reserved"));
  }

  @Test
  void secretsWithNeitherFormAreReportedAsUnused() throws Exception {
    LaunchPlan plan = LaunchPlans.forSparkTask(sparkTask(Map.of("spark.mesos.executor.secret.names", "a,b")),
        CONTEXT);
    assertTrue(plan.secrets().isEmpty());
    assertTrue(plan.warnings().stream().anyMatch(w -> w.startsWith(PREFIX + "names: 2 secret(s) given with neither")),
        plan.warnings().toString());
  }

  @Test
  void aContainerTakesAFileSecretAtAnAbsolutePathAndAHostTaskOnlyInsideItsSandbox() throws Exception {
    Volume secretVolume = Volume.newBuilder().setContainerPath("/etc/app/key").setMode(Volume.Mode.RO)
        .setSource(Volume.Source.newBuilder().setType(Volume.Source.Type.SECRET).setSecret(reference("key")))
        .build();
    TaskInfo inContainer = task("c").setCommand(CommandInfo.newBuilder().setValue("true"))
        .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.DOCKER)
            .setDocker(ContainerInfo.DockerInfo.newBuilder().setImage("busybox")).addVolumes(secretVolume)).build();
    assertEquals("[file /etc/app/key <- name 'key']", LaunchPlans.forCommandTask(inContainer, CONTEXT).secrets()
        .toString());
    TaskInfo onHost = task("h").setCommand(CommandInfo.newBuilder().setValue("true"))
        .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS).addVolumes(secretVolume)).build();
    InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> LaunchPlans.forCommandTask(onHost, CONTEXT));
    assertTrue(e.getMessage().startsWith("TaskInfo.container.volumes[0].source.secret: '/etc/app/key' is outside"),
        e.getMessage());
  }

  @Test
  void aMalformedSecretProtoIsRefusedByItsField() {
    Secret bothKinds = Secret.newBuilder().setType(Secret.Type.REFERENCE)
        .setReference(Secret.Reference.newBuilder().setName("a"))
        .setValue(Secret.Value.newBuilder().setData(ByteString.copyFromUtf8(VALUE))).build();
    Secret unnamed = reference("");
    Secret binaryForEnv = Secret.newBuilder().setType(Secret.Type.VALUE)
        .setValue(Secret.Value.newBuilder().setData(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xfe}))).build();
    Map<Secret, String> cases = Map.of(bothKinds, "TaskInfo.command.environment.S: a secret must be of type VALUE",
        unnamed, "TaskInfo.command.environment.S.reference.name: a secret reference needs a name",
        binaryForEnv, "TaskInfo.command.environment.S: a secret for an environment variable must be UTF-8");
    for (Map.Entry<Secret, String> c : cases.entrySet()) {
      TaskInfo t = task("t").setCommand(CommandInfo.newBuilder().setValue("true").setEnvironment(Environment.newBuilder()
          .addVariables(Environment.Variable.newBuilder().setName("S").setType(Environment.Variable.Type.SECRET)
              .setSecret(c.getKey())))).build();
      InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> LaunchPlans.forCommandTask(t, CONTEXT));
      assertTrue(e.getMessage().startsWith(c.getValue()), e.getMessage());
      assertFalse(e.getMessage().contains(VALUE), e.getMessage());
    }
  }

  @Test
  void theAgentsResolvedSecretsAreNotResolvedAgainOnTheCommandExecutorPath() throws Exception {
    TaskInfo t = task("c").setCommand(CommandInfo.newBuilder().setValue("true").setEnvironment(Environment.newBuilder()
        .addVariables(Environment.Variable.newBuilder().setName("BY_AGENT").setType(Environment.Variable.Type.SECRET)
            .setSecret(reference("a")))
        .addVariables(Environment.Variable.newBuilder().setName("LEFT").setType(Environment.Variable.Type.SECRET)
            .setSecret(reference("b"))))).build();
    io.github.sparkmesos.executor.mesos.CommandExecutorFlags flags = io.github.sparkmesos.executor.mesos
        .CommandExecutorFlags.parse(List.of(
            "--task_environment={\"variables\":[{\"name\":\"BY_AGENT\",\"value\":\"resolved\"}]}"),
            new java.util.ArrayList<>());
    LaunchPlan plan = LaunchPlans.forAgentCommandTask(t, new LaunchPlans.Context(Optional.empty(), Optional.empty(),
        Path.of("/sandbox"), flags));
    assertEquals("[env LEFT <- name 'b']", plan.secrets().toString());
    assertEquals("resolved", plan.environment().get("BY_AGENT"));
  }

  private static Secret reference(String name) {
    return Secret.newBuilder().setType(Secret.Type.REFERENCE).setReference(Secret.Reference.newBuilder().setName(name))
        .build();
  }
}
