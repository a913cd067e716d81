package io.github.sparkmesos.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.ContainerSpec.NetworkMode;
import io.github.sparkmesos.docker.ContainerSpec.Parameter;
import io.github.sparkmesos.docker.ContainerSpec.Volume;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerPolicyTest {

  private static final DockerPolicy POLICY = DockerPolicy.fromEnvironment(Map.of(
      DockerPolicy.DENY, "privileged, pid=host,cap-add,net=host,env=LD_PRELOAD",
      DockerPolicy.HOST_PATHS, "/data,/scratch/"));

  private static ContainerSpec spec(List<Volume> volumes, List<Parameter> parameters, boolean privileged,
      NetworkMode network) {
    return new ContainerSpec(ImageReference.parse("busybox"), false, volumes, List.of(), network, Map.of(),
        Optional.empty(), privileged, parameters);
  }

  @ParameterizedTest(name = "{0}={1} refused by {2}")
  @CsvSource({"privileged,true,privileged", "pid,host,pid=host", "cap-add,NET_ADMIN,cap-add",
      "cap-add,SYS_ADMIN,cap-add", "env,LD_PRELOAD=/x.so,env=LD_PRELOAD"})
  void aDeniedParameterIsRefusedNamingTheRule(String option, String value, String rule) {
    ContainerSpec spec = spec(List.of(), List.of(new Parameter("init", "true"), new Parameter(option, value)), false,
        NetworkMode.BRIDGE);
    DockerSettingException e = assertThrows(DockerSettingException.class, () -> POLICY.check(spec));
    assertEquals("parameters[1] (" + option + ")", e.setting());
    assertTrue(e.rule().contains(DockerPolicy.DENY + " entry '" + rule + "'"), e.getMessage());
  }

  @Test
  void whatIsNotDeniedPasses() throws Exception {
    POLICY.check(spec(List.of(Volume.hostPath("/data/x", "/x", true), Volume.hostPath("/scratch", "/s", false),
        Volume.named("cache", "/c", false), Volume.sandbox("work", "/w", false)),
        List.of(new Parameter("pid", "private"), new Parameter("privileged", "false"), new Parameter("env", "A=1"),
            new Parameter("volume", "/data/y:/y"), new Parameter("volume", "named:/n")), false, NetworkMode.BRIDGE));
    DockerPolicy.NONE.check(spec(List.of(Volume.hostPath("/etc", "/etc", true)),
        List.of(new Parameter("privileged", "true")), true, NetworkMode.HOST));
  }

  @Test
  void privilegedAndHostNetworkingAreRefusedHoweverAskedFor() {
    DockerSettingException privileged = assertThrows(DockerSettingException.class,
        () -> POLICY.check(spec(List.of(), List.of(), true, NetworkMode.BRIDGE)));
    assertEquals("privileged (privileged)", privileged.setting());
    DockerSettingException host = assertThrows(DockerSettingException.class,
        () -> POLICY.check(spec(List.of(), List.of(), false, NetworkMode.HOST)));
    assertTrue(host.getMessage().contains("entry 'network=host'"), host.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"/etc", "/data2", "/data/../etc", "/"})
  void aHostPathOutsideTheRootsIsRefused(String path) {
    DockerSettingException e = assertThrows(DockerSettingException.class,
        () -> POLICY.check(spec(List.of(Volume.named("v", "/v", false), Volume.hostPath(path, "/x", false)), List.of(),
            false, NetworkMode.BRIDGE)));
    assertEquals("volumes[1]", e.setting());
    assertTrue(e.rule().contains("'" + path + "'"), e.getMessage());
    DockerSettingException p = assertThrows(DockerSettingException.class,
        () -> POLICY.check(spec(List.of(), List.of(new Parameter("volume", path + ":/x")), false, NetworkMode.BRIDGE)));
    assertEquals("parameters[0] (volume)", p.setting());
  }

  @Test
  void anEmptyRootListAllowsNoHostPath() {
    DockerPolicy none = DockerPolicy.fromEnvironment(Map.of(DockerPolicy.HOST_PATHS, ""));
    assertThrows(DockerSettingException.class, () -> none.check(spec(List.of(Volume.hostPath("/data", "/d", false)),
        List.of(), false, NetworkMode.BRIDGE)));
  }

  @Test
  void aMalformedPolicyIsAnErrorNamingTheVariable() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> DockerPolicy.fromEnvironment(Map.of(DockerPolicy.DENY, "privileged,frob")));
    assertTrue(unknown.getMessage().startsWith(DockerPolicy.DENY + ": 'frob'"), unknown.getMessage());
    IllegalArgumentException relative = assertThrows(IllegalArgumentException.class,
        () -> DockerPolicy.fromEnvironment(Map.of(DockerPolicy.HOST_PATHS, "data")));
    assertTrue(relative.getMessage().startsWith(DockerPolicy.HOST_PATHS), relative.getMessage());
  }
}
