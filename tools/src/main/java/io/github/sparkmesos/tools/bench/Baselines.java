package io.github.sparkmesos.tools.bench;

import com.sun.net.httpserver.HttpServer;
import io.github.sparkmesos.executor.harness.Harness;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.executor.Protos.Call;

/** What the launch benchmark compares the executor with, measured in the same run. */
final class Baselines {

  private Baselines() {}

  /** The hello-world JVM: from its spawn until its first request arrives, and its resident memory then. */
  record JvmStart(double millis, double residentMib) {}

  /** One client's POSTs to an endpoint, one after the other: the median round trip and the rate. */
  record Posts(double medianMillis, double perSecond) {}

  static JvmStart helloJvm(String jvm, Path dir) throws Exception {
    CompletableFuture<JvmStart> arrived = new CompletableFuture<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    long[] start = new long[1];
    server.createContext("/", exchange -> {
      try (exchange) {
        long nanos = System.nanoTime();
        long pid = Long.parseLong(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        arrived.complete(new JvmStart((nanos - start[0]) / 1e6, Procs.residentMib(pid)));
        exchange.sendResponseHeaders(200, -1);
      }
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hello";
      String classes = Path.of(HelloJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
      start[0] = System.nanoTime();
      ChildProcess hello = spawn(dir, "exec " + jvm + " -cp '" + classes + "' " + HelloJvm.class.getName() + " " + url);
      JvmStart result = arrived.get(1, TimeUnit.MINUTES);
      hello.onExit().get(1, TimeUnit.MINUTES);
      return result;
    } finally {
      server.stop(0);
    }
  }

  /** The task's command spawned by this JVM's launcher, until it created its marker. */
  static double directSpawnMillis(Path dir, FileArrivals marks, String id) throws Exception {
    long start = System.nanoTime();
    ChildProcess child = spawn(dir, ExecutorRun.marker(marks.dir(), id) + "exit 0");
    long ran = marks.await("ready-" + id + "-", ExecutorRun.TIMEOUT).getValue();
    child.onExit().get(1, TimeUnit.MINUTES);
    return (ran - start) / 1e6;
  }

  /** HEARTBEAT calls (answered 202 at once) to an agent API endpoint for {@code duration}. */
  static Posts heartbeats(String endpoint, Duration duration) throws IOException {
    byte[] heartbeat = Call.newBuilder().setType(Call.Type.HEARTBEAT)
        .setFrameworkId(FrameworkID.newBuilder().setValue(Harness.FRAMEWORK_ID))
        .setExecutorId(ExecutorID.newBuilder().setValue("harness-executor")).build().toByteArray();
    Request request = new Request.Builder().url("http://" + endpoint + "/api/v1/executor")
        .post(RequestBody.create(heartbeat, MediaType.get("application/x-protobuf"))).build();
    OkHttpClient client = new OkHttpClient();
    Samples roundTrips = new Samples();
    int count = 0;
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long now = start;
    while (now < end) {
      try (Response response = client.newCall(request).execute()) {
        if (response.code() != 202) {
          throw new IOException("HEARTBEAT answered " + response.code());
        }
      }
      long done = System.nanoTime();
      roundTrips.add((done - now) / 1e6);
      count++;
      now = done;
    }
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    return new Posts(roundTrips.median(), count / ((now - start) / 1e9));
  }

  private static ChildProcess spawn(Path dir, String command) throws IOException {
    Map<String, String> env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin");
    return ProcessLauncher.spawn(new ProcessSpec(List.of("/bin/sh", "-c", command), env, dir, dir.resolve("stdout"),
        dir.resolve("stderr")));
  }
}
