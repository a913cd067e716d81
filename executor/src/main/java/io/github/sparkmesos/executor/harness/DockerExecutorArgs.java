package io.github.sparkmesos.executor.harness;

import java.nio.file.Path;
import java.util.List;

/**
 * The arguments an agent's Docker containerizer gives {@code mesos-docker-executor}: {@code dockerFlags}
 * (src/slave/containerizer/docker.cpp) handed to {@code subprocess}, which appends every flag that has a value
 * as {@code --name=value} in the order of stout's flag map, by name. So the logging flags and {@code --help}
 * that src/docker/executor.hpp inherits come with their defaults, and the Option flags left unset do not come:
 * {@code --default_container_dns} (agent flag unset), {@code --log_dir}, {@code --external_log_file}, and
 * {@code --task_environment}, set only by a {@code slavePreLaunchDockerTaskExecutorDecorator} hook, which this
 * agent has none of. The values are those of an agent's defaults ({@code --docker=docker},
 * {@code --sandbox_directory=/mnt/mesos/sandbox}, {@code --docker_stop_timeout=0ns}, no
 * {@code --cgroups_enable_cfs}).
 */
final class DockerExecutorArgs {

  static final String PROGRAM = "mesos-docker-executor";
  /** The agent's {@code --sandbox_directory}: where a Docker container sees its sandbox. */
  static final String MAPPED_DIRECTORY = "/mnt/mesos/sandbox";

  private DockerExecutorArgs() {}

  /**
   * @param container    {@code mesos-<containerId>}
   * @param dockerSocket the engine's socket path (the agent's {@code --docker_socket})
   * @param sandbox      the sandbox on the host
   * @param launcherDir  the agent's {@code --launcher_dir}
   */
  static List<String> of(String container, String dockerSocket, Path sandbox, Path launcherDir) {
    return List.of(
        "--cgroups_enable_cfs=false",
        "--container=" + container,
        "--docker=docker",
        "--docker_socket=" + dockerSocket,
        "--help=false",
        "--initialize_driver_logging=true",
        "--launcher_dir=" + launcherDir,
        "--logbufsecs=0",
        "--logging_level=INFO",
        "--mapped_directory=" + MAPPED_DIRECTORY,
        "--quiet=false",
        "--sandbox_directory=" + sandbox,
        "--stop_timeout=0ns");
  }
}
