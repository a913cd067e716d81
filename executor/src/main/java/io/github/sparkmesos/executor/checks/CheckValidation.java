package io.github.sparkmesos.executor.checks;

import io.github.sparkmesos.executor.task.InvalidTaskException;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.HealthCheck;

/**
 * The rules of Mesos's validateHealthCheck and validateCheckInfo (src/common/validation.cpp), each error
 * naming its field, plus what this executor needs to run a probe at all: a port number that fits, a path
 * that makes a URI, finite seconds, and plain (not SECRET) environment variables.
 */
final class CheckValidation {

  private static final String HEALTH = "TaskInfo.health_check";
  private static final String CHECK = "TaskInfo.check";

  private CheckValidation() {}

  static void validate(HealthCheck health) throws InvalidTaskException {
    switch (health.getType()) {
      case COMMAND -> {
        require(health.hasCommand(), HEALTH + ".command", "is required for a COMMAND health check");
        command(health.getCommand(), HEALTH + ".command");
      }
      case HTTP -> {
        require(health.hasHttp(), HEALTH + ".http", "is required for an HTTP health check");
        HealthCheck.HTTPCheckInfo http = health.getHttp();
        require(!http.hasScheme() || http.getScheme().equals("http") || http.getScheme().equals("https"),
            HEALTH + ".http.scheme", "must be 'http' or 'https', not '" + http.getScheme() + "'");
        port(http.getPort(), HEALTH + ".http.port");
        path(http.getPath(), HEALTH + ".http.path");
      }
      case TCP -> {
        require(health.hasTcp(), HEALTH + ".tcp", "is required for a TCP health check");
        port(health.getTcp().getPort(), HEALTH + ".tcp.port");
      }
      default -> throw new InvalidTaskException(HEALTH + ".type", "must be COMMAND, HTTP or TCP");
    }
    seconds(health.getDelaySeconds(), HEALTH + ".delay_seconds");
    seconds(health.getIntervalSeconds(), HEALTH + ".interval_seconds");
    seconds(health.getTimeoutSeconds(), HEALTH + ".timeout_seconds");
    seconds(health.getGracePeriodSeconds(), HEALTH + ".grace_period_seconds");
  }

  static void validate(CheckInfo check) throws InvalidTaskException {
    switch (check.getType()) {
      case COMMAND -> {
        require(check.hasCommand(), CHECK + ".command", "is required for a COMMAND check");
        command(check.getCommand().getCommand(), CHECK + ".command.command");
      }
      case HTTP -> {
        require(check.hasHttp(), CHECK + ".http", "is required for an HTTP check");
        port(check.getHttp().getPort(), CHECK + ".http.port");
        path(check.getHttp().getPath(), CHECK + ".http.path");
      }
      case TCP -> {
        require(check.hasTcp(), CHECK + ".tcp", "is required for a TCP check");
        port(check.getTcp().getPort(), CHECK + ".tcp.port");
      }
      default -> throw new InvalidTaskException(CHECK + ".type", "must be COMMAND, HTTP or TCP");
    }
    seconds(check.getDelaySeconds(), CHECK + ".delay_seconds");
    seconds(check.getIntervalSeconds(), CHECK + ".interval_seconds");
    seconds(check.getTimeoutSeconds(), CHECK + ".timeout_seconds");
  }

  private static void command(CommandInfo command, String field) throws InvalidTaskException {
    require(command.hasValue() && !command.getValue().isEmpty(), field + ".value",
        command.getShell() ? "is required: the shell command" : "is required: the executable path");
    require(command.getValue().indexOf('\0') < 0, field + ".value", "must not contain NUL");
    for (int i = 0; i < command.getArgumentsCount(); i++) {
      require(command.getArguments(i).indexOf('\0') < 0, field + ".arguments[" + i + "]", "must not contain NUL");
    }
    for (int i = 0; i < command.getEnvironment().getVariablesCount(); i++) {
      Environment.Variable variable = command.getEnvironment().getVariables(i);
      String at = field + ".environment.variables[" + i + "]";
      require(variable.getType() == Environment.Variable.Type.VALUE, at + ".type",
          "must be VALUE: secrets are not supported in a check's environment");
      require(variable.hasValue(), at + ".value", "is required for a variable of type VALUE");
      String name = variable.getName();
      require(!name.isEmpty() && name.indexOf('=') < 0 && name.indexOf('\0') < 0, at + ".name",
          "must be non-empty, without '=' or NUL");
      require(variable.getValue().indexOf('\0') < 0, at + ".value", "must not contain NUL");
    }
  }

  private static void port(int port, String field) throws InvalidTaskException {
    // a uint32 in the proto; Mesos narrows it to 16 bits without a word
    require(port >= 1 && port <= 65535, field, "must be a port number from 1 to 65535, not "
        + Integer.toUnsignedString(port));
  }

  private static void path(String path, String field) throws InvalidTaskException {
    if (path.isEmpty()) {
      return;
    }
    require(path.startsWith("/"), field, "must start with '/', not '" + path + "'");
    try {
      Probes.uri("http", false, 1, path);
    } catch (IllegalArgumentException e) {
      throw new InvalidTaskException(field, "is not a valid URI path: " + e.getMessage());
    }
  }

  private static void seconds(double seconds, String field) throws InvalidTaskException {
    require(Double.isFinite(seconds) && seconds >= 0, field, "must be a non-negative number of seconds");
  }

  private static void require(boolean rule, String field, String message) throws InvalidTaskException {
    if (!rule) {
      throw new InvalidTaskException(field, message);
    }
  }
}
