package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the real harness (and through it a real executor JVM) on a task file, for tests. */
public final class HarnessRun {

  private HarnessRun() {}

  public static Map<String, Object> backend(String taskId) {
    return Map.of("driverUrl", "spark://CoarseGrainedScheduler@127.0.0.1:1", "executorId", taskId,
        "appId", "app-test", "cores", 1);
  }

  public record Run(Harness.Result result, List<String> stdout) {}

  public static Run run(Path dir, String taskJson, String... options) throws Exception {
    Harness harness = start(dir, taskJson, options);
    return finish(harness);
  }

  private static final Map<Harness, ByteArrayOutputStream> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

  public static Harness start(Path dir, String taskJson, String... options) throws Exception {
    Files.createDirectories(dir);
    Path taskFile = dir.resolve("task.json");
    Files.writeString(taskFile, taskJson);
    List<String> args = new ArrayList<>(List.of(taskFile.toString(), "--sandbox", dir.resolve("sandbox").toString(),
        "--timeout", "3mins"));
    args.addAll(List.of(options));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Harness harness = Harness.start(HarnessOptions.parse(args), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    OUTPUTS.put(harness, bytes);
    return harness;
  }

  /**
   * Waits (at most {@code limit}) until the harness has printed an update of {@code taskId} in
   * {@code state}; fails the test otherwise.
   */
  public static void awaitUpdate(Harness harness, String taskId, String state, java.time.Duration limit) {
    ByteArrayOutputStream bytes = OUTPUTS.get(harness);
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : bytes.toString(StandardCharsets.UTF_8).lines().toList()) {
        try {
          var o = JsonParser.parseString(line).getAsJsonObject();
          if (o.get("task_id").getAsString().equals(taskId) && o.get("state").getAsString().equals(state)) {
            return;
          }
        } catch (RuntimeException e) {
          // the last line, still being written
        }
      }
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
    }
    throw new AssertionError("no " + state + " of " + taskId + " within " + limit + ": " + bytes);
  }

  /** What the harness has printed so far. */
  public static String output(Harness harness) {
    return OUTPUTS.get(harness).toString(StandardCharsets.UTF_8);
  }

  public static Run finish(Harness harness) {
    Harness.Result result = harness.awaitResult();
    String text = OUTPUTS.remove(harness).toString(StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();
    for (String line : lines) {
      // each line is one JSON object with the documented keys
      var o = JsonParser.parseString(line).getAsJsonObject();
      for (String key : List.of("task_id", "state", "reason", "message", "source", "timestamp")) {
        assertTrue(o.has(key), "missing " + key + " in " + line);
      }
    }
    return new Run(result, lines);
  }
}
