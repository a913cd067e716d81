package io.github.sparkmesos.os.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CniResultTest {

  @Test
  void theOldResultShapeMesosParses() {
    CniResult r = CniResult.parse("{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"10.1.2.3/16\",\"gateway\":\"10.1.0.1\"},"
        + "\"ip6\":{\"ip\":\"fd00::3/64\"},\"dns\":{\"nameservers\":[\"10.1.0.53\"],\"domain\":\"example\","
        + "\"search\":[\"a.example\",\"b.example\"],\"options\":[\"ndots:2\"]}}");
    assertEquals(List.of("10.1.2.3", "fd00::3"), r.addresses());
    assertEquals("domain example\nsearch a.example b.example\noptions ndots:2\nnameserver 10.1.0.53\n",
        r.dns().resolvConf(), "as Mesos's formatResolverConfig");
  }

  @Test
  void theCurrentResultShape() {
    CniResult r = CniResult.parse("{\"cniVersion\":\"0.4.0\",\"interfaces\":[{\"name\":\"eth0\"}],\"ips\":[{\"version\":"
        + "\"4\",\"interface\":0,\"address\":\"10.231.0.2/24\",\"gateway\":\"10.231.0.1\"}],\"dns\":{}}");
    assertEquals(List.of("10.231.0.2"), r.addresses());
    assertEquals(List.of(), r.dns().nameservers(), "host-local's empty dns names no resolver");
    assertEquals("", r.dns().resolvConf());
  }
}
