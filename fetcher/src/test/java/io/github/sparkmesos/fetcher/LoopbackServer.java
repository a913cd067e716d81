package io.github.sparkmesos.fetcher;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP server on 127.0.0.1 (JDK HttpServer, ephemeral port) that records the requests it gets. */
final class LoopbackServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, List<Headers>> requests = new ConcurrentHashMap<>();

    LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** 200 with {@code body} and its Content-Length. */
    LoopbackServer serve(String path, byte[] body) {
        return handle(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    /** 200, chunked: each part is written and flushed on its own. */
    LoopbackServer serveChunked(String path, List<byte[]> parts) {
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
    LoopbackServer status(String path, int code) {
        return handle(path, exchange -> exchange.sendResponseHeaders(code, -1));
    }

    /** A 302 to {@code location}. */
    LoopbackServer redirect(String path, String location) {
        return handle(path, exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(302, -1);
        });
    }

    /**
     * Announces {@code declaredLength} bytes, sends {@code sent} (fewer), then gives up: the JDK server
     * closes the connection when a handler leaves a fixed-length body short.
     */
    LoopbackServer truncated(String path, long declaredLength, byte[] sent) {
        return handle(path, exchange -> {
            exchange.sendResponseHeaders(200, declaredLength);
            OutputStream out = exchange.getResponseBody();
            out.write(sent);
            out.flush();
            out.close(); // throws "insufficient bytes written to stream"; the server drops the connection
        });
    }

    /**
     * Announces {@code declaredLength} bytes, sends {@code sent}, then waits until {@code release} opens
     * (the test's tear-down opens it): a stalled download.
     */
    LoopbackServer stalled(String path, long declaredLength, byte[] sent, CountDownLatch release) {
        return handle(path, exchange -> {
            exchange.sendResponseHeaders(200, declaredLength);
            OutputStream out = exchange.getResponseBody();
            out.write(sent);
            out.flush();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Headers of the requests for {@code path}, oldest first. */
    List<Headers> requests(String path) {
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
