package io.github.sparkmesos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fetch that a slow server stretches to about two minutes: the agent gets only a few
 * TASK_STARTING updates (it checkpoints each and forwards them one at a time, so a stream of them
 * would delay TASK_RUNNING at the framework), while the task's stderr gets progress every 2 s.
 */
class SlowFetchProgressTest {

  private static final int CHUNKS = 110;
  // the fetcher reports progress once per MiB
  private static final int CHUNK = 1 << 20;

  @Test
  void aTwoMinuteFetchSendsAtMostFiveStartingUpdatesAndProgressInStderr(@TempDir Path dir) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    server.createContext("/slow-1.bin", exchange -> {
      exchange.sendResponseHeaders(200, (long) CHUNKS * CHUNK);
      try (OutputStream out = exchange.getResponseBody()) {
        for (int i = 0; i < CHUNKS; i++) {
          out.write(new byte[CHUNK]);
          out.flush();
          TimeUnit.SECONDS.sleep(1); // the slow network this test is about
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    try (LoopbackAgent agent = new LoopbackAgent(dir, false, List.of())) {
      agent.awaitSubscribe();
      String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/slow-1.bin";
      agent.launch(ExecutorInProcessTest.documentTask("slow", "true", Map.of("spark.executor.uri", uri)));
      List<TaskStatus> updates = new ArrayList<>();
      TaskStatus update;
      do {
        update = agent.updates.poll(5, TimeUnit.MINUTES);
        updates.add(update);
      } while (update != null && update.getState() != TaskState.TASK_FINISHED);
      assertEquals(TaskState.TASK_FINISHED, updates.get(updates.size() - 1).getState(), updates.toString());

      List<TaskStatus> starting = updates.stream().filter(u -> u.getState() == TaskState.TASK_STARTING).toList();
      assertTrue(starting.size() <= 5, "at most 5 TASK_STARTING: " + starting);
      assertTrue(starting.stream().anyMatch(u -> u.getMessage().startsWith("Fetching ")),
          "a progress update on the way: " + starting);
      long progressLines = Files.readAllLines(dir.resolve("tasks/slow/stderr")).stream()
          .filter(l -> l.contains("slow-1.bin") && l.contains("MiB of")).count();
      assertTrue(progressLines >= 20, progressLines + " progress lines in stderr");
      assertEquals(0, agent.awaitExit());
    } finally {
      server.stop(0);
    }
  }
}
