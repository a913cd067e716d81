package io.github.sparkmesos.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.junit.jupiter.api.Test;

/** The TaskInfo of one executor as Spark 3.5's Mesos backend builds it (createCommand, partitionTaskResources). */
class SparkCommandTaskTest {

  private static final SparkCommandTask TASK = new SparkCommandTask("MyApp", "0", "S0",
      "http://127.0.0.1:8000/dist/spark-3.5.9-bin-sme.tgz", true, "spark://CoarseGrainedScheduler@127.0.0.1:7078",
      "fw-0001", "agent-1", 2, 512, "alice");

  @Test
  void theCommandIsSparksOwn() {
    TaskInfo task = TASK.task();
    assertEquals("MyApp 0", task.getName());
    assertFalse(task.hasExecutor());
    assertTrue(task.getData().isEmpty());
    CommandInfo command = task.getCommand();
    assertTrue(command.getShell());
    assertEquals("cd spark-3*;  ./bin/spark-class org.apache.spark.executor.CoarseGrainedExecutorBackend"
        + " --driver-url spark://CoarseGrainedScheduler@127.0.0.1:7078 --executor-id 0 --cores 2"
        + " --app-id fw-0001 --hostname agent-1", command.getValue());
    assertEquals("http://127.0.0.1:8000/dist/spark-3.5.9-bin-sme.tgz", command.getUris(0).getValue());
    assertTrue(command.getUris(0).getExtract() && command.getUris(0).getCache());
    assertEquals("MESOS", task.getContainer().getType().name());
    assertFalse(task.getContainer().hasMesos(), "an empty MESOS container");
  }

  @Test
  void theEnvironmentAndResourcesAreSparks() {
    Map<String, String> env = new LinkedHashMap<>();
    for (Environment.Variable v : TASK.task().getCommand().getEnvironment().getVariablesList()) {
      env.put(v.getName(), v.getValue());
    }
    String opts = env.get("SPARK_EXECUTOR_OPTS");
    assertTrue(opts.startsWith("-Djava.net.preferIPv6Addresses=false -XX:+IgnoreUnrecognizedVMOptions --add-opens="),
        opts);
    assertTrue(opts.endsWith(" -Djdk.reflect.useDirectMethodHandle=false"), opts);
    assertEquals("512m", env.get("SPARK_EXECUTOR_MEMORY"));
    assertEquals("alice", env.get("SPARK_USER"));
    assertEquals("1", env.get("OMP_NUM_THREADS"));
    // 512 + max(51.2, 384)
    assertEquals(896, TASK.memoryWithOverheadMb());
    assertEquals(Map.of("cpus", 2.0, "mem", 896.0), Map.of(
        TASK.task().getResources(0).getName(), TASK.task().getResources(0).getScalar().getValue(),
        TASK.task().getResources(1).getName(), TASK.task().getResources(1).getScalar().getValue()));
    assertEquals(4505, new SparkCommandTask("a", "3", "S0", "x/spark-3.tgz", false, "d", "f", "h", 4, 4096, "u")
        .memoryWithOverheadMb(), "spark-on-mesos.md 1.7: 4096 + 409");
  }

  @Test
  void itsJsonIsMesosV1Json() throws Exception {
    TaskInfo.Builder parsed = TaskInfo.newBuilder();
    JsonFormat.parser().merge(TASK.json(), parsed);
    assertEquals(TASK.task(), parsed.build());
    assertTrue(TASK.json().contains("\"task_id\""), "snake_case field names");
  }
}
