package io.github.sparkmesos.executor.harness;

import io.github.sparkmesos.docker.ContainerLifecycle;
import io.github.sparkmesos.docker.DockerEngine;
import io.github.sparkmesos.docker.EngineException;
import io.github.sparkmesos.docker.PullOptions;
import io.github.sparkmesos.docker.PullResult;
import io.github.sparkmesos.docker.PullStep;
import io.github.sparkmesos.executor.util.Log;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.mesos.v1.Protos.ContainerInfo;

/**
 * The agent's Docker containerizer around {@code mesos-docker-executor}: it pulls the task's image before the
 * executor starts (inspect, else pull; always with {@code force_pull_image}; one {@code docker pull}, with
 * the credentials of a {@code .docker/config.json} fetched into the sandbox, as {@code HOME=<sandbox>} gives
 * them), and once the executor has exited it removes the container named {@code mesos-<containerId>} if it
 * is still there. The engine is {@code DOCKER_HOST}'s, else {@code /var/run/docker.sock}.
 */
final class AgentDocker implements AutoCloseable {

  private final DockerEngine engine;
  private final String containerName;

  private AgentDocker(DockerEngine engine, String containerName) {
    this.engine = engine;
    this.containerName = containerName;
  }

  /** @param containerId the id the agent gives the executor's container */
  static AgentDocker connect(String containerId) {
    return new AgentDocker(DockerEngine.connect(DockerEngine.hostFrom(System.getenv())), "mesos-" + containerId);
  }

  /** {@code mesos-<containerId>}: the name the executor must give the task's container. */
  String containerName() {
    return containerName;
  }

  /** The engine's address as the agent's {@code --docker_socket} takes it: the socket's path. */
  String socket() {
    String host = engine.host();
    return host.startsWith("unix://") ? host.substring("unix://".length()) : host;
  }

  /** Makes the image present as the containerizer's {@code pull} does. */
  void pull(ContainerInfo.DockerInfo docker, Path sandbox) throws EngineException {
    Path config = sandbox.resolve(".docker/config.json");
    PullOptions options = PullOptions.defaults().withForcePull(docker.getForcePullImage())
        .withRetries(1, Duration.ZERO, Duration.ZERO).withDockerConfig(Files.isRegularFile(config) ? config : null);
    PullResult pulled = new PullStep(engine, options, null).pull(docker.getImage());
    Log.info("image " + pulled.image() + (pulled.pulled() ? " pulled" : " present") + " (" + pulled.imageId() + ")");
  }

  /**
   * After the executor exited: removes the container if it is still there; one still running is left
   * behind by the executor.
   */
  void removeContainer(Verdict verdict) {
    ContainerLifecycle containers = new ContainerLifecycle(engine);
    try {
      Optional<Boolean> running = containers.running(containerName);
      if (running.isEmpty()) {
        return;
      }
      if (running.get()) {
        verdict.violation("container " + containerName + " was still running after the executor exited");
      }
      containers.remove(containerName);
      Log.info("removed the container " + containerName + (running.get() ? "" : " (it had exited)"));
    } catch (EngineException e) {
      verdict.problem("could not remove the container " + containerName + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    engine.close();
  }
}
