package io.github.sparkmesos.docker;

import io.github.sparkmesos.testing.Skips;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * The engine the tests use ({@code DOCKER_HOST} or the default socket) and its test image: skipped with a
 * message where there is no engine, never under CI=true. Everything the tests make is named
 * {@code sme-test-dclient-...} and carries {@link #LABEL}.
 */
public final class TestEngine {

  public static final String PREFIX = "sme-test-dclient-";
  /** The label every test container carries, so a test can find (and an interrupted run clean) only its own. */
  public static final String LABEL = "io.github.sparkmesos.test";
  public static final String BUSYBOX = PREFIX + "busybox:1";

  private static DockerEngine engine;

  private TestEngine() {
  }

  /** The shared engine with the busybox test image present. */
  public static synchronized DockerEngine get() throws Exception {
    if (engine == null) {
      String host = DockerEngine.hostFrom(System.getenv());
      boolean socket = !host.startsWith("unix://") || Files.exists(Path.of(host.substring("unix://".length())));
      Skips.require(socket, "no Docker engine at " + host);
      DockerEngine candidate = DockerEngine.connect(host);
      try {
        candidate.version();
      } catch (EngineException e) {
        candidate.close();
        Skips.require(false, e.getMessage());
      }
      Skips.require(Cli.onPath("docker"), "the docker CLI is not on PATH");
      TestImage.ensure(candidate, BUSYBOX);
      engine = candidate;
    }
    return engine;
  }

  /**
   * A busybox image whose entrypoint writes {@code entrypoint: <its arguments>} to {@code seen} in the working
   * directory, with {@code CMD ["image-cmd"]}: to see what a container keeps of its image.
   */
  public static synchronized String entrypointImage() throws Exception {
    String name = PREFIX + "busybox-entrypoint:1";
    if (get().imageId(name).isEmpty()) {
      TestImage.importWithEntrypoint(name, "[\"/bin/sh\", \"-c\", \"echo \\\"entrypoint: $*\\\" > seen\", \"ep\"]",
          "[\"image-cmd\"]");
    }
    return name;
  }

  /** Creates a named volume, as an operator would before a task uses it. */
  public static void createVolume(String name) throws Exception {
    get().client().createVolumeCmd().withName(name).exec();
  }

  /** Removes a named volume a test made. */
  public static void removeVolume(String name) throws Exception {
    get().client().removeVolumeCmd(name).exec();
  }

  /** A container as the engine shows it (docker inspect), for tests outside this package. */
  public static com.github.dockerjava.api.command.InspectContainerResponse inspect(String idOrName) throws Exception {
    return get().client().inspectContainerCmd(idOrName).exec();
  }

  /** A unique container name with the prefix. */
  public static String name(String what) {
    return PREFIX + what + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The labels of one test: the common label with a value unique to it. */
  static Map<String, String> labels(String testRun) {
    return Map.of(LABEL, testRun);
  }

  /** The project's root: the folder with {@code mvnw} above the module. */
  static Path projectRoot() throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("mvnw")) && Files.exists(dir.resolve("docker-support"))) {
        return dir;
      }
    }
    throw new IOException("no project root above " + Path.of("").toAbsolutePath());
  }
}
