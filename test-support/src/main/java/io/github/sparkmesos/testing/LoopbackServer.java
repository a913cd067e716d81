package io.github.sparkmesos.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on 127.0.0.1 (JDK HttpServer, ephemeral port) that records the requests it gets.
 */
public final class LoopbackServer implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, List<Headers>> requests = new ConcurrentHashMap<>();

  public LoopbackServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** 200 with {@code body} and its Content-Length. */
  public LoopbackServer serve(String path, byte[] body) {
    return handle(path, exchange -> {
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
  }

  /** 200, chunked: each part is written and flushed on its own. */
  public LoopbackServer serveChunked(String path, List<byte[]> parts) {
    return handle(path, exchange -> {
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (byte[] part : parts) {
          out.write(part);
          out.flush();
        }
      }
    });
  }

  /** A status without a body. */
  public LoopbackServer status(String path, int code) {
    return handle(path, exchange -> exchange.sendResponseHeaders(code, -1));
  }

  /** A 302 to {@code location}. */
  public LoopbackServer redirect(String path, String location) {
    return handle(path, exchange -> {
      exchange.getResponseHeaders().set("Location", location);
      exchange.sendResponseHeaders(302, -1);
    });
  }

  /** Headers of the requests for {@code path}, oldest first. */
  public List<Headers> requests(String path) {
    return requests.getOrDefault(path, List.of());
  }

  private LoopbackServer handle(String path, HttpHandler handler) {
    server.createContext(path, exchange -> {
      requests.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new CopyOnWriteArrayList<>())
          .add(exchange.getRequestHeaders());
      try {
        handler.handle(exchange);
      } finally {
        exchange.close();
      }
    });
    return this;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
