package io.github.sparkmesos.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.ContainerSpec.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerParametersTest {

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "env|JAVA_OPTS=-Xss1m -Da=b", "label|team=data", "label|flag", "user|1000:1000", "workdir|/opt/spark",
      "add-host|db.local:10.0.0.9", "dns|10.0.0.2", "dns|fd00::2", "dns-search|example.com", "dns-opt|ndots:2",
      "dns-option|ndots:2", "cap-add|NET_ADMIN", "cap-drop|ALL", "device|/dev/fuse", "device|/dev/sda:/dev/xvda:rw",
      "memory|512m", "memory|2G", "memory-swap|-1", "memory-swap|1g", "memory-reservation|256m", "cpus|1.5",
      "cpu-shares|512", "cpu-period|100000", "cpu-quota|-1", "cpuset-cpus|0-3", "cpuset-mems|0", "shm-size|1g",
      "ulimit|nofile=1024:2048", "ulimit|core=0", "tmpfs|/tmp:rw,size=64m", "sysctl|net.core.somaxconn=1024",
      "security-opt|no-new-privileges", "ipc|host", "ipc|shareable", "pid|host", "uts|host", "init|true",
      "privileged|false", "read-only|true", "oom-kill-disable|false", "oom-score-adj|-500", "log-driver|json-file",
      "log-opt|max-size=10m", "entrypoint|/bin/bash", "entrypoint|''", "network|bridge", "net|mynet",
      "hostname|exec-1", "mac-address|02:42:ac:11:00:02", "group-add|audio", "pids-limit|4096",
      "stop-signal|SIGINT", "stop-timeout|30", "volume|/data:/data:ro", "volume|cache:/cache",
      "publish|8080:80", "publish|127.0.0.1:8080:80/udp", "expose|4040"})
  void acceptsEveryCatalogueOptionInItsForm(String option, String value) throws Exception {
    Parameter checked = DockerParameters.check(new Parameter(option, value), "parameters[0]");
    assertEquals(DockerParameters.canonical(option), checked.option());
    assertEquals(value, checked.value());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "memory|lots", "memory|512x", "memory-swap|-2", "cpus|two", "cpus|-1", "cpu-shares|-5", "init|yes",
      "privileged|1", "read-only|TRUE", "oom-score-adj|2000", "ulimit|nofile", "add-host|justahost",
      "workdir|relative", "tmpfs|tmp", "device|sda", "cpuset-cpus|0-", "dns|dns.example.com",
      "mac-address|02:42", "ipc|weird", "sysctl|novalue", "log-opt|=x", "label|=x", "volume|nocolon",
      "volume|/a:relative", "publish|80", "publish|99999:80", "publish|80:80/icmp", "stop-signal|sig term",
      "cap-add|''", "pids-limit|many"})
  void refusesAValueNotInItsFormNamingTheEntry(String option, String value) {
    DockerSettingException e = assertThrows(DockerSettingException.class,
        () -> DockerParameters.check(List.of(new Parameter("cpus", "1"), new Parameter(option, value)), "parameters"));
    assertEquals("parameters[1] (" + option + ")", e.setting(), e.getMessage());
  }

  @Test
  void anUnknownOptionIsNamed() {
    DockerSettingException e = assertThrows(DockerSettingException.class,
        () -> DockerParameters.check(new Parameter("frobnicate", "1"), "parameters[3]"));
    assertEquals("parameters[3] (frobnicate)", e.setting());
    assertTrue(e.rule().startsWith("unknown docker run option 'frobnicate'"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"restart,always", "env-file,/etc/env", "label-file,/etc/labels", "name,x", "rm,true",
      "volumes-from,other", "mount,type=bind", "cidfile,/tmp/x"})
  void optionsTheExecutorOwnsAreRefusedWithTheReason(String option, String value) {
    DockerSettingException e = assertThrows(DockerSettingException.class,
        () -> DockerParameters.check(new Parameter(option, value), "parameters[0]"));
    assertTrue(e.rule().startsWith("--" + option + " is not allowed: "), e.getMessage());
    assertEquals(DockerParameters.refused().get(option), e.rule().substring(("--" + option + " is not allowed: ").length()));
  }

  @Test
  void restartSaysWhy() {
    assertTrue(DockerParameters.refused().get("restart").contains("supervises"));
  }

  @ParameterizedTest
  @CsvSource({"v,volume", "p,publish", "e,env"})
  void shortAliasesAreRefusedNamingTheLongName(String alias, String name) {
    DockerSettingException e = assertThrows(DockerSettingException.class,
        () -> DockerParameters.check(new Parameter(alias, "x"), "parameters[0]"));
    assertTrue(e.rule().contains("write '" + name + "'"), e.getMessage());
  }

  @Test
  void repeatedKeysAreKeptInOrderAndAliasesMadeCanonical() throws Exception {
    List<Parameter> checked = DockerParameters.check(List.of(new Parameter("env", "A=1"), new Parameter("label", "x=1"),
        new Parameter("env", "A=2"), new Parameter("dns-opt", "ndots:1"), new Parameter("env", "B=")), "parameters");
    assertEquals(List.of(new Parameter("env", "A=1"), new Parameter("label", "x=1"), new Parameter("env", "A=2"),
        new Parameter("dns-option", "ndots:1"), new Parameter("env", "B=")), checked);
  }

  @Test
  void anEnvValueIsNeverInAMessageOrAPrintout() {
    String secret = "s3cr3t-token";
    assertFalse(new Parameter("env", "TOKEN=" + secret).toString().contains(secret));
    DockerSettingException e = assertThrows(DockerSettingException.class,
        () -> DockerParameters.check(new Parameter("env", "1BAD=" + secret), "parameters[0]"));
    assertFalse(e.getMessage().contains(secret), e.getMessage());
    assertTrue(e.getMessage().contains("1BAD=<hidden>"), e.getMessage());
    assertThrows(DockerSettingException.class, () -> DockerParameters.check(new Parameter("env", "HOME"), "p"));
  }

  @Test
  void publishPortsAreReadFromEveryForm() {
    assertEquals(List.of("8080", "80"), DockerParameters.publishPorts("8080:80"));
    assertEquals(List.of("8080", "80"), DockerParameters.publishPorts("127.0.0.1:8080:80/udp"));
    assertEquals(List.of("8080", "80"), DockerParameters.publishPorts("[::1]:8080:80"));
  }
}
