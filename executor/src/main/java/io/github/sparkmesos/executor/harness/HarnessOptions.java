package io.github.sparkmesos.executor.harness;

import io.github.sparkmesos.executor.mesos.Durations;
import io.github.sparkmesos.executor.mesos.WireFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The command line of {@code spark-mesos-executor harness}. */
public record HarnessOptions(
    Path taskFile,
    Optional<Path> sandbox,
    Optional<Duration> killAfter,
    Optional<Duration> killGrace,
    Optional<Duration> shutdownAfter,
    Optional<Duration> restartAgentAfter,
    Duration restartDuration,
    boolean checkpoint,
    Duration timeout,
    WireFormat contentType,
    boolean authenticate,
    boolean taskKillingState,
    Duration shutdownGracePeriod,
    Map<String, String> executorEnvironment,
    Optional<String> executorCommand,
    Optional<Path> launcherDir,
    Duration executorRegistrationTimeout,
    Duration executorReregistrationTimeout,
    boolean partitionAware,
    boolean terminatingFramework,
    Optional<Path> tls,
    boolean tlsClientAuth,
    boolean domainSocket) {

  /** The agent refuses a longer --executor_reregistration_timeout (MAX_EXECUTOR_REREGISTRATION_TIMEOUT). */
  static final Duration MAX_REREGISTRATION_TIMEOUT = Duration.ofSeconds(15);

  public static final String USAGE = """
      usage: spark-mesos-executor harness TASK.json [options]
        TASK.json                   a TaskInfo (or a TaskGroupInfo {"tasks": [...]}) in Mesos v1 JSON
        --sandbox DIR               the executor's sandbox (default: a new temporary directory)
        --kill-after DURATION       send KILL this long after the task's TASK_RUNNING
        --kill-grace DURATION       the kill_policy of that KILL (default: the TaskInfo's, else 3secs)
        --shutdown-after DURATION   send SHUTDOWN this long after TASK_RUNNING
        --restart-agent-after DURATION
                                    restart the agent this long after TASK_RUNNING
        --restart-duration DURATION how long the restart takes before the agent takes SUBSCRIBE again
                                    (default 1secs): for its first quarter the agent is down
                                    (connections refused), for the second its routes are missing
                                    (404), for the last half its containers recover (503 to all);
                                    then it waits --executor-reregistration-timeout for the executor
                                    to re-subscribe (SUBSCRIBE and HEARTBEAT pass, other calls 503)
                                    and destroys it if it did not. Without --checkpoint the agent
                                    does not recover the executor: it destroys it as an orphan and
                                    the master reports its tasks TASK_LOST (REASON_AGENT_DISCONNECTED)
        --executor-registration-timeout DURATION
                                    destroy an executor that has not subscribed this long after its
                                    start (default 1mins); its tasks fail
        --executor-reregistration-timeout DURATION
                                    after a restart, destroy an executor that has not re-subscribed
                                    within this (default 2secs, at most 15secs); its tasks are lost
        --partition-aware           the framework has the PARTITION_AWARE capability (TASK_GONE
                                    instead of TASK_LOST)
        --terminating-framework     SHUTDOWN is the framework's shutdown: from then on the agent
                                    acknowledges no update, as for a terminating framework
        --checkpoint                the framework checkpoints (MESOS_CHECKPOINT=1)
        --timeout DURATION          give up after this long (default 10mins)
        --content-type json|protobuf  what the executor speaks (default protobuf)
        --authenticate              require MESOS_EXECUTOR_AUTHENTICATION_TOKEN as a Bearer token
        --task-killing-state        the framework has the TASK_KILLING_STATE capability
        --shutdown-grace-period DURATION  MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD (default 5secs)
        --fetch-cache DIR           the node's fetch cache (SPARK_MESOS_EXECUTOR_FETCH_CACHE)
        --env NAME=VALUE            add to the executor's environment (repeatable; JAVA_HOME and
                                    PATH are passed on as --executor_environment_variables would)
        --executor-command CMD      run CMD (through sh -c) instead of this program's executor mode
        --launcher-dir DIR          the agent's --launcher_dir: a command task (a TaskInfo with command,
                                    without executor and data) runs the real path of DIR/mesos-executor
                                    with --launcher_dir=DIR, as an agent runs its command executor
                                    (default: a temporary folder whose mesos-executor runs the executor
                                    command above)
        --tls DIR                   serve HTTPS with DIR/server.pem and DIR/server.key (PEM), and give the
                                    executor LIBPROCESS_SSL_* with the CA DIR/ca.pem and, if present,
                                    the client certificate DIR/client.pem and key DIR/client.key
        --tls-client-auth           require a client certificate signed by DIR/ca.pem
        --domain-socket             also serve the API on a Unix socket (MESOS_DOMAIN_SOCKET), as an
                                    agent with --http_executor_domain_sockets
      DURATION is a Mesos duration: 500ms, 5secs, 2mins.
      Each status update is printed on stdout as one JSON line.""";

  public static HarnessOptions parse(List<String> args) {
    Path taskFile = null;
    Optional<Path> sandbox = Optional.empty();
    Optional<Duration> killAfter = Optional.empty();
    Optional<Duration> killGrace = Optional.empty();
    Optional<Duration> shutdownAfter = Optional.empty();
    Optional<Duration> restartAfter = Optional.empty();
    Duration restartDuration = Duration.ofSeconds(1);
    boolean checkpoint = false;
    Duration timeout = Duration.ofMinutes(10);
    WireFormat format = WireFormat.PROTOBUF;
    boolean authenticate = false;
    boolean killingState = false;
    Duration shutdownGrace = Duration.ofSeconds(5);
    Map<String, String> env = new LinkedHashMap<>();
    Optional<String> command = Optional.empty();
    Optional<Path> launcherDir = Optional.empty();
    Duration registrationTimeout = Duration.ofMinutes(1);
    Duration reregistrationTimeout = Duration.ofSeconds(2);
    boolean partitionAware = false;
    boolean terminatingFramework = false;
    Optional<Path> tls = Optional.empty();
    boolean tlsClientAuth = false;
    boolean domainSocket = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--sandbox" -> sandbox = Optional.of(Path.of(value(args, ++i, a)));
        case "--kill-after" -> killAfter = Optional.of(duration(args, ++i, a));
        case "--kill-grace" -> killGrace = Optional.of(duration(args, ++i, a));
        case "--shutdown-after" -> shutdownAfter = Optional.of(duration(args, ++i, a));
        case "--restart-agent-after" -> restartAfter = Optional.of(duration(args, ++i, a));
        case "--restart-duration" -> restartDuration = duration(args, ++i, a);
        case "--executor-registration-timeout" -> registrationTimeout = duration(args, ++i, a);
        case "--executor-reregistration-timeout" -> reregistrationTimeout = duration(args, ++i, a);
        case "--partition-aware" -> partitionAware = true;
        case "--terminating-framework" -> terminatingFramework = true;
        case "--checkpoint" -> checkpoint = true;
        case "--timeout" -> timeout = duration(args, ++i, a);
        case "--content-type" -> format = WireFormat.parse(value(args, ++i, a));
        case "--authenticate" -> authenticate = true;
        case "--task-killing-state" -> killingState = true;
        case "--shutdown-grace-period" -> shutdownGrace = duration(args, ++i, a);
        case "--env" -> {
          String kv = value(args, ++i, a);
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--env: expected NAME=VALUE, got '" + kv + "'");
          }
          env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        case "--fetch-cache" -> env.put("SPARK_MESOS_EXECUTOR_FETCH_CACHE",
            Path.of(value(args, ++i, a)).toAbsolutePath().toString());
        case "--executor-command" -> command = Optional.of(value(args, ++i, a));
        case "--launcher-dir" -> launcherDir = Optional.of(Path.of(value(args, ++i, a)).toAbsolutePath());
        case "--tls" -> tls = Optional.of(Path.of(value(args, ++i, a)).toAbsolutePath());
        case "--tls-client-auth" -> tlsClientAuth = true;
        case "--domain-socket" -> domainSocket = true;
        default -> {
          if (a.startsWith("--")) {
            throw new IllegalArgumentException("unknown option " + a);
          }
          if (taskFile != null) {
            throw new IllegalArgumentException("only one TASK.json may be given (got " + taskFile + " and " + a + ")");
          }
          taskFile = Path.of(a);
        }
      }
    }
    if (taskFile == null) {
      throw new IllegalArgumentException("TASK.json is required");
    }
    if (tlsClientAuth && tls.isEmpty()) {
      throw new IllegalArgumentException("--tls-client-auth needs --tls DIR");
    }
    if (domainSocket && tls.isPresent()) {
      throw new IllegalArgumentException("--domain-socket and --tls exclude each other: an agent serves plain HTTP"
          + " on its socket, and the harness relays the socket to its one API server");
    }
    if (reregistrationTimeout.compareTo(MAX_REREGISTRATION_TIMEOUT) > 0) {
      throw new IllegalArgumentException("--executor-reregistration-timeout: at most "
          + Durations.format(MAX_REREGISTRATION_TIMEOUT) + ", as the agent allows, got "
          + Durations.format(reregistrationTimeout));
    }
    return new HarnessOptions(taskFile, sandbox, killAfter, killGrace, shutdownAfter, restartAfter, restartDuration,
        checkpoint, timeout, format, authenticate, killingState, shutdownGrace, env, command, launcherDir,
        registrationTimeout, reregistrationTimeout, partitionAware, terminatingFramework, tls, tlsClientAuth,
        domainSocket);
  }

  /** The same options with another shutdown grace period (an ExecutorInfo's overrides the agent's flag). */
  HarnessOptions withShutdownGracePeriod(Duration grace) {
    return new HarnessOptions(taskFile, sandbox, killAfter, killGrace, shutdownAfter, restartAgentAfter,
        restartDuration, checkpoint, timeout, contentType, authenticate, taskKillingState, grace, executorEnvironment,
        executorCommand, launcherDir, executorRegistrationTimeout, executorReregistrationTimeout, partitionAware,
        terminatingFramework, tls, tlsClientAuth, domainSocket);
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(i);
  }

  private static Duration duration(List<String> args, int i, String option) {
    try {
      return Durations.parse(value(args, i, option));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }
}
