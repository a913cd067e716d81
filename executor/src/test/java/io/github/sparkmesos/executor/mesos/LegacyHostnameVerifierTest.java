package io.github.sparkmesos.executor.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** libprocess's 'legacy' rules on the test certificates (the reverse DNS look-up left aside). */
class LegacyHostnameVerifierTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private static X509Certificate cert(String name) throws Exception {
    return Pem.certificates(TestCertificates.dir().resolve(name), "C").get(0);
  }

  @Test
  void aDnsSubjectAltNameMustEqualTheName() throws Exception {
    LegacyHostnameVerifier v = new LegacyHostnameVerifier(false, false);
    assertEquals(Optional.empty(), v.check(cert("server.pem"), Optional.of("localhost"), LOOPBACK));
    assertTrue(v.check(cert("server.pem"), Optional.of("agent.example.com"), LOOPBACK).isPresent());
    assertTrue(v.check(cert("server.pem"), Optional.of("LOCALHOST"), LOOPBACK).isPresent(), "exact, as libprocess");
  }

  @Test
  void withoutANameOnlyVerifyIpaddChecksAnything() throws Exception {
    assertEquals(Optional.empty(), new LegacyHostnameVerifier(false, false).check(cert("client.pem"), Optional.empty(),
        LOOPBACK));
    assertEquals(Optional.of("peer hostname unknown"), new LegacyHostnameVerifier(false, true).check(
        cert("client.pem"), Optional.empty(), LOOPBACK));
    LegacyHostnameVerifier ip = new LegacyHostnameVerifier(true, false);
    assertEquals(Optional.empty(), ip.check(cert("server.pem"), Optional.empty(), LOOPBACK));
    assertTrue(ip.check(cert("server.pem"), Optional.empty(), InetAddress.getByName("10.1.2.3")).isPresent());
  }

  @Test
  void theCommonNameIsTheFallbackWhenNoSubjectAltNameMatches() throws Exception {
    LegacyHostnameVerifier v = new LegacyHostnameVerifier(false, false);
    assertEquals(Optional.empty(), v.check(cert("client.pem"), Optional.of("executor"), LOOPBACK));
    String why = v.check(cert("client.pem"), Optional.of("agent"), LOOPBACK).orElseThrow();
    assertTrue(why.contains("executor") && why.contains("agent"), why);
  }
}
