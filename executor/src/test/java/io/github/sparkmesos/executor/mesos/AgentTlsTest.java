package io.github.sparkmesos.executor.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.TlsVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The LIBPROCESS_SSL_* settings, and real TLS handshakes with a JDK HTTPS server on loopback. */
class AgentTlsTest {

  private HttpsServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static Path pki(String name) throws Exception {
    return TestCertificates.dir().resolve(name);
  }

  private static Map<String, String> enabled(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("LIBPROCESS_SSL_ENABLED", "1");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  /** An HTTPS server with {@code cert}/{@code key} that answers 200 on every path. */
  private String serve(String cert, String key, boolean needClientAuth, String... protocols) throws Exception {
    List<X509Certificate> chain = Pem.certificates(pki(cert), "cert");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("k", Pem.privateKey(pki(key), "key", chain.get(0).getPublicKey(), "cert"), new char[0],
        chain.toArray(new X509Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    KeyStore cas = KeyStore.getInstance("PKCS12");
    cas.load(null, null);
    cas.setCertificateEntry("ca", Pem.certificates(pki("ca.pem"), "ca").get(0));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(cas);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.setHttpsConfigurator(new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setNeedClientAuth(needClientAuth);
        if (protocols.length > 0) {
          p.setProtocols(protocols);
        }
        params.setSSLParameters(p);
      }
    });
    server.createContext("/", e -> {
      e.getRequestBody().readAllBytes();
      e.sendResponseHeaders(200, -1);
      e.close();
    });
    server.start();
    return "https://127.0.0.1:" + server.getAddress().getPort() + "/slave(1)/api/v1/executor";
  }

  private String serve() throws Exception {
    return serve("server.pem", "server.key", false);
  }

  private static Response get(Map<String, String> env, String url) throws IOException {
    OkHttpClient client = AgentTls.from(env).orElseThrow().configure(new OkHttpClient.Builder()).build();
    try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
      return r;
    }
  }

  private static void assertRefused(Map<String, String> env, String url) {
    IOException e = assertThrows(IOException.class, () -> get(env, url));
    assertTrue(e instanceof SSLException, e.toString());
  }

  private static void assertNamed(String variable, Map<String, String> env) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentTls.from(env));
    assertTrue(e.getMessage().startsWith(variable), e.getMessage());
  }

  @Test
  void offUnlessEnabled() {
    assertEquals(Optional.empty(), AgentTls.from(Map.of()));
    assertEquals(Optional.empty(), AgentTls.from(Map.of("LIBPROCESS_SSL_ENABLED", "0")));
    assertEquals(Optional.empty(), AgentTls.from(Map.of("LIBPROCESS_SSL_ENABLED", "false")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "true", ""})
  void trueIsOneTrueOrEmpty(String value) {
    assertTrue(AgentTls.from(Map.of("LIBPROCESS_SSL_ENABLED", value)).isPresent());
    assertTrue(AgentTls.from(Map.of("LIBPROCESS_SSL_ENABLED", "1", "LIBPROCESS_SSL_VERIFY_SERVER_CERT", value))
        .orElseThrow().verifiesServer());
  }

  @ParameterizedTest
  @ValueSource(strings = {"TRUE", "yes", "on", "2"})
  void otherBooleansAreErrorsNamingTheVariable(String value) {
    assertNamed("LIBPROCESS_SSL_ENABLED: '" + value + "' is not a boolean", Map.of("LIBPROCESS_SSL_ENABLED", value));
    assertNamed("LIBPROCESS_SSL_VERIFY_IPADD: '" + value + "'", enabled("LIBPROCESS_SSL_VERIFY_IPADD", value));
  }

  @Test
  void theNameAfterThePrefixIsCaseInsensitive() {
    assertTrue(AgentTls.from(Map.of("LIBPROCESS_SSL_enabled", "1")).isPresent());
  }

  @Test
  void withoutVerificationAnyServerCertificateIsAcceptedAndNoCaIsRead() throws Exception {
    String url = serve();
    Map<String, String> env = enabled("LIBPROCESS_SSL_CA_FILE", "/does/not/exist");
    assertFalse(AgentTls.from(env).orElseThrow().verifiesServer());
    assertTrue(AgentTls.from(env).orElseThrow().describe().contains("NOT verified"));
    assertEquals(200, get(env, url).code());
  }

  @Test
  void verificationUsesTheCaFile() throws Exception {
    String url = serve();
    assertEquals(200, get(enabled("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "1", "LIBPROCESS_SSL_CA_FILE",
        pki("ca.pem").toString()), url).code());
    assertRefused(enabled("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "1", "LIBPROCESS_SSL_CA_FILE",
        pki("other-ca.pem").toString()), url);
  }

  @ParameterizedTest
  @ValueSource(strings = {"LIBPROCESS_SSL_VERIFY_CERT", "LIBPROCESS_SSL_REQUIRE_CLIENT_CERT", "LIBPROCESS_SSL_REQUIRE_CERT"})
  void theOldNameAndRequiringClientCertificatesAlsoVerify(String variable) throws Exception {
    String url = serve();
    Map<String, String> env = enabled(variable, "true", "LIBPROCESS_SSL_CA_FILE", pki("other-ca.pem").toString());
    assertTrue(AgentTls.from(env).orElseThrow().verifiesServer());
    assertRefused(env, url);
  }

  @Test
  void aCaDirectoryContributesEveryCertificateFileInIt(@TempDir Path dir) throws Exception {
    String url = serve();
    Files.copy(pki("other-ca.pem"), dir.resolve("5d4c3b2a.0"));
    Files.copy(pki("ca.pem"), dir.resolve("ca.pem"));
    Files.writeString(dir.resolve("README"), "not a certificate");
    assertEquals(200, get(enabled("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "1", "LIBPROCESS_SSL_CA_DIR", dir.toString()),
        url).code());
  }

  @Test
  void badCaSettingsAreErrorsNamingTheVariable(@TempDir Path dir) throws Exception {
    assertNamed("LIBPROCESS_SSL_CA_FILE: cannot read", enabled("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "1",
        "LIBPROCESS_SSL_CA_FILE", dir.resolve("missing.pem").toString()));
    assertNamed("LIBPROCESS_SSL_CA_FILE: ", enabled("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "1",
        "LIBPROCESS_SSL_CA_FILE", pki("server.key").toString()));
    assertNamed("LIBPROCESS_SSL_CA_DIR: no file in", enabled("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "1",
        "LIBPROCESS_SSL_CA_DIR", dir.toString()));
    assertNamed("LIBPROCESS_SSL_CA_DIR: ", enabled("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "1",
        "LIBPROCESS_SSL_CA_DIR", dir.resolve("missing").toString()));
  }

  @Test
  void theClientCertificateIsPresentedWhenTheAgentRequiresOne() throws Exception {
    String url = serve("server.pem", "server.key", true);
    assertEquals(200, get(enabled("LIBPROCESS_SSL_CERT_FILE", pki("client.pem").toString(),
        "LIBPROCESS_SSL_KEY_FILE", pki("client.key").toString()), url).code());
    // the agent's alert, or its closing the connection, may come first
    assertThrows(IOException.class, () -> get(enabled(), url));
  }

  @Test
  void badClientCertificateSettingsAreErrorsNamingTheVariable(@TempDir Path dir) throws Exception {
    String cert = pki("client.pem").toString();
    String key = pki("client.key").toString();
    assertNamed("LIBPROCESS_SSL_KEY_FILE must be set with LIBPROCESS_SSL_CERT_FILE",
        enabled("LIBPROCESS_SSL_CERT_FILE", cert));
    assertNamed("LIBPROCESS_SSL_CERT_FILE must be set with LIBPROCESS_SSL_KEY_FILE",
        enabled("LIBPROCESS_SSL_KEY_FILE", key));
    assertNamed("LIBPROCESS_SSL_CERT_FILE: cannot read", enabled("LIBPROCESS_SSL_CERT_FILE",
        dir.resolve("missing.pem").toString(), "LIBPROCESS_SSL_KEY_FILE", key));
    Path garbage = Files.writeString(dir.resolve("garbage.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n"
        + "-----END PRIVATE KEY-----\n");
    assertNamed("LIBPROCESS_SSL_KEY_FILE: ", enabled("LIBPROCESS_SSL_CERT_FILE", cert, "LIBPROCESS_SSL_KEY_FILE",
        garbage.toString()));
    assertNamed("LIBPROCESS_SSL_KEY_FILE: the key in", enabled("LIBPROCESS_SSL_CERT_FILE", cert,
        "LIBPROCESS_SSL_KEY_FILE", pki("server.key").toString()));
  }

  @Test
  void theHostnameSchemeIsLegacyOrOpenssl() {
    assertNamed("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME: 'rfc6125'",
        enabled("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", "rfc6125"));
    assertNamed("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME=openssl needs LIBPROCESS_SSL_VERIFY_IPADD",
        enabled("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", "openssl", "LIBPROCESS_SSL_VERIFY_SERVER_CERT", "1"));
    // without verification libprocess never validates host names
    assertTrue(AgentTls.from(enabled("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", "openssl")).isPresent());
  }

  @Test
  void theOpensslSchemeNeedsTheIpInTheSubjectAltNames() throws Exception {
    Map<String, String> env = enabled("LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME", "openssl",
        "LIBPROCESS_SSL_VERIFY_SERVER_CERT", "1", "LIBPROCESS_SSL_VERIFY_IPADD", "1",
        "LIBPROCESS_SSL_CA_FILE", pki("ca.pem").toString());
    assertEquals(200, get(env, serve()).code());
    stop();
    // the client certificate is signed by the same CA but has no subjectAltName
    assertRefused(env, serve("client.pem", "client.key", false));
  }

  @Test
  void theLegacySchemeMatchesTheIpWithVerifyIpadd() throws Exception {
    Map<String, String> env = enabled("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "1", "LIBPROCESS_SSL_VERIFY_IPADD", "1",
        "LIBPROCESS_SSL_CA_FILE", pki("ca.pem").toString());
    assertEquals(200, get(env, serve()).code());
  }

  @Test
  void onlyTls12IsOfferedUnlessOtherVersionsAreEnabled() throws Exception {
    assertEquals(TlsVersion.TLS_1_2, get(enabled(), serve()).handshake().tlsVersion());
    stop();
    String tls13Only = serve("server.pem", "server.key", false, "TLSv1.3");
    assertRefused(enabled(), tls13Only);
    assertEquals(TlsVersion.TLS_1_3, get(enabled("LIBPROCESS_SSL_ENABLE_TLS_V1_3", "1"), tls13Only).handshake()
        .tlsVersion());
    assertNamed("LIBPROCESS_SSL_ENABLE_TLS_V1_2 is false", enabled("LIBPROCESS_SSL_ENABLE_TLS_V1_2", "0"));
  }
}
