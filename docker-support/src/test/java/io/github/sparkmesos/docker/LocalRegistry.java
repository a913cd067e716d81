package io.github.sparkmesos.docker;

import io.github.sparkmesos.testing.Skips;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real registry (Debian's {@code docker-registry}, installed by {@code .ci/run}) on a loopback port, with
 * its own config and storage in a temporary folder. Loopback registries are insecure-allowed by the engine.
 */
final class LocalRegistry implements AutoCloseable {

  private final Path dir;
  private final Process process;
  private final int port;

  private LocalRegistry(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  static LocalRegistry start() throws Exception {
    Skips.require(Cli.onPath("docker-registry"), "docker-registry is not installed (apt-get install docker-registry)");
    int port = freePort();
    Path dir = Files.createTempDirectory(TestEngine.PREFIX + "registry-");
    Path config = dir.resolve("config.yml");
    Files.writeString(config, String.join("\n",
        "version: 0.1",
        "log: {level: warn, formatter: text}",
        "storage:",
        "  filesystem: {rootdirectory: " + dir.resolve("data") + "}",
        "  delete: {enabled: true}",
        "http:",
        "  addr: 127.0.0.1:" + port,
        ""));
    Process process = new ProcessBuilder("docker-registry", "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
    LocalRegistry registry = new LocalRegistry(dir, process, port);
    try {
      registry.awaitReady();
    } catch (Exception e) {
      registry.close();
      throw e;
    }
    return registry;
  }

  /** {@code 127.0.0.1:<port>}. */
  String address() {
    return "127.0.0.1:" + port;
  }

  /** Each attempt to connect waits on the socket; the registry logs nothing when it is up, so no event to watch. */
  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("docker-registry exited with " + process.exitValue() + ": "
            + Files.readString(dir.resolve("registry.log")));
      }
      try {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://" + address() + "/v2/").toURL().openConnection();
        connection.setConnectTimeout(1000);
        connection.setReadTimeout(1000);
        if (connection.getResponseCode() == 200) {
          return;
        }
      } catch (IOException e) {
        last = e;
        process.waitFor(20, TimeUnit.MILLISECONDS); // returns at once if the registry dies
      }
    }
    throw new IOException("docker-registry did not answer on " + address(), last);
  }

  /** A loopback port nothing listens on (just released). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
