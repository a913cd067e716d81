package io.github.sparkmesos.tools.spark;

import io.github.sparkmesos.testing.Skips;
import io.github.sparkmesos.tools.demo.FileServer;
import io.github.sparkmesos.tools.demo.SparkDistribution;
import io.github.sparkmesos.tools.demo.SparkDriver;
import java.nio.file.Path;

/**
 * The project's Spark distribution for the Spark tests: the jars built by {@code spark-testkit}, the tarball made
 * from them once under {@code build/spark}, and a file server on loopback that serves it at {@link #executorUri}.
 * Public for the distribution module's tests (the tools test-jar), which run it in the executor's image.
 */
public final class ServedSpark implements AutoCloseable {

  public final Path home;
  public final SparkDriver.Layout layout;
  public final Path tarball;
  public final String executorUri;
  private final FileServer server;

  private ServedSpark(Path home, SparkDriver.Layout layout, Path tarball, FileServer server) {
    this.home = home;
    this.layout = layout;
    this.tarball = tarball;
    this.server = server;
    this.executorUri = server.url(tarball.getFileName().toString());
  }

  /** Skips with a message when the Spark jars are not built (never under CI=true, where the build makes them). */
  public static ServedSpark start() throws Exception {
    Path home = Path.of(System.getProperty("sme.home", "..")).toAbsolutePath().normalize();
    SparkDriver.Layout layout = SparkDriver.Layout.of(home);
    Skips.require(layout.built(), "Spark jars not built under " + home + "/spark-testkit/target (run ./mvnw package)");
    Path tarball = SparkDistribution.ensureTarball(layout.sparkJars(), home.resolve("build/spark"));
    return new ServedSpark(home, layout, tarball, new FileServer(tarball.getParent()));
  }

  @Override
  public void close() {
    server.close();
  }
}
