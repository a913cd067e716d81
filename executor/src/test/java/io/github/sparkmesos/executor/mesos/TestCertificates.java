package io.github.sparkmesos.executor.mesos;

import io.github.sparkmesos.os.Command;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A small PKI made with the JDK's keytool, once per test JVM (keytool runs through
 * {@link Command}, as this JVM's reaper owns its children). Files in {@link #dir()}: {@code ca.pem};
 * {@code server.pem} + {@code server.key} (SAN ip:127.0.0.1, dns:localhost, signed by the CA);
 * {@code client.pem} + {@code client.key} (CN=executor, no SAN, signed by the CA);
 * {@code other-ca.pem} (a CA that signed nothing here); {@code ec.pem} + {@code ec.key} (a
 * self-signed P-256 certificate). Keys are PKCS#8 PEM.
 */
public final class TestCertificates {

  private static final String PASSWORD = "changeit";
  private static Path dir;

  private TestCertificates() {}

  /** The directory of the PKI, made on first use; laid out as the harness's --tls expects. */
  public static synchronized Path dir() throws Exception {
    if (dir == null) {
      Path d = Files.createTempDirectory("sme-test-pki-");
      Path work = Files.createDirectories(d.resolve("keystores"));
      selfSigned(work, "ca", "RSA", "CN=test agent CA", "bc:c");
      exportCertificate(work, "ca", d.resolve("ca.pem"));
      selfSigned(work, "other-ca", "RSA", "CN=another CA", "bc:c");
      exportCertificate(work, "other-ca", d.resolve("other-ca.pem"));
      signed(work, d, "server", "CN=localhost", "san=ip:127.0.0.1,dns:localhost", "eku=serverAuth");
      signed(work, d, "client", "CN=executor", "eku=clientAuth");
      selfSigned(work, "ec", "EC", "CN=ec", "san=ip:127.0.0.1");
      exportCertificate(work, "ec", d.resolve("ec.pem"));
      writeKey(work, "ec", d.resolve("ec.key"));
      dir = d;
    }
    return dir;
  }

  /** A directory with only some files of the PKI (for example without the client certificate). */
  public static Path subset(Path target, String... names) throws Exception {
    Files.createDirectories(target);
    for (String name : names) {
      Files.copy(dir().resolve(name), target.resolve(name));
    }
    return target;
  }

  /** The PEM text of a DER structure. */
  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  public static PrivateKey key(String alias) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir().resolve("keystores").resolve(alias + ".p12"))) {
      store.load(in, PASSWORD.toCharArray());
    }
    return (PrivateKey) store.getKey(alias, PASSWORD.toCharArray());
  }

  private static void signed(Path work, Path d, String alias, String dname, String... extensions) throws Exception {
    selfSigned(work, alias, "RSA", dname);
    Path csr = work.resolve(alias + ".csr");
    keytool("-certreq", "-keystore", store(work, alias), "-alias", alias, "-file", csr.toString());
    List<String> args = new ArrayList<>(List.of("-gencert", "-keystore", store(work, "ca"), "-alias", "ca",
        "-infile", csr.toString(), "-outfile", d.resolve(alias + ".pem").toString(), "-rfc", "-validity", "2"));
    for (String e : extensions) {
      args.addAll(List.of("-ext", e));
    }
    keytool(args.toArray(new String[0]));
    writeKey(work, alias, d.resolve(alias + ".key"));
  }

  private static void selfSigned(Path work, String alias, String algorithm, String dname, String... extensions)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("-genkeypair", "-keystore", store(work, alias), "-alias", alias,
        "-keyalg", algorithm, "-dname", dname, "-validity", "2"));
    args.addAll(algorithm.equals("EC") ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
    for (String e : extensions) {
      args.addAll(List.of("-ext", e));
    }
    keytool(args.toArray(new String[0]));
  }

  private static void exportCertificate(Path work, String alias, Path pem) throws Exception {
    keytool("-exportcert", "-rfc", "-keystore", store(work, alias), "-alias", alias, "-file", pem.toString());
  }

  /** keytool cannot export a private key: read it from the keystore and write PKCS#8 PEM. */
  private static void writeKey(Path work, String alias, Path file) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(work.resolve(alias + ".p12"))) {
      store.load(in, PASSWORD.toCharArray());
    }
    Files.writeString(file, pem("PRIVATE KEY", store.getKey(alias, PASSWORD.toCharArray()).getEncoded()));
  }

  private static String store(Path work, String alias) {
    return work.resolve(alias + ".p12").toString();
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    argv.addAll(List.of(args));
    argv.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
    Command.Completed done = Command.run(argv, Map.of("PATH", "/usr/bin:/bin"), Path.of("."), Duration.ofMinutes(1));
    if (!done.status().isSuccess()) {
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + done.stdout() + done.stderr());
    }
  }
}
