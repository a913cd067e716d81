package io.github.sparkmesos.tools.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The PrintStream the harness prints its status updates on: it notes when each line arrives, on this
 * JVM's monotonic clock and on the wall clock (which a task's {@code date +%s%N} shares).
 */
final class UpdateArrivals extends PrintStream {

  /** One update, when it arrived. */
  record Arrival(String taskId, String state, String message, long nanos, long epochNanos) {}

  private final List<Arrival> arrivals = new ArrayList<>();

  UpdateArrivals() {
    super(OutputStream.nullOutputStream());
  }

  @Override
  public void println(String line) {
    long nanos = System.nanoTime();
    Instant now = Instant.now();
    JsonObject update = JsonParser.parseString(line).getAsJsonObject();
    String message = update.get("message").isJsonNull() ? "" : update.get("message").getAsString();
    synchronized (this) {
      arrivals.add(new Arrival(update.get("task_id").getAsString(), update.get("state").getAsString(), message, nanos,
          now.getEpochSecond() * 1_000_000_000L + now.getNano()));
      notifyAll();
    }
  }

  /** The first update of a task in a state, waiting for it (at most {@code timeout}). */
  synchronized Arrival await(String taskId, String state, Duration timeout) throws InterruptedException {
    return awaitAll(state, List.of(taskId), timeout).get(0);
  }

  /** The first update in {@code state} of each task, in the order of {@code taskIds}. */
  synchronized List<Arrival> awaitAll(String state, List<String> taskIds, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Arrival> found = new ArrayList<>();
      for (String id : taskIds) {
        arrivals.stream().filter(a -> a.taskId().equals(id) && a.state().equals(state)).findFirst()
            .ifPresent(found::add);
      }
      if (found.size() == taskIds.size()) {
        return found;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException("only " + found.size() + " of " + taskIds.size() + " tasks reached " + state
            + " within " + timeout.toSeconds() + "s; updates: " + arrivals);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  synchronized List<Arrival> all() {
    return List.copyOf(arrivals);
  }
}
