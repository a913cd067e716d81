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
  void masksTheBase64FormToo() {
    Redactor redactor = new Redactor();
    redactor.add("correct horse battery");
    String encoded = java.util.Base64.getEncoder().encodeToString(
        "correct horse battery".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String shown = redactor.redact("in a header: Basic " + encoded + " and in a file: " + encoded + "==");
    assertFalse(shown.contains(encoded.replace("=", "")), shown);
    assertEquals("in a header: Basic ****** and in a file: ******==", shown);
  }

  @Test
  void childEnvironmentNeverCarriesTheAgentToken() {
    Map<String, String> env = ChildEnvironment.inheritable(
        Map.of("PATH", "/bin", ChildEnvironment.AGENT_TOKEN, "jwt"));
    assertEquals(Map.of("PATH", "/bin"), env);
    assertFalse(ChildEnvironment.settableByTask(ChildEnvironment.AGENT_TOKEN));
  }
}
