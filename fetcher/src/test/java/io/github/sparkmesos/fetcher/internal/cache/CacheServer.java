package io.github.sparkmesos.fetcher.internal.cache;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 for the cache tests: responses can be changed between requests, GETs are
 * counted per path, and the first GET of a path can be held until a latch opens (bounded).
 */
public final class CacheServer implements AutoCloseable {

  private record Response(int status, byte[] body) {
  }

  private record Hold(CountDownLatch until, Duration atMost, CountDownLatch started) {
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Response> responses = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();
  private final Map<String, Hold> holds = new ConcurrentHashMap<>();

  public CacheServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** 200 with {@code body} (replaces what was served at {@code path}). */
  public CacheServer serve(String path, byte[] body) {
    responses.put(path, new Response(200, body));
    return this;
  }

  /** {@code status} without a body. */
  public CacheServer status(String path, int status) {
    responses.put(path, new Response(status, null));
    return this;
  }

  /**
   * Holds the response to the first GET of {@code path} until {@code until} opens or {@code atMost} passed;
   * {@code started} (if not null) counts down when that GET arrives.
   */
  public CacheServer holdFirst(String path, CountDownLatch until, Duration atMost, CountDownLatch started) {
    holds.put(path, new Hold(until, atMost, started));
    return this;
  }

  /** GET requests received for {@code path}. */
  public int gets(String path) {
    AtomicInteger n = gets.get(path);
    return n == null ? 0 : n.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (exchange.getRequestMethod().equals("GET")) {
        gets.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      }
      Hold hold = holds.remove(path);
      if (hold != null) {
        if (hold.started() != null) {
          hold.started().countDown();
        }
        try {
          hold.until().await(hold.atMost().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Response response = responses.get(path);
      if (response == null) {
        exchange.sendResponseHeaders(404, -1);
      } else if (response.body() == null) {
        exchange.sendResponseHeaders(response.status(), -1);
      } else {
        exchange.sendResponseHeaders(response.status(), response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body());
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
