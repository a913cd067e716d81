package io.github.sparkmesos.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sparkmesos.docker.ContainerSpec.NetworkMode;
import io.github.sparkmesos.docker.ContainerSpec.Parameter;
import io.github.sparkmesos.docker.ContainerSpec.PortMapping;
import io.github.sparkmesos.docker.ContainerSpec.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerSpecTest {

  private static final ImageReference IMAGE = ImageReference.parse("busybox:1.36");

  @Test
  void aSpecIsImmutableAndKeepsOrder() {
    List<Parameter> params = new ArrayList<>(List.of(new Parameter("env", "A=1"), new Parameter("env", "A=2")));
    ContainerSpec spec = new ContainerSpec(IMAGE, true, List.of(Volume.hostPath("/data", "/d", true)),
        List.of(new PortMapping(31000, 80, PortMapping.Protocol.TCP)), NetworkMode.user("cni-net"), Map.of("a", "b"),
        Optional.of("exec-1"), false, params);
    params.clear();
    assertEquals(List.of("A=1", "A=2"), spec.parameterValues("env"));
    assertThrows(UnsupportedOperationException.class, () -> spec.volumes().add(Volume.named("x", "/x", false)));
    assertFalse(spec.toString().contains("A=1"), spec.toString());
  }

  @Test
  void portMappingsNeedABridgeOrUserNetwork() {
    List<PortMapping> ports = List.of(new PortMapping(31000, 80, PortMapping.Protocol.UDP));
    assertThrows(IllegalArgumentException.class, () -> new ContainerSpec(IMAGE, false, List.of(), ports,
        NetworkMode.HOST, Map.of(), Optional.empty(), false, List.of()));
    new ContainerSpec(IMAGE, false, List.of(), ports, NetworkMode.BRIDGE, Map.of(), Optional.empty(), false, List.of());
  }

  @Test
  void theNetworkIsNotAParameter() {
    assertThrows(IllegalArgumentException.class, () -> new ContainerSpec(IMAGE, false, List.of(), List.of(),
        NetworkMode.BRIDGE, Map.of(), Optional.empty(), false, List.of(new Parameter("net", "x"))));
  }

  @Test
  void volumesAreCheckedForForm() {
    assertThrows(IllegalArgumentException.class, () -> Volume.hostPath("relative", "/x", false));
    assertThrows(IllegalArgumentException.class, () -> Volume.sandbox("a", "b", false));
    assertThrows(IllegalArgumentException.class, () -> Volume.sandbox("../out", "/x", false));
    assertThrows(IllegalArgumentException.class, () -> Volume.sandbox("/abs", "/x", false));
    assertThrows(IllegalArgumentException.class, () -> Volume.hostPath("/a", "../../x", false));
    assertThrows(IllegalArgumentException.class, () -> Volume.named("bad/name", "/x", false));
    assertEquals("sandbox:work:/w:ro", Volume.sandbox("work", "/w", true).toString());
  }

  @Test
  void portsAndNetworksAreCheckedForForm() {
    assertThrows(IllegalArgumentException.class, () -> new PortMapping(0, 80, PortMapping.Protocol.TCP));
    assertThrows(IllegalArgumentException.class, () -> new PortMapping(80, 70000, PortMapping.Protocol.TCP));
    assertEquals(PortMapping.Protocol.UDP, PortMapping.Protocol.parse("UDP"));
    assertThrows(IllegalArgumentException.class, () -> PortMapping.Protocol.parse("icmp"));
    assertEquals(NetworkMode.HOST, NetworkMode.parse("host"));
    assertEquals(NetworkMode.user("my-net"), NetworkMode.parse("my-net"));
    assertThrows(IllegalArgumentException.class, () -> NetworkMode.parse("container:other"));
    assertEquals("user:my-net", NetworkMode.user("my-net").toString());
  }
}
