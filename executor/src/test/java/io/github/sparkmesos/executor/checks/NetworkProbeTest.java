package io.github.sparkmesos.executor.checks;

import static io.github.sparkmesos.executor.checks.CheckProtos.httpStatus;
import static io.github.sparkmesos.executor.checks.CheckProtos.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.testing.LoopbackServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The HTTP and TCP probes against real servers on loopback. */
class NetworkProbeTest {

  private static final Optional<Duration> ONE_SECOND = Optional.of(Duration.ofSeconds(1));

  @Test
  void httpReportsAnyStatusAndFollowsRedirects() throws Exception {
    try (LoopbackServer server = new LoopbackServer()) {
      server.status("/teapot", 418).redirect("/moved", server.url("/teapot"));
      assertEquals(new ProbeResult.Performed(httpStatus(418)),
          new HttpProbe(Probes.uri("http", false, server.port(), "/moved"), ONE_SECOND).run());
    }
  }

  @Test
  void httpWithoutAnAnswerWithinTheTimeoutFails() throws Exception {
    // accepts connections (the backlog) but never answers
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      ProbeResult result = new HttpProbe(Probes.uri("http", false, silent.getLocalPort(), ""),
          Optional.of(Duration.ofMillis(300))).run();
      assertInstanceOf(ProbeResult.Failed.class, result);
      assertTrue(((ProbeResult.Failed) result).why().contains("timed out"), result.toString());
    }
  }

  @Test
  void httpsIsNotVerified() throws Exception {
    // a plain-HTTP server: the TLS handshake fails, which is a failed probe, not a verification error hang
    try (LoopbackServer server = new LoopbackServer()) {
      server.status("/", 200);
      assertInstanceOf(ProbeResult.Failed.class,
          new HttpProbe(Probes.uri("https", false, server.port(), "/"), ONE_SECOND).run());
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
