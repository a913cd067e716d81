package io.github.sparkmesos.secrets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for HashiCorp Vault: a real HTTPS server on 127.0.0.1 (certificate signed by {@link TestPki}'s CA)
 * that implements the KV version 2 read path, {@code GET /v1/<mount>/data/<path>}, with {@code X-Vault-Token}
 * checked (403 without the right token, 404 for an unknown path, as Vault answers). Scripted statuses may come
 * before an answer (503 then 200), and a path may hang until released (a read timeout).
 */
final class VaultStandIn implements AutoCloseable {

  private final HttpsServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final String token;
  private final String prefix;
  private final Map<String, String> bodies = new ConcurrentHashMap<>();
  private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Map<String, Boolean> hanging = new ConcurrentHashMap<>();

  VaultStandIn(String token) throws Exception {
    this(token, "");
  }

  /** {@code prefix}: a path before {@code /v1}, as behind a reverse proxy. */
  VaultStandIn(String token, String prefix) throws Exception {
    this.token = token;
    this.prefix = prefix;
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(TestPki.serverContext()));
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort() + prefix;
  }

  /** A KV v2 secret at {@code <mount>/<path>} with these fields (string values). */
  VaultStandIn secret(String mountAndPath, Map<String, String> fields) {
    StringBuilder data = new StringBuilder("{");
    fields.forEach((k, v) -> data.append(data.length() > 1 ? "," : "").append(quote(k)).append(':')
        .append(quote(v)));
    data.append('}');
    return rawData(mountAndPath, data.toString());
  }

  /** A secret whose {@code data.data} is this JSON text. */
  VaultStandIn rawData(String mountAndPath, String dataJson) {
    return answer(mountAndPath, "{\"request_id\":\"1\",\"data\":{\"data\":" + dataJson
        + ",\"metadata\":{\"version\":3,\"destroyed\":false}}}");
  }

  /** The whole body of a 200 for {@code <mount>/<path>}. */
  VaultStandIn answer(String mountAndPath, String body) {
    bodies.put(dataPath(mountAndPath), body);
    return this;
  }

  /** Statuses answered, one per request, before the secret is. */
  VaultStandIn first(String mountAndPath, Integer... statuses) {
    scripted.put(dataPath(mountAndPath), new ArrayDeque<>(java.util.List.of(statuses)));
    return this;
  }

  /** Requests for this secret get no answer until {@link #close()}. */
  VaultStandIn hang(String mountAndPath) {
    hanging.put(dataPath(mountAndPath), true);
    return this;
  }

  int requests(String mountAndPath) {
    AtomicInteger n = requests.get(dataPath(mountAndPath));
    return n == null ? 0 : n.get();
  }

  private String dataPath(String mountAndPath) {
    int slash = mountAndPath.indexOf('/');
    return prefix + "/v1/" + mountAndPath.substring(0, slash) + "/data" + mountAndPath.substring(slash);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      if (hanging.containsKey(path)) {
        release.await();
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        send(exchange, 405, "{\"errors\":[]}");
        return;
      }
      if (!token.equals(exchange.getRequestHeaders().getFirst("X-Vault-Token"))) {
        send(exchange, 403, "{\"errors\":[\"permission denied\"]}");
        return;
      }
      Deque<Integer> script = scripted.get(path);
      Integer status = script == null ? null : script.poll();
      if (status != null) {
        send(exchange, status, "{\"errors\":[]}");
        return;
      }
      String body = bodies.get(path);
      if (body == null) {
        send(exchange, 404, "{\"errors\":[]}");
        return;
      }
      send(exchange, 200, body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
