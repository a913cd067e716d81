package io.github.sparkmesos.executor.harness;

import com.google.gson.GsonBuilder;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TaskInfos in Mesos v1 JSON, as the harness reads them from its task file. */
public final class TaskInfos {

  private TaskInfos() {}

  /** A LAUNCH TaskInfo (1 cpu, 896 MB) whose {@code data} is the given Spark task document. */
  public static String taskInfoJson(String taskId, byte[] data) {
    Map<String, Object> task = new LinkedHashMap<>();
    task.put("name", "spark-mesos-executor-pi " + taskId);
    task.put("task_id", Map.of("value", taskId));
    task.put("agent_id", Map.of("value", Harness.AGENT_ID));
    task.put("resources", List.of(
        Map.of("name", "cpus", "type", "SCALAR", "scalar", Map.of("value", 1)),
        Map.of("name", "mem", "type", "SCALAR", "scalar", Map.of("value", 896))));
    task.put("data", Base64.getEncoder().encodeToString(data));
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(task) + "\n";
  }
}
