package io.github.sparkmesos.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void masksEverySecretLongestFirst() {
    Redactor redactor = new Redactor();
    redactor.add("s3cr3t");
    redactor.add("s3cr3t-and-more");
    redactor.add("ab"); // too short to mask
    assertEquals("token ****** and ****** ab", redactor.redact("token s3cr3t-and-more and s3cr3t ab"));
  }

  @Test
  void childEnvironmentNeverCarriesTheAgentToken() {
    Map<String, String> env = ChildEnvironment.inheritable(
        Map.of("PATH", "/bin", ChildEnvironment.AGENT_TOKEN, "jwt"));
    assertEquals(Map.of("PATH", "/bin"), env);
    assertFalse(ChildEnvironment.settableByTask(ChildEnvironment.AGENT_TOKEN));
  }
}
