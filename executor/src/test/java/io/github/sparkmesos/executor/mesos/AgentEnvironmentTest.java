package io.github.sparkmesos.executor.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentEnvironmentTest {

  private static Map<String, String> minimal() {
    Map<String, String> env = new HashMap<>();
    env.put("MESOS_FRAMEWORK_ID", "fw-1");
    env.put("MESOS_EXECUTOR_ID", "exec-1");
    env.put("MESOS_AGENT_ENDPOINT", "10.0.0.5:5051");
    return env;
  }

  @ParameterizedTest
  @ValueSource(strings = {"MESOS_FRAMEWORK_ID", "MESOS_EXECUTOR_ID"})
  void aMissingOrEmptyRequiredVariableIsNamed(String name) {
    Map<String, String> env = minimal();
    env.remove(name);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentEnvironment.from(env));
    assertTrue(e.getMessage().startsWith(name + " must be set"), e.getMessage());
    env.put(name, "");
    e = assertThrows(IllegalArgumentException.class, () -> AgentEnvironment.from(env));
    assertTrue(e.getMessage().startsWith(name + " must be set"), e.getMessage());
  }

  @Test
  void noWayToReachTheAgentNamesBothVariables() {
    Map<String, String> env = minimal();
    env.remove("MESOS_AGENT_ENDPOINT");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentEnvironment.from(env));
    assertTrue(e.getMessage().contains("MESOS_AGENT_ENDPOINT"), e.getMessage());
    assertTrue(e.getMessage().contains("MESOS_SLAVE_PID"), e.getMessage());
  }

  @Test
  void idsAreRead() {
    AgentEnvironment a = AgentEnvironment.from(minimal());
    assertEquals("fw-1", a.frameworkId());
    assertEquals("exec-1", a.executorId());
  }

  @Test
  void agentEndpointGivesTheDocumentedUrl() {
    assertEquals("http://10.0.0.5:5051/api/v1/executor", AgentEnvironment.from(minimal()).agentUrl());
  }

  @Test
  void onlyTheSlavePidGivesTheLibprocessPath() {
    Map<String, String> env = minimal();
    env.remove("MESOS_AGENT_ENDPOINT");
    env.put("MESOS_SLAVE_PID", "slave(1)@10.0.0.5:5051");
    assertEquals("http://10.0.0.5:5051/slave(1)/api/v1/executor", AgentEnvironment.from(env).agentUrl());
  }

  @Test
  void theEndpointWinsOverThePid() {
    Map<String, String> env = minimal();
    env.put("MESOS_SLAVE_PID", "slave(1)@10.9.9.9:1");
    assertEquals("http://10.0.0.5:5051/api/v1/executor", AgentEnvironment.from(env).agentUrl());
  }

  @Test
  void sslSwitchesToHttps() {
    Map<String, String> env = minimal();
    env.put("LIBPROCESS_SSL_ENABLED", "1");
    assertEquals("https://10.0.0.5:5051/api/v1/executor", AgentEnvironment.from(env).agentUrl());
    env.put("LIBPROCESS_SSL_ENABLED", "true");
    assertEquals("https://10.0.0.5:5051/api/v1/executor", AgentEnvironment.from(env).agentUrl());
    env.remove("MESOS_AGENT_ENDPOINT");
    env.put("MESOS_SLAVE_PID", "slave(1)@10.0.0.5:5051");
    assertEquals("https://10.0.0.5:5051/slave(1)/api/v1/executor", AgentEnvironment.from(env).agentUrl());
    env.put("LIBPROCESS_SSL_ENABLED", "0");
    assertEquals("http://10.0.0.5:5051/slave(1)/api/v1/executor", AgentEnvironment.from(env).agentUrl());
  }

  @Test
  void checkpointIsOnOnlyForOne() {
    Map<String, String> env = minimal();
    assertFalse(AgentEnvironment.from(env).checkpoint());
    env.put("MESOS_CHECKPOINT", "1");
    assertTrue(AgentEnvironment.from(env).checkpoint());
    for (String off : new String[] {"0", "true", "yes", ""}) {
      env.put("MESOS_CHECKPOINT", off);
      assertFalse(AgentEnvironment.from(env).checkpoint(), off);
    }
  }

  @Test
  void defaultsApplyWhenTheDurationsAreAbsent() {
    AgentEnvironment a = AgentEnvironment.from(minimal());
    assertEquals(Duration.ofSeconds(5), a.shutdownGracePeriod());
    assertEquals(Duration.ofMinutes(15), a.recoveryTimeout());
    assertEquals(Duration.ofSeconds(2), a.subscriptionBackoffMax());
    assertEquals(Optional.empty(), a.authenticationToken());
  }

  @Test
  void durationsAreRead() {
    Map<String, String> env = minimal();
    env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "1.5secs");
    env.put("MESOS_RECOVERY_TIMEOUT", "1hrs");
    env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "500ms");
    AgentEnvironment a = AgentEnvironment.from(env);
    assertEquals(Duration.ofMillis(1500), a.shutdownGracePeriod());
    assertEquals(Duration.ofHours(1), a.recoveryTimeout());
    assertEquals(Duration.ofMillis(500), a.subscriptionBackoffMax());
  }

  @ParameterizedTest
  @ValueSource(strings = {"MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "MESOS_RECOVERY_TIMEOUT", "MESOS_SUBSCRIPTION_BACKOFF_MAX"})
  void aBadDurationNamesTheVariable(String name) {
    Map<String, String> env = minimal();
    env.put(name, "5 secs");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentEnvironment.from(env));
    assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("'5 secs'"), e.getMessage());
  }

  @Test
  void theTokenIsReadAndAnEmptyOneIsNone() {
    Map<String, String> env = minimal();
    env.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "eyJhbGciOi.jwt.token");
    assertEquals(Optional.of("eyJhbGciOi.jwt.token"), AgentEnvironment.from(env).authenticationToken());
    env.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "");
    assertEquals(Optional.empty(), AgentEnvironment.from(env).authenticationToken());
  }

  @Test
  void theSandboxIsMesosSandboxThenMesosDirectory() {
    Map<String, String> env = minimal();
    env.put("MESOS_DIRECTORY", "/var/lib/mesos/slaves/s/frameworks/f/executors/e/runs/c");
    assertEquals(Path.of("/var/lib/mesos/slaves/s/frameworks/f/executors/e/runs/c"), AgentEnvironment.from(env).sandbox());
    env.put("MESOS_SANDBOX", "/mnt/mesos/sandbox");
    assertEquals(Path.of("/mnt/mesos/sandbox"), AgentEnvironment.from(env).sandbox());
  }

  @Test
  void aDomainSocketGivesLibprocessHttpUnixUrlEvenWithTls() {
    Map<String, String> env = minimal();
    env.remove("MESOS_AGENT_ENDPOINT");
    env.put("MESOS_DOMAIN_SOCKET", "/var/run/mesos/agent.sock");
    env.put("LIBPROCESS_SSL_ENABLED", "1");
    AgentEnvironment a = AgentEnvironment.from(env);
    assertEquals("http+unix://%2Fvar%2Frun%2Fmesos%2Fagent.sock/slave(1)/api/v1/executor", a.agentUrl());
    assertEquals(Optional.of(Path.of("/var/run/mesos/agent.sock")), a.domainSocket());
    env.put("MESOS_SLAVE_PID", "slave(2)@10.0.0.5:5051");
    assertEquals("http+unix://%2Fvar%2Frun%2Fmesos%2Fagent.sock/slave(2)/api/v1/executor",
        AgentEnvironment.from(env).agentUrl());
  }

  @Test
  void aSocketPathTooLongForAnAddressIsMadeRelativeToTheWorkingDirectory() {
    Path cwd = Path.of("").toAbsolutePath();
    String name = "s".repeat(Math.max(1, 108 - cwd.toString().length()));
    Map<String, String> env = minimal();
    env.put("MESOS_DOMAIN_SOCKET", cwd.resolve(name).toString());
    assertEquals(Optional.of(Path.of("./" + name)), AgentEnvironment.from(env).domainSocket());
    env.put("MESOS_DOMAIN_SOCKET", "/" + "s".repeat(200));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentEnvironment.from(env));
    assertTrue(e.getMessage().startsWith("MESOS_DOMAIN_SOCKET: "), e.getMessage());
  }

  @Test
  void tlsSettingsAreReadWithTheEnvironment() {
    Map<String, String> env = minimal();
    assertEquals(Optional.empty(), AgentEnvironment.from(env).tls());
    env.put("LIBPROCESS_SSL_ENABLED", "1");
    assertTrue(AgentEnvironment.from(env).tls().isPresent());
    env.put("LIBPROCESS_SSL_ENABLED", "yes");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentEnvironment.from(env));
    assertTrue(e.getMessage().startsWith("LIBPROCESS_SSL_ENABLED: "), e.getMessage());
  }
}
