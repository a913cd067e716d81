package io.github.sparkmesos.executor.mesos;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What the agent tells an executor through its environment (the agent's own environment is not
 * inherited; there is no MESOS_USER). Read once at start; a missing or malformed variable is an
 * error naming it. With {@code MESOS_DOMAIN_SOCKET} the agent is reached over that Unix socket in
 * plain HTTP, as the C++ executor library does, even when TLS is configured.
 */
public record AgentEnvironment(
    String frameworkId,
    String executorId,
    String agentUrl,
    boolean checkpoint,
    Duration shutdownGracePeriod,
    Duration recoveryTimeout,
    Duration subscriptionBackoffMax,
    Optional<String> authenticationToken,
    Path sandbox,
    Optional<Path> domainSocket,
    Optional<AgentTls> tls) {

  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);
  public static final Duration DEFAULT_RECOVERY_TIMEOUT = Duration.ofMinutes(15);
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(2);
  /** sun_path's size, the NUL included (src/common/domain_sockets.hpp). */
  static final int MAX_SOCKET_PATH_BYTES = 108;

  public static AgentEnvironment from(Map<String, String> env) {
    String frameworkId = required(env, "MESOS_FRAMEWORK_ID");
    String executorId = required(env, "MESOS_EXECUTOR_ID");
    boolean checkpoint = "1".equals(env.get("MESOS_CHECKPOINT"));
    String token = env.get("MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
    String sandbox = firstNonEmpty(env.get("MESOS_SANDBOX"), env.get("MESOS_DIRECTORY"), System.getProperty("user.dir"));
    return new AgentEnvironment(frameworkId, executorId, agentUrl(env), checkpoint,
        duration(env, "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", DEFAULT_SHUTDOWN_GRACE),
        duration(env, "MESOS_RECOVERY_TIMEOUT", DEFAULT_RECOVERY_TIMEOUT),
        duration(env, "MESOS_SUBSCRIPTION_BACKOFF_MAX", DEFAULT_BACKOFF_MAX),
        Optional.ofNullable(token).filter(t -> !t.isEmpty()),
        Path.of(sandbox).toAbsolutePath(), domainSocket(env), AgentTls.from(env));
  }

  /**
   * {@code http(s)://MESOS_AGENT_ENDPOINT/api/v1/executor}, or from the libprocess pid
   * {@code slave(1)@ip:port} as the C++ library does; over a domain socket, libprocess's
   * {@code http+unix://<socket path, encoded>/slave(1)/api/v1/executor}.
   */
  static String agentUrl(Map<String, String> env) {
    Optional<Path> socket = domainSocket(env);
    if (socket.isPresent()) {
      return "http+unix://" + URLEncoder.encode(socket.get().toString(), StandardCharsets.UTF_8) + socketApiPath(env);
    }
    String scheme = AgentTls.enabled(env) ? "https" : "http";
    String endpoint = env.get("MESOS_AGENT_ENDPOINT");
    if (endpoint != null && !endpoint.isEmpty()) {
      return scheme + "://" + endpoint + "/api/v1/executor";
    }
    String pid = env.get("MESOS_SLAVE_PID");
    if (pid != null && pid.contains("@")) {
      String id = pid.substring(0, pid.indexOf('@'));
      return scheme + "://" + pid.substring(pid.indexOf('@') + 1) + "/" + id + "/api/v1/executor";
    }
    throw new IllegalArgumentException("MESOS_AGENT_ENDPOINT (ip:port) or MESOS_SLAVE_PID (slave(1)@ip:port)"
        + " must be set: this program is started by a Mesos agent, or by 'spark-mesos-executor harness'");
  }

  /** The agent serves only {@code /<pid id>/api/v1/executor} on its socket (slave.cpp). */
  static String socketApiPath(Map<String, String> env) {
    String pid = env.getOrDefault("MESOS_SLAVE_PID", "");
    return "/" + (pid.contains("@") ? pid.substring(0, pid.indexOf('@')) : "slave(1)") + "/api/v1/executor";
  }

  /**
   * {@code MESOS_DOMAIN_SOCKET}; a path too long for a socket address (108 bytes with its NUL) is
   * made relative to the working directory first, as the C++ library does.
   */
  static Optional<Path> domainSocket(Map<String, String> env) {
    String value = env.get("MESOS_DOMAIN_SOCKET");
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    Path path = Path.of(value);
    if (fitsSocketAddress(path)) {
      return Optional.of(path);
    }
    Path relative = Path.of(".").resolve(Path.of("").toAbsolutePath().relativize(path.toAbsolutePath()));
    if (fitsSocketAddress(relative)) {
      return Optional.of(relative);
    }
    throw new IllegalArgumentException("MESOS_DOMAIN_SOCKET: '" + value + "' is " + value.getBytes(
        StandardCharsets.UTF_8).length + " bytes, also relative to the working directory; a Unix socket path must be"
        + " under " + MAX_SOCKET_PATH_BYTES + " bytes");
  }

  private static boolean fitsSocketAddress(Path path) {
    return path.toString().getBytes(StandardCharsets.UTF_8).length < MAX_SOCKET_PATH_BYTES;
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(name + " must be set (the Mesos agent sets it for every executor)");
    }
    return value;
  }

  private static Duration duration(Map<String, String> env, String name, Duration fallback) {
    String value = env.get(name);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  private static String firstNonEmpty(String... values) {
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return ".";
  }
}
