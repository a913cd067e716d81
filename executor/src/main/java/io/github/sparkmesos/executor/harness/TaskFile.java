package io.github.sparkmesos.executor.harness;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * The harness's task file: a TaskInfo (one LAUNCH), a JSON array of TaskInfos (one LAUNCH each) or a
 * TaskGroupInfo {"tasks": [...]} (one LAUNCH_GROUP), in Mesos v1 JSON, with what the master and agent
 * fill in (agent_id, a name) added when missing.
 */
public record TaskFile(List<TaskInfo> tasks, boolean group) {

  public static TaskFile read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /** @param file what the text came from, for error messages */
  public static TaskFile parse(String text, String file) {
    List<TaskInfo> tasks = new ArrayList<>();
    boolean group = false;
    try {
      JsonElement root = JsonParser.parseString(text);
      if (root.isJsonArray()) {
        for (JsonElement e : root.getAsJsonArray()) {
          tasks.add(parseTask(e.getAsJsonObject()));
        }
      } else if (root.getAsJsonObject().has("tasks")) {
        group = true;
        for (JsonElement e : root.getAsJsonObject().getAsJsonArray("tasks")) {
          tasks.add(parseTask(e.getAsJsonObject()));
        }
      } else {
        tasks.add(parseTask(root.getAsJsonObject()));
      }
    } catch (RuntimeException | InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(file + ": not a TaskInfo or TaskGroupInfo in Mesos v1 JSON: "
          + e.getMessage(), e);
    }
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException(file + ": the task group has no tasks");
    }
    for (TaskInfo task : tasks) {
      String id = task.getTaskId().getValue();
      if (task.hasCommand() && task.hasExecutor()) {
        throw new IllegalArgumentException(file + ": task " + id + " has both command and executor, which Mesos"
            + " refuses (\"Task should have at least one (but not both) of CommandInfo or ExecutorInfo present\")");
      }
      if (!group && tasks.size() > 1 && CommandTaskExecutor.isCommandTask(task)) {
        throw new IllegalArgumentException(file + ": task " + id + " is a command task (command, no executor, no"
            + " data), which an agent runs in a command executor of its own: give it in a task file of its own");
      }
    }
    return new TaskFile(List.copyOf(tasks), group);
  }

  /** The task an agent would run under its command executor, when the file holds one such task alone. */
  public Optional<TaskInfo> commandTask() {
    return !group && tasks.size() == 1 && CommandTaskExecutor.isCommandTask(tasks.get(0))
        ? Optional.of(tasks.get(0)) : Optional.empty();
  }

  private static TaskInfo parseTask(JsonObject json) throws InvalidProtocolBufferException {
    if (!json.has("agent_id") && !json.has("agentId")) {
      JsonObject agent = new JsonObject();
      agent.addProperty("value", Harness.AGENT_ID);
      json.add("agent_id", agent);
    }
    if (!json.has("name") && json.has("task_id") && json.get("task_id").isJsonObject()) {
      json.addProperty("name", "task " + json.getAsJsonObject("task_id").get("value").getAsString());
    }
    TaskInfo.Builder b = TaskInfo.newBuilder();
    JsonFormat.parser().merge(json.toString(), b);
    if (!b.isInitialized()) {
      throw new IllegalArgumentException("missing required fields " + b.findInitializationErrors());
    }
    return b.build();
  }

  /** A TaskInfo for this executor as Mesos v1 JSON: {@code data} is its TaskInfo.data (the Spark document). */
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

  /**
   * A LAUNCH TaskInfo whose Spark task document runs {@code command} (a shell command) instead of the
   * backend, with {@code conf} as its Spark configuration: for tests, benchmarks and trying things.
   */
  public static String commandTask(String taskId, String command, Map<String, ?> conf) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("conf", conf);
    doc.put("backend", Map.of("driverUrl", "spark://CoarseGrainedScheduler@127.0.0.1:1", "executorId", taskId,
        "appId", "app-" + taskId, "cores", 1));
    doc.put("command", command);
    return taskInfoJson(taskId, new GsonBuilder().create().toJson(doc).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
