package io.github.sparkmesos.executor.checks;

import static io.github.sparkmesos.executor.checks.CheckProtos.check;
import static io.github.sparkmesos.executor.checks.CheckProtos.commandCheck;
import static io.github.sparkmesos.executor.checks.CheckProtos.commandHealth;
import static io.github.sparkmesos.executor.checks.CheckProtos.exitCode;
import static io.github.sparkmesos.executor.checks.CheckProtos.health;
import static io.github.sparkmesos.executor.checks.CheckProtos.httpStatus;
import static io.github.sparkmesos.executor.checks.CheckProtos.tcp;
import static io.github.sparkmesos.executor.checks.RecordingListener.HEALTHY;
import static io.github.sparkmesos.executor.checks.RecordingListener.unhealthy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.os.ProcessTable;
import io.github.sparkmesos.testing.LoopbackServer;
import io.github.sparkmesos.testing.Waits;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TaskChecks against real commands, a real HTTP server and real sockets on loopback. */
class TaskChecksTest {

  @TempDir
  Path dir;

  private final RecordingListener listener = new RecordingListener();
  private TaskChecks running;

  /** Starts checks, closing those of before: one TaskChecks runs at a time, closed after each test. */
  private TaskChecks start(Optional<HealthCheck> health, Optional<CheckInfo> check) {
    close();
    TaskChecks.CheckTarget target = new TaskChecks.CheckTarget(
        Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")), dir);
    running = TaskChecks.start(health, check, target, listener);
    return running;
  }

  @AfterEach
  void close() {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void healthyThenUnhealthyUntilKillTaskAndProbingGoesOn() throws Exception {
    Files.createFile(dir.resolve("ok"));
    start(Optional.of(commandHealth("test -f ok").build()), Optional.empty());
    listener.expect(HEALTHY);
    Files.delete(dir.resolve("ok"));
    listener.expect(unhealthy(1, false));
    listener.expect(unhealthy(2, false));
    listener.expect(unhealthy(3, true));
    // the executor decides what kill_task means: the checker keeps reporting
    listener.expect(unhealthy(4, true));
    Files.createFile(dir.resolve("ok"));
    Object next = listener.next();
    while (!next.equals(HEALTHY)) {
      next = listener.next(); // failures that were in flight when the file came back
    }
  }

  @Test
  void failuresInTheGracePeriodAreIgnoredUntilTheFirstSuccess() throws Exception {
    String command = "echo x >> runs; [ $(wc -l < runs) -ge 3 ] && touch three; test -f ok";
    HealthCheck health = commandHealth(command).setGracePeriodSeconds(60).build();
    start(Optional.of(health), Optional.empty());
    Waits.awaitFile(dir.resolve("three"));
    assertNull(listener.pending(), "failures in the grace period are not reported");
    Files.createFile(dir.resolve("ok"));
    listener.expect(HEALTHY);
    // healthy once: the grace period no longer hides failures
    Files.delete(dir.resolve("ok"));
    listener.expect(unhealthy(1, false));
  }

  @Test
  void aCommandThatOutlivesItsTimeoutIsKilledWithItsGroupAndCountsAsAFailure() throws Exception {
    HealthCheck health = commandHealth("echo $$ >> groups; sleep 30").setTimeoutSeconds(1)
        .setConsecutiveFailures(1).build();
    long started = System.nanoTime();
    start(Optional.of(health), Optional.empty());
    listener.expect(unhealthy(1, true));
    long elapsed = System.nanoTime() - started;
    assertTrue(elapsed < Duration.ofSeconds(10).toNanos(), "took " + Duration.ofNanos(elapsed));
    int group = Integer.parseInt(Files.readAllLines(dir.resolve("groups")).get(0).strip());
    assertEquals(List.of(), ProcessTable.inGroup(group), "the timed-out probe's group is gone");
    close();
    for (String line : Files.readAllLines(dir.resolve("groups"))) {
      int later = Integer.parseInt(line.strip());
      Waits.awaitCondition(() -> ProcessTable.inGroup(later).isEmpty(), Duration.ofSeconds(10),
          "the probe in flight at close() is killed: group " + later);
    }
  }

  @Test
  void aCheckReportsOnlyChangesAndATimeoutAsAnEmptyStatus() throws Exception {
    Path code = dir.resolve("code");
    Files.writeString(code, "0");
    String command = "echo x >> runs; [ $(wc -l < runs) -ge 4 ] && touch four; "
        + "[ -f hang ] && sleep 30; exit $(cat code)";
    CheckInfo check = commandCheck(command).setTimeoutSeconds(1).build();
    start(Optional.empty(), Optional.of(check));
    listener.expect(exitCode(0));
    Waits.awaitFile(dir.resolve("four"));
    assertNull(listener.pending(), "the same status twice is reported once");
    Path next = dir.resolve("code.new");
    Files.writeString(next, "2");
    Files.move(next, code, StandardCopyOption.ATOMIC_MOVE);
    listener.expect(exitCode(2));
    Files.createFile(dir.resolve("hang"));
    // checker.cpp: a check that could not be performed reports the empty status of its type
    listener.expect(CheckStatusInfo.newBuilder().setType(CheckInfo.Type.COMMAND)
        .setCommand(CheckStatusInfo.Command.getDefaultInstance()).build());
  }

  @Test
  void httpHealthCheckFollowsRedirectsAndHttpCheckReportsTheStatusCode() throws Exception {
    try (LoopbackServer server = new LoopbackServer()) {
      server.status("/ok", 200).status("/unavailable", 503).redirect("/moved", server.url("/ok"));
      HealthCheck health = health(HealthCheck.Type.HTTP)
          .setHttp(HealthCheck.HTTPCheckInfo.newBuilder().setPort(server.port()).setPath("/moved")).build();
      CheckInfo check = check(CheckInfo.Type.HTTP)
          .setHttp(CheckInfo.Http.newBuilder().setPort(server.port()).setPath("/unavailable")).build();
      start(Optional.of(health), Optional.of(check));
      List<Object> first = List.of(listener.next(), listener.next());
      assertTrue(first.contains(HEALTHY), first.toString());
      assertTrue(first.contains(httpStatus(503)), first.toString());
      assertFalse(server.requests("/ok").isEmpty(), "the redirect was followed");
    }
  }

  @Test
  void httpHealthCheckOfAClosedPortFails() throws Exception {
    HealthCheck health = health(HealthCheck.Type.HTTP).setConsecutiveFailures(1)
        .setHttp(HealthCheck.HTTPCheckInfo.newBuilder().setPort(closedPort()).setPath("/")).build();
    start(Optional.of(health), Optional.empty());
    listener.expect(unhealthy(1, true));
  }

  @Test
  void tcpReportsWhetherAConnectionOpens() throws Exception {
    try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      HealthCheck health = health(HealthCheck.Type.TCP)
          .setTcp(HealthCheck.TCPCheckInfo.newBuilder().setPort(open.getLocalPort())).build();
      CheckInfo check = check(CheckInfo.Type.TCP)
          .setTcp(CheckInfo.Tcp.newBuilder().setPort(closedPort())).build();
      start(Optional.of(health), Optional.of(check));
      List<Object> first = List.of(listener.next(), listener.next());
      assertTrue(first.contains(HEALTHY), first.toString());
      assertTrue(first.contains(tcp(false)), first.toString());
    }
    try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      CheckInfo check = check(CheckInfo.Type.TCP)
          .setTcp(CheckInfo.Tcp.newBuilder().setPort(open.getLocalPort())).build();
      start(Optional.empty(), Optional.of(check));
      listener.expect(tcp(true));
    }
  }

  @Test
  void pauseAbandonsTheProbeInFlightAndNothingIsReportedAfter() throws Exception {
    HealthCheck health = commandHealth("echo $$ > group.new; mv group.new group; sleep 30")
        .setTimeoutSeconds(20).setConsecutiveFailures(1).build();
    TaskChecks checks = start(Optional.of(health), Optional.empty());
    Waits.awaitFile(dir.resolve("group"));
    int group = Integer.parseInt(Files.readString(dir.resolve("group")).strip());
    checks.pause();
    checks.pause();
    Waits.awaitCondition(() -> ProcessTable.inGroup(group).isEmpty(), Duration.ofSeconds(10),
        "the probe in flight is killed");
    checks.close(); // the checks threads have ended: whatever they had to say is said
    assertNull(listener.pending(), "nothing after pause()");
  }

  @Test
  void noChecksStartNothing() {
    start(Optional.empty(), Optional.empty()).close();
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
