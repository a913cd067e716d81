package io.github.sparkmesos.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A connection to one Docker engine, through docker-java's zerodep transport. The only class that builds a
 * docker-java client: the steps ({@link PullStep}, {@link ContainerLifecycle}) take an engine. Nothing of
 * docker-java is loaded before this class is used.
 *
 * <p>Over a unix socket the transport does not enforce a response timeout, so every wait in the steps carries
 * its own deadline.
 */
public final class DockerEngine implements AutoCloseable {

  /** Where the engine listens when {@code DOCKER_HOST} is not set. */
  public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  private final String host;
  private final DockerClient client;

  private DockerEngine(String host, DockerClient client) {
    this.host = host;
    this.client = client;
  }

  /** The engine of {@code DOCKER_HOST}, or {@link #DEFAULT_HOST}. */
  public static DockerEngine connect() {
    return connect(hostFrom(System.getenv()));
  }

  /** {@code DOCKER_HOST} of {@code env} when set and not blank, else {@link #DEFAULT_HOST}. */
  public static String hostFrom(Map<String, String> env) {
    String value = env.get("DOCKER_HOST");
    return value == null || value.isBlank() ? DEFAULT_HOST : value.strip();
  }

  /**
   * An engine at {@code host}: {@code unix:///path/to/docker.sock} (or a bare socket path) or
   * {@code tcp://host:port} (plain; TLS is not supported, BouncyCastle is not on the classpath).
   */
  public static DockerEngine connect(String host) {
    String uri = host.startsWith("/") ? "unix://" + host : host;
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(uri).withDockerTlsVerify(false).build();
    DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .maxConnections(16)
        .connectionTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ZERO)
        .build();
    return new DockerEngine(uri, DockerClientImpl.getInstance(config, http));
  }

  /** The engine's address, as a URI. */
  public String host() {
    return host;
  }

  /** The engine's version, e.g. {@code 20.10.24+dfsg1}: a cheap check that the engine answers. */
  public String version() throws EngineException {
    try {
      return client.versionCmd().exec().getVersion();
    } catch (RuntimeException e) {
      throw new EngineException("Docker engine at " + host + " does not answer: " + Failures.reason(e), e);
    }
  }

  /** The id ({@code sha256:...}) of the local image {@code image}, if the engine has it. */
  public Optional<String> imageId(String image) throws EngineException {
    try {
      return Optional.ofNullable(client.inspectImageCmd(image).exec().getId());
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw new EngineException("Failed to inspect image '" + image + "': " + Failures.reason(e), e);
    }
  }

  DockerClient client() {
    return client;
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
