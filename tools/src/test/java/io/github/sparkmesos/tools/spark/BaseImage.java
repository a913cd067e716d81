package io.github.sparkmesos.tools.spark;

import io.github.sparkmesos.docker.DockerEngine;
import io.github.sparkmesos.docker.EngineException;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ExitStatus;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import io.github.sparkmesos.testing.Skips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The executor's base image (a Debian bookworm with a JRE 17, {@code JAVA_HOME} set and {@code java}
 * on PATH) from {@code images/base-image.sh}: built once (debootstrap, a few minutes), cached under
 * {@code build/images/} and in the engine. Skipped with a message where there is no engine, never
 * under CI=true. The script runs through the project's launcher: the harness's reaper owns every
 * child exit of this JVM.
 */
final class BaseImage {

  private BaseImage() {}

  /** The engine's address, after checking an engine answers there (else the test is skipped). */
  static String engine() {
    String host = DockerEngine.hostFrom(System.getenv());
    boolean socket = !host.startsWith("unix://") || Files.exists(Path.of(host.substring("unix://".length())));
    Skips.require(socket, "no Docker engine at " + host);
    try (DockerEngine engine = DockerEngine.connect(host)) {
      engine.version();
    } catch (EngineException e) {
      Skips.require(false, "no Docker engine at " + host + ": " + e.getMessage());
    }
    return host;
  }

  /** The base image's tag, built or imported when the engine lacks it. */
  static String ensure(Path home, Path logDir) throws Exception {
    Files.createDirectories(logDir);
    Path out = logDir.resolve("base-image.out");
    Path err = logDir.resolve("base-image.err");
    Map<String, String> env = new LinkedHashMap<>(System.getenv());
    ChildProcess script = ProcessLauncher.spawn(ProcessSpec.of(List.of(home.resolve("images/base-image.sh").toString()),
        env, home).withOutput(out, err));
    ExitStatus status = script.onExit().get(20, TimeUnit.MINUTES);
    String tag = Files.readString(out).strip();
    // a machine that cannot build it (no debootstrap, not root) skips; CI=true never does
    Skips.require(status.isSuccess() && !tag.isEmpty(),
        "images/base-image.sh " + status.describe() + ": " + Files.readString(err).strip());
    return tag;
  }
}
