package io.github.sparkmesos.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A small PKI made once per test JVM with the JDK's keytool: {@code ca.pem} (the operator's CA), a server key
 * and certificate for 127.0.0.1 signed by it (with its chain, in {@code server.p12}), and {@code other-ca.pem},
 * a CA that signed nothing here.
 */
final class TestPki {

  private static final String PASSWORD = "changeit";
  private static Path dir;

  private TestPki() {}

  static synchronized Path dir() throws Exception {
    if (dir == null) {
      Path d = Files.createTempDirectory("secrets-test-pki-");
      keytool("-genkeypair", "-keystore", d + "/ca.p12", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048",
          "-dname", "CN=operator CA", "-ext", "bc:c", "-validity", "2");
      keytool("-exportcert", "-rfc", "-keystore", d + "/ca.p12", "-alias", "ca", "-file", d + "/ca.pem");
      keytool("-genkeypair", "-keystore", d + "/other.p12", "-alias", "other", "-keyalg", "RSA", "-keysize",
          "2048", "-dname", "CN=another CA", "-ext", "bc:c", "-validity", "2");
      keytool("-exportcert", "-rfc", "-keystore", d + "/other.p12", "-alias", "other", "-file",
          d + "/other-ca.pem");
      keytool("-genkeypair", "-keystore", d + "/server.p12", "-alias", "server", "-keyalg", "RSA", "-keysize",
          "2048", "-dname", "CN=localhost", "-validity", "2");
      keytool("-certreq", "-keystore", d + "/server.p12", "-alias", "server", "-file", d + "/server.csr");
      keytool("-gencert", "-keystore", d + "/ca.p12", "-alias", "ca", "-infile", d + "/server.csr", "-outfile",
          d + "/server.pem", "-rfc", "-validity", "2", "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext",
          "eku=serverAuth");
      keytool("-importcert", "-keystore", d + "/server.p12", "-alias", "ca", "-file", d + "/ca.pem");
      keytool("-importcert", "-keystore", d + "/server.p12", "-alias", "server", "-file", d + "/server.pem");
      dir = d;
    }
    return dir;
  }

  static Path caPem() throws Exception {
    return dir().resolve("ca.pem");
  }

  static Path otherCaPem() throws Exception {
    return dir().resolve("other-ca.pem");
  }

  /** The server side: the key and chain signed by {@link #caPem()}. */
  static SSLContext serverContext() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir().resolve("server.p12"))) {
      store.load(in, PASSWORD.toCharArray());
    }
    store.deleteEntry("ca");
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    argv.addAll(List.of(args));
    argv.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
    }
  }
}
