package io.github.sparkmesos.executor.checks;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.apache.mesos.v1.Protos.NetworkInfo;

/** The probe a (validated) health check or check asks for, aimed at the task on this host. */
final class Probes {

  // checks_types.hpp: DEFAULT_IPV4_DOMAIN and DEFAULT_IPV6_DOMAIN
  private static final byte[] IPV4_LOOPBACK = {127, 0, 0, 1};
  private static final byte[] IPV6_LOOPBACK = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

  private Probes() {}

  /** Only a health check has an HTTP scheme and an IP protocol; checker.cpp gives a check http and IPv4. */
  static Probe forHealthCheck(HealthCheck health, TaskChecks.CheckTarget target) {
    Optional<Duration> timeout = timing(health).timeout();
    return switch (health.getType()) {
      case COMMAND -> command(health.getCommand(), target, timeout);
      case HTTP -> http(health.getHttp().hasScheme() ? health.getHttp().getScheme() : "http",
          health.getHttp().getProtocol() == NetworkInfo.Protocol.IPv6, health.getHttp().getPort(),
          health.getHttp().getPath(), timeout, target);
      case TCP -> new TcpProbe(new InetSocketAddress(loopback(
          health.getTcp().getProtocol() == NetworkInfo.Protocol.IPv6), health.getTcp().getPort()), timeout,
          target.networkNamespace());
      default -> throw new IllegalArgumentException("no probe for a health check of type " + health.getType());
    };
  }

  static Probe forCheck(CheckInfo check, TaskChecks.CheckTarget target) {
    Optional<Duration> timeout = timing(check).timeout();
    return switch (check.getType()) {
      case COMMAND -> command(check.getCommand().getCommand(), target, timeout);
      case HTTP -> http("http", false, check.getHttp().getPort(), check.getHttp().getPath(), timeout, target);
      case TCP -> new TcpProbe(new InetSocketAddress(loopback(false), check.getTcp().getPort()), timeout,
          target.networkNamespace());
      default -> throw new IllegalArgumentException("no probe for a check of type " + check.getType());
    };
  }

  static ProbeTiming timing(HealthCheck health) {
    return ProbeTiming.ofSeconds(health.getDelaySeconds(), health.getIntervalSeconds(), health.getTimeoutSeconds());
  }

  static ProbeTiming timing(CheckInfo check) {
    return ProbeTiming.ofSeconds(check.getDelaySeconds(), check.getIntervalSeconds(), check.getTimeoutSeconds());
  }

  /**
   * shell (the default) runs {@code /bin/sh -c value}; otherwise value is the program and arguments its argv.
   * The launcher execs argv[0], so value takes arguments[0]'s place, as for the task's own command.
   */
  static List<String> argv(CommandInfo command) {
    if (command.getShell()) {
      return List.of("/bin/sh", "-c", command.getValue());
    }
    List<String> argv = new ArrayList<>(command.getArgumentsList());
    if (argv.isEmpty()) {
      argv.add(command.getValue());
    } else {
      argv.set(0, command.getValue());
    }
    return argv;
  }

  /** The task's environment with the check's own variables over it (Mesos starts from the executor's). */
  static Map<String, String> environment(CommandInfo command, Map<String, String> taskEnvironment) {
    Map<String, String> environment = new LinkedHashMap<>(taskEnvironment);
    for (Environment.Variable variable : command.getEnvironment().getVariablesList()) {
      environment.put(variable.getName(), variable.getValue());
    }
    return environment;
  }

  static URI uri(String scheme, boolean ipv6, int port, String path) {
    String host = ipv6 ? "[::1]" : "127.0.0.1";
    return URI.create(scheme + "://" + host + ":" + port + path);
  }

  private static Probe command(CommandInfo command, TaskChecks.CheckTarget target,
      Optional<Duration> timeout) {
    return new CommandProbe(target.command().apply(argv(command)), environment(command, target.environment()),
        target.workingDirectory(),
        timeout);
  }

  private static Probe http(String scheme, boolean ipv6, int port, String path,
      Optional<Duration> timeout, TaskChecks.CheckTarget target) {
    return new HttpProbe(uri(scheme, ipv6, port, path), timeout, target.networkNamespace());
  }

  private static InetAddress loopback(boolean ipv6) {
    try {
      return InetAddress.getByAddress(ipv6 ? IPV6_LOOPBACK : IPV4_LOOPBACK);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // only for a wrong length
    }
  }
}
