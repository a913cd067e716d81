package io.github.sparkmesos.executor.checks;

import static io.github.sparkmesos.executor.checks.CheckProtos.httpStatus;
import static io.github.sparkmesos.executor.checks.CheckProtos.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.sparkmesos.os.Command;
import io.github.sparkmesos.testing.LoopbackServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTTP and TCP probes against real servers on loopback. */
class NetworkProbeTest {

  private static final Optional<Duration> ONE_SECOND = Optional.of(Duration.ofSeconds(1));

  /**
   * The HTTP tests run both ways a probe makes its request: the JDK's client in the executor's namespace, and a
   * blocking request from a thread that entered a task's namespace (here the test's own, entered the same way).
   */
  static List<Optional<Path>> namespaces() {
    return List.of(Optional.empty(), Optional.of(Path.of("/proc/self/ns/net")));
  }

  @ParameterizedTest
  @MethodSource("namespaces")
  void httpReportsAnyStatusAndFollowsRedirects(Optional<Path> namespace) throws Exception {
    try (LoopbackServer server = new LoopbackServer()) {
      server.status("/teapot", 418).redirect("/moved", server.url("/teapot"));
      assertEquals(new ProbeResult.Performed(httpStatus(418)),
          new HttpProbe(Probes.uri("http", false, server.port(), "/moved"), ONE_SECOND, namespace).run());
    }
  }

  @ParameterizedTest
  @MethodSource("namespaces")
  void httpWithoutAnAnswerWithinTheTimeoutFails(Optional<Path> namespace) throws Exception {
    // accepts connections (the backlog) but never answers
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      ProbeResult result = new HttpProbe(Probes.uri("http", false, silent.getLocalPort(), ""),
          Optional.of(Duration.ofMillis(300)), namespace).run();
      assertInstanceOf(ProbeResult.Failed.class, result);
      assertTrue(((ProbeResult.Failed) result).why().contains("timed out"), result.toString());
    }
  }

  @ParameterizedTest
  @MethodSource("namespaces")
  void httpsTrustsAnyCertificateForAnyName(Optional<Path> namespace, @TempDir Path dir) throws Exception {
    // self-signed, and for another name than 127.0.0.1: curl -k takes it, and so does the probe
    Path keystore = dir.resolve("server.p12");
    Command.Completed keytool = Command.run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
            .toString(), "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass",
        "changeit", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=nobody",
        "-validity", "2", "-noprompt"), Map.of("PATH", "/usr/bin:/bin"), dir, Duration.ofMinutes(1));
    assertTrue(keytool.status().isSuccess(), keytool.stderr());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    try {
      assertEquals(new ProbeResult.Performed(httpStatus(204)),
          new HttpProbe(Probes.uri("https", false, server.getAddress().getPort(), "/"), ONE_SECOND, namespace).run());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void tcpOverIpv6GoesToTheIpv6Loopback() throws Exception {
    ServerSocket open;
    try {
      open = new ServerSocket(0, 50, InetAddress.getByName("::1"));
    } catch (java.io.IOException e) {
      Assumptions.abort("no IPv6 loopback here: " + e);
      return;
    }
    try (open) {
      assertEquals(new ProbeResult.Performed(tcp(true)),
          new TcpProbe(new InetSocketAddress(InetAddress.getByName("::1"), open.getLocalPort()), ONE_SECOND).run());
    }
  }

  @Test
  void tcpAbandonedEndsAtOnce() throws Exception {
    try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      TcpProbe probe = new TcpProbe(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), open.getLocalPort()),
          ONE_SECOND);
      probe.abandon();
      assertInstanceOf(ProbeResult.Failed.class, probe.run());
      try (Socket unused = new Socket()) {
        // the server is still fine: abandoning touched only the probe
        unused.connect(open.getLocalSocketAddress());
      }
    }
  }
}
