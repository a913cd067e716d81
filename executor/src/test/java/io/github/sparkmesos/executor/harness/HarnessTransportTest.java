package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.executor.mesos.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import io.github.sparkmesos.executor.mesos.UnixSocketFactory;
import io.github.sparkmesos.executor.mesos.WireFormat;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor JVM under the harness over TLS and over the agent's Unix socket. */
class HarnessTransportTest {

  private static final List<TaskState> FINISHED = List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING,
      TaskState.TASK_FINISHED);

  private static void assertFinishedCleanly(HarnessRun.Run run) {
    assertEquals(0, run.result().exitCode(), run.result().problems() + " " + run.result().violations());
    assertEquals(FINISHED, run.result().states("t1"));
    assertTrue(run.result().violations().isEmpty(), run.result().violations().toString());
  }

  private static String executorLog(Path dir) throws IOException {
    return Files.readString(dir.resolve("sandbox/stderr"));
  }

  @Test
  void aTlsAgentWithoutClientCertificates(@TempDir Path dir) throws Exception {
    Path tls = TestCertificates.subset(dir.resolve("tls"), "ca.pem", "server.pem", "server.key");
    HarnessRun.Run run = HarnessRun.run(dir, TaskFile.commandTask("t1", "echo hi", Map.of()), "--tls", tls.toString());
    assertFinishedCleanly(run);
    String log = executorLog(dir);
    assertTrue(log.contains("subscribing to https://127.0.0.1:"), log);
    assertTrue(log.contains("server certificate verified") && log.contains("no client certificate"), log);
  }

  @Test
  void aTlsAgentRequiringTheClientCertificate(@TempDir Path dir) throws Exception {
    HarnessRun.Run run = HarnessRun.run(dir, TaskFile.commandTask("t1", "echo hi", Map.of()), "--tls",
        TestCertificates.dir().toString(), "--tls-client-auth");
    assertFinishedCleanly(run);
    String log = executorLog(dir);
    assertTrue(log.contains("https://") && log.contains("client certificate " + TestCertificates.dir()
        .resolve("client.pem")), log);
  }

  @Test
  void withoutItsClientCertificateTheExecutorIsRefused(@TempDir Path dir) throws Exception {
    Path tls = TestCertificates.subset(dir.resolve("tls"), "ca.pem", "server.pem", "server.key");
    // the executor keeps retrying SUBSCRIBE for a minute: the harness gives up first
    HarnessRun.Run run = HarnessRun.run(dir, TaskFile.commandTask("t1", "echo hi", Map.of()), "--tls", tls.toString(),
        "--tls-client-auth", "--timeout", "15secs");
    assertEquals(1, run.result().exitCode());
    assertEquals(0, run.result().subscriptions());
    assertTrue(run.result().problems().contains("task t1 never reached a terminal state"),
        run.result().problems().toString());
    assertEquals(List.of(TaskState.TASK_FAILED), run.result().states("t1"));
    assertTrue(executorLog(dir).contains("SUBSCRIBE not accepted yet"), executorLog(dir));
  }

  @Test
  void aDomainSocketAgent(@TempDir Path dir) throws Exception {
    HarnessRun.Run run = HarnessRun.run(dir, TaskFile.commandTask("t1", "echo hi", Map.of()), "--domain-socket");
    assertFinishedCleanly(run);
    String log = executorLog(dir);
    assertTrue(log.contains("agent API over the Unix socket " + dir.toRealPath()) || log.contains(
        "agent API over the Unix socket " + dir), log);
    assertTrue(log.contains("subscribing to http+unix://"), log);
    assertTrue(Files.list(dir).noneMatch(p -> p.toString().endsWith(".sock")), "the socket is removed at the end");
  }

  @Test
  void theSocketServesOnlyTheAgentsExecutorPaths(@TempDir Path dir) throws Exception {
    List<Integer> rejected = new CopyOnWriteArrayList<>();
    AgentApi api = new AgentApi("fw", "ex", Optional.empty(), new AgentApi.Handler() {
      @Override
      public void subscribed(Call.Subscribe subscribe, WireFormat format) {}

      @Override
      public void update(TaskStatus status) {}

      @Override
      public void message(byte[] data) {}

      @Override
      public void rejected(int status, String reason) {
        rejected.add(status);
      }
    });
    api.start();
    try (UnixSocketRelay relay = UnixSocketRelay.start(dir.resolve("agent.sock"), api.address())) {
      api.restrictSocketPaths(relay::relayed);
      OkHttpClient viaSocket = new OkHttpClient.Builder().socketFactory(new UnixSocketFactory(relay.path()))
          .proxy(Proxy.NO_PROXY).dns(host -> List.of(InetAddress.getLoopbackAddress())).build();
      assertEquals(403, post(viaSocket, "http://localhost/api/v1/executor"));
      assertEquals(403, post(viaSocket, "http://localhost/slave(1)/state"));
      assertEquals(404, post(viaSocket, "http://localhost/slave(1)/api/v1"), "allowed, but the harness has no operator API");
      // reaches the executor API: an empty body is refused there, with the agent's 400
      assertEquals(400, post(viaSocket, "http://localhost/slave(1)/api/v1/executor"));
      // over TCP the agent's other paths stay as they are
      assertEquals(400, post(new OkHttpClient(), "http://" + api.endpoint() + "/api/v1/executor"));
      assertEquals(List.of(403, 403, 404, 400, 400), rejected);
    } finally {
      api.stop();
    }
  }

  private static int post(OkHttpClient client, String url) throws IOException {
    Request request = new Request.Builder().url(url).post(RequestBody.create(new byte[0],
        MediaType.get("application/x-protobuf"))).build();
    try (Response r = client.newCall(request).execute()) {
      return r.code();
    }
  }
}
