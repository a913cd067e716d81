package io.github.sparkmesos.fetcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on 127.0.0.1 written on a raw {@link ServerSocket}, so that it can misbehave the ways real
 * servers and networks do: wrong Content-Lengths, resets (SO_LINGER 0), stalls, broken chunked bodies, Range
 * ignored. Each path has a script: the n-th request for it gets the n-th {@link Response}, later requests the
 * last one. Every response is sent with {@code Connection: close}. It never sleeps: stalls wait on a latch that
 * {@link #close()} opens.
 */
final class FaultServer implements AutoCloseable {

  /** A request as received; header names are lower case. */
  record Request(String method, String path, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** One way of answering a request. */
  @FunctionalInterface
  interface Response {
    void send(Request request, Socket socket, OutputStream out) throws IOException, InterruptedException;
  }

  /** The content of a path and its validators (null: not sent). */
  record Resource(byte[] body, String etag, String lastModified) {
    static Resource of(byte[] body, String etag) {
      return new Resource(body, etag, null);
    }

    static Resource withoutValidators(byte[] body) {
      return new Resource(body, null, null);
    }
  }

  /** What happens after the part of the body that is sent. */
  private enum End { COMPLETE, CLOSE, RESET, STALL }

  private final ServerSocket server;
  private final Map<String, List<Response>> scripts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final CountDownLatch closing = new CountDownLatch(1);

  FaultServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread acceptor = new Thread(this::accept, "fault-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getLocalPort() + path;
  }

  /** The script of {@code path}. */
  FaultServer on(String path, Response... responses) {
    scripts.put(path, List.of(responses));
    return this;
  }

  /** Requests for {@code path}, oldest first. */
  List<Request> requests(String path) {
    List<Request> matching = new ArrayList<>();
    for (Request r : requests) {
      if (r.path().equals(path)) {
        matching.add(r);
      }
    }
    return matching;
  }

  // ---- responses ----------------------------------------------------------------------------------------

  /** The resource, honouring {@code Range: bytes=N-} (206) and {@code If-Range}, as nginx does. */
  static Response serve(Resource resource) {
    return body(resource, true, false, -1, End.COMPLETE, null);
  }

  /** The whole resource with 200, whatever the request says (as Python's http.server does). */
  static Response serveIgnoringRange(Resource resource) {
    return body(resource, false, false, -1, End.COMPLETE, null);
  }

  /** Announces the full length, sends {@code n} bytes of the body, then closes normally (FIN). */
  static Response truncatedAfter(Resource resource, long n) {
    return body(resource, true, false, n, End.CLOSE, null);
  }

  /** Sends {@code n} bytes of the body, then resets the connection (SO_LINGER 0). */
  static Response resetAfter(Resource resource, long n) {
    return body(resource, true, false, n, End.RESET, null);
  }

  /** Sends {@code n} bytes, waits until {@code before} opens (the client has read enough), then resets. */
  static Response resetAfter(Resource resource, long n, CountDownLatch before) {
    return body(resource, true, false, n, End.RESET, before);
  }

  /** Sends {@code n} bytes of the body, then nothing until the server closes. */
  static Response stalledAfter(Resource resource, long n) {
    return body(resource, true, false, n, End.STALL, null);
  }

  /** A chunked body whose first chunk holds {@code n} bytes, then the connection closes without the last chunk. */
  static Response brokenChunkedAfter(Resource resource, long n) {
    return body(resource, true, true, n, End.CLOSE, null);
  }

  /** A status without a body. */
  static Response status(int code) {
    return (request, socket, out) -> {
      head(out, code, List.of("Content-Length: 0"));
      out.flush();
    };
  }

  private static Response body(Resource resource, boolean honourRange, boolean chunked, long cut, End end,
                 CountDownLatch before) {
    return (request, socket, out) -> {
      byte[] body = resource.body();
      long start = honourRange ? rangeStart(request, resource) : 0;
      List<String> headers = new ArrayList<>();
      if (resource.etag() != null) {
        headers.add("ETag: " + resource.etag());
      }
      if (resource.lastModified() != null) {
        headers.add("Last-Modified: " + resource.lastModified());
      }
      if (honourRange) {
        headers.add("Accept-Ranges: bytes");
      }
      if (start >= body.length && start > 0) {
        headers.add("Content-Range: bytes */" + body.length);
        headers.add("Content-Length: 0");
        head(out, 416, headers);
        out.flush();
        return;
      }
      int code = start > 0 ? 206 : 200;
      if (code == 206) {
        headers.add("Content-Range: bytes " + start + "-" + (body.length - 1) + "/" + body.length);
      }
      long length = body.length - start;
      headers.add(chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + length);
      head(out, code, headers);
      int from = (int) start;
      int to = (int) (cut < 0 ? body.length : Math.min(body.length, start + cut));
      if (chunked) {
        out.write((Integer.toHexString(to - from) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, from, to - from);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        if (end == End.COMPLETE) {
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
      } else {
        out.write(body, from, to - from);
      }
      out.flush();
      if (before != null && !before.await(30, TimeUnit.SECONDS)) {
        throw new IOException("the client never read enough");
      }
      if (end == End.RESET) {
        socket.setSoLinger(true, 0);
        socket.close();
      } else if (end == End.STALL) {
        throw new StallSignal(); // the connection stays open until close()
      }
    };
  }

  /** Thrown by a stalling response so that the connection is kept open until the server closes. */
  private static final class StallSignal extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  private static long rangeStart(Request request, Resource resource) {
    String range = request.header("Range");
    if (range == null || !range.matches("bytes=\\d+-")) {
      return 0;
    }
    String ifRange = request.header("If-Range");
    if (ifRange != null && !ifRange.equals(resource.etag()) && !ifRange.equals(resource.lastModified())) {
      return 0; // another version: the whole new one
    }
    return Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
  }

  private static void head(OutputStream out, int code, List<String> headers) throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(code).append(' ').append(reason(code)).append("\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String reason(int code) {
    return switch (code) {
      case 200 -> "OK";
      case 206 -> "Partial Content";
      case 404 -> "Not Found";
      case 408 -> "Request Timeout";
      case 416 -> "Range Not Satisfiable";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  // ---- serving ------------------------------------------------------------------------------------------

  private void accept() {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      sockets.add(socket);
      Thread handler = new Thread(() -> handle(socket), "fault-server-connection");
      handler.setDaemon(true);
      handler.start();
    }
  }

  private void handle(Socket socket) {
    boolean stall = false;
    try {
      Request request = read(socket);
      if (request == null) {
        return;
      }
      requests.add(request);
      List<Response> script = scripts.get(request.path());
      Response response;
      if (script == null) {
        response = status(404);
      } else {
        int index = counters.computeIfAbsent(request.path(), p -> new AtomicInteger()).getAndIncrement();
        response = script.get(Math.min(index, script.size() - 1));
      }
      OutputStream out = socket.getOutputStream();
      response.send(request, socket, out);
    } catch (StallSignal s) {
      stall = true;
    } catch (IOException | InterruptedException e) {
      // the client went away, or the response reset the connection on purpose
    } finally {
      if (stall) {
        try {
          closing.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      closeQuietly(socket);
    }
  }

  private static Request read(Socket socket) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    String line = in.readLine();
    if (line == null || line.isEmpty()) {
      return null;
    }
    String[] parts = line.split(" ");
    Map<String, String> headers = new TreeMap<>();
    while ((line = in.readLine()) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
    }
    return new Request(parts[0], parts[1], headers);
  }

  private void closeQuietly(Socket socket) {
    sockets.remove(socket);
    try {
      if (!socket.isClosed()) {
        socket.shutdownOutput();
      }
    } catch (IOException e) {
      // already gone
    }
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  /** Stops accepting, ends stalled responses, and closes every connection. */
  @Override
  public void close() {
    closing.countDown();
    try {
      server.close();
    } catch (IOException e) {
      // nothing to do
    }
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }
}
