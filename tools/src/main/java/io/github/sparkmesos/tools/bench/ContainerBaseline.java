package io.github.sparkmesos.tools.bench;

import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.Command;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Row 7's image and its baseline: what Mesos's Docker executor does, {@code docker run} of the same command. */
final class ContainerBaseline {

  private ContainerBaseline() {}

  /** The project's base image (made, or found cached, by images/base-image.sh), or null when no engine answers. */
  static String image(Path home) throws Exception {
    Command.Completed info = Command.run(List.of("docker", "info"), Map.of("PATH", "/usr/local/bin:/usr/bin:/bin"),
        home, Duration.ofSeconds(30));
    if (!info.status().isSuccess()) {
      Log.info("no Docker engine answers: row 7 (a task in a container) is left out");
      return null;
    }
    Command.Completed made = Command.run(List.of(home.resolve("images/base-image.sh").toString()),
        Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), home, Duration.ofMinutes(10));
    if (!made.status().isSuccess()) {
      throw new IllegalStateException("images/base-image.sh failed: " + made.stderr());
    }
    return made.stdout().trim();
  }

  /** {@code docker run --rm} of a command that makes its marker, until the marker appears. */
  static double dockerRunMillis(Path dir, FileArrivals marks, String id, String image) throws Exception {
    String shared = marks.dir() + ":" + marks.dir();
    long start = System.nanoTime();
    ChildProcess child = ProcessLauncher.spawn(new ProcessSpec(List.of("docker", "run", "--rm", "--network", "host",
        "-v", shared, image, "/bin/sh", "-c", ExecutorRun.marker(marks.dir(), id) + "exit 0"),
        Map.of("PATH", "/usr/local/bin:/usr/bin:/bin"), dir, dir.resolve("docker-run.out"),
        dir.resolve("docker-run.err")));
    long ran = marks.await("ready-" + id + "-", ExecutorRun.TIMEOUT).getValue();
    child.onExit().get(1, TimeUnit.MINUTES);
    return (ran - start) / 1e6;
  }
}
