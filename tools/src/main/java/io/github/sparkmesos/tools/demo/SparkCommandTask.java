package io.github.sparkmesos.tools.demo;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.github.sparkmesos.executor.task.JavaModuleOptions;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;

/**
 * One Spark executor as Spark 3.5's {@code MesosCoarseGrainedSchedulerBackend} sends it: a command
 * task (no ExecutorInfo, no data) whose shell command is {@code cd <dist>*;  ./bin/spark-class
 * ...CoarseGrainedExecutorBackend ...} in the sandbox where the agent extracted
 * {@code spark.executor.uri}, with the environment of {@code createCommand}, Spark's memory overhead
 * and the empty MESOS container Spark always attaches.
 *
 * @param agentId       the offer's agent
 * @param frameworkId   the framework id, which Spark passes as {@code --app-id}
 * @param hostname      the offer's host name ({@code --hostname}, as no network name is set)
 * @param fetcherCache  {@code spark.mesos.fetcherCache.enable}
 */
public record SparkCommandTask(String appName, String taskId, String agentId, String executorUri,
    boolean fetcherCache, String driverUrl, String frameworkId, String hostname, int cores, int executorMemoryMb,
    String sparkUser) {

  /** MEMORY_OVERHEAD_MINIMUM and the default spark.executor.memoryOverheadFactor. */
  private static final int OVERHEAD_MINIMUM_MB = 384;
  private static final double OVERHEAD_FACTOR = 0.10;

  public TaskInfo task() {
    return TaskInfo.newBuilder()
        .setName(appName + " " + taskId)
        .setTaskId(TaskID.newBuilder().setValue(taskId))
        .setAgentId(AgentID.newBuilder().setValue(agentId))
        .addResources(scalar("cpus", cores))
        .addResources(scalar("mem", memoryWithOverheadMb()))
        .setCommand(command())
        .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS))
        .setLabels(Labels.getDefaultInstance()) // spark.mesos.task.labels, empty
        .build();
  }

  /** The TaskInfo in Mesos v1 JSON. */
  public String json() {
    try {
      return JsonFormat.printer().preservingProtoFieldNames().print(task()) + "\n";
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a TaskInfo that JsonFormat cannot print: " + e.getMessage(), e);
    }
  }

  /** {@code executorMemory(sc)}: the heap and max(factor x heap, 384 MiB). */
  public int memoryWithOverheadMb() {
    return executorMemoryMb + (int) Math.max(OVERHEAD_FACTOR * executorMemoryMb, OVERHEAD_MINIMUM_MB);
  }

  private CommandInfo command() {
    String basename = executorUri.substring(executorUri.lastIndexOf('/') + 1).split("\\.")[0];
    // no LD_LIBRARY_PATH prefix: hence the two spaces
    String value = "cd " + basename + "*;  ./bin/spark-class org.apache.spark.executor.CoarseGrainedExecutorBackend"
        + " --driver-url " + driverUrl + " --executor-id " + taskId + " --cores " + cores + " --app-id "
        + frameworkId + " --hostname " + hostname;
    // SparkContext prepends the IPv6 preference (3.4+) before the module options (3.3+) to
    // spark.executor.extraJavaOptions, here otherwise unset
    String javaOptions = "-Djava.net.preferIPv6Addresses=false " + String.join(" ", JavaModuleOptions.OPTIONS);
    return CommandInfo.newBuilder()
        .setValue(value)
        .addUris(CommandInfo.URI.newBuilder().setValue(executorUri).setCache(fetcherCache))
        .setEnvironment(Environment.newBuilder()
            .addVariables(variable("SPARK_EXECUTOR_OPTS", javaOptions))
            .addVariables(variable("SPARK_EXECUTOR_MEMORY", executorMemoryMb + "m"))
            .addVariables(variable("SPARK_USER", sparkUser))
            .addVariables(variable("OMP_NUM_THREADS", "1"))) // spark.task.cpus
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
