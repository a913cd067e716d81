package io.github.sparkmesos.executor.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OkHttp over {@link UnixSocketFactory} against real Unix-socket servers. */
class UnixSocketFactoryTest {

  private ServerSocketChannel server;
  private final AtomicInteger connections = new AtomicInteger();

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  /** Serves each connection with {@code handler} on its own thread. */
  private Path listen(Path dir, Handler handler) throws IOException {
    Path socket = dir.resolve("agent.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread accept = new Thread(() -> {
      while (server.isOpen()) {
        try {
          SocketChannel c = server.accept();
          connections.incrementAndGet();
          new Thread(() -> {
            try (c) {
              handler.serve(Channels.newInputStream(c), Channels.newOutputStream(c));
            } catch (IOException e) {
              // the client went away
            }
          }).start();
        } catch (IOException e) {
          return;
        }
      }
    });
    accept.setDaemon(true);
    accept.start();
    return socket;
  }

  interface Handler {
    void serve(InputStream in, OutputStream out) throws IOException;
  }

  /** HTTP/1.1 with keep-alive: answers each request with its method, path and body. */
  private static void echoHttp(InputStream in, OutputStream out) throws IOException {
    while (true) {
      String head = readHead(in);
      if (head == null) {
        return;
      }
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      String[] requestLine = head.split(" ");
      String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      byte[] reply = (requestLine[0] + " " + requestLine[1] + " " + body).getBytes(StandardCharsets.UTF_8);
      out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + reply.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(reply);
      out.flush();
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      String s = head.toString(StandardCharsets.ISO_8859_1);
      if (s.endsWith("\r\n\r\n")) {
        return s;
      }
    }
    return null;
  }

  private static OkHttpClient client(Path socket, Duration readTimeout) {
    return new OkHttpClient.Builder().socketFactory(new UnixSocketFactory(socket)).proxy(Proxy.NO_PROXY)
        .dns(host -> List.of(InetAddress.getLoopbackAddress())).readTimeout(readTimeout).build();
  }

  @Test
  void requestsGoOverTheSocketAndShareOneConnection(@TempDir Path dir) throws Exception {
    Path socket = listen(dir, UnixSocketFactoryTest::echoHttp);
    OkHttpClient client = client(socket, Duration.ofSeconds(10));
    for (String body : new String[] {"first", "second"}) {
      Request request = new Request.Builder().url("http://localhost/slave(1)/api/v1/executor")
          .post(RequestBody.create(body, MediaType.get("application/json"))).build();
      try (Response r = client.newCall(request).execute()) {
        assertEquals(200, r.code());
        assertEquals("POST /slave(1)/api/v1/executor " + body, r.body().string());
      }
    }
    assertEquals(1, connections.get());
  }

  @Test
  void aSilentServerTimesTheReadOut(@TempDir Path dir) throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    Path socket = listen(dir, (in, out) -> release.join());
    OkHttpClient client = client(socket, Duration.ofMillis(300));
    try {
      assertThrows(InterruptedIOException.class,
          () -> client.newCall(new Request.Builder().url("http://localhost/x").build()).execute());
    } finally {
      release.complete(null);
    }
  }

  @Test
  void aReadWaitsWhileTheSameSocketWritesAndTimeoutsLeaveItUsable(@TempDir Path dir) throws Exception {
    Path socket = listen(dir, (in, out) -> in.transferTo(out));
    try (Socket s = new UnixSocketFactory(socket).createSocket("ignored", 1)) {
      s.setSoTimeout(1);
      assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
      s.setSoTimeout(0);
      CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
        try {
          return s.getInputStream().readNBytes(4);
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      s.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
      assertEquals("ping", new String(read.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    }
  }

  @Test
  void closingWakesABlockedRead(@TempDir Path dir) throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    Path socket = listen(dir, (in, out) -> release.join());
    Socket s = new UnixSocketFactory(socket).createSocket("ignored", 1);
    CompletableFuture<Throwable> read = CompletableFuture.supplyAsync(() -> {
      try {
        s.getInputStream().read();
        return null;
      } catch (IOException e) {
        return e;
      }
    });
    s.close();
    assertTrue(read.get(30, TimeUnit.SECONDS) instanceof IOException);
    assertTrue(s.isClosed());
    release.complete(null);
  }
}
