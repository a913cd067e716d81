package io.github.sparkmesos.executor.mesos;

import io.github.sparkmesos.executor.util.TrustAnyCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.TlsVersion;

/**
 * TLS to an agent whose libprocess runs with {@code LIBPROCESS_SSL_ENABLED}, configured from the
 * same {@code LIBPROCESS_SSL_*} variables and with the same meaning as in libprocess
 * (3rdparty/libprocess/src/openssl.cpp):
 * <ul>
 *   <li>{@code VERIFY_SERVER_CERT} (Mesos 1.10+; {@code VERIFY_CERT} up to 1.9, an alias since), both
 *       false by default, and implied by {@code REQUIRE_CLIENT_CERT} / {@code REQUIRE_CERT}. Off, any
 *       server certificate is accepted and the CA settings are not read.
 *   <li>{@code CA_FILE} and {@code CA_DIR} (every PEM certificate of every file in it, a superset of
 *       OpenSSL's hashed look-up); with neither, OpenSSL's defaults {@code SSL_CERT_FILE} /
 *       {@code SSL_CERT_DIR} if set, else the JDK's trust store.
 *   <li>{@code CERT_FILE} + {@code KEY_FILE}: the client certificate chain and its key (see {@link Pem}).
 *       libprocess needs them because it also serves TLS; the executor is only a client, so they are
 *       optional here, but one without the other is an error.
 *   <li>{@code HOSTNAME_VALIDATION_SCHEME} (Mesos 1.9+, default {@code legacy}). The executor connects by IP, so
 *       libprocess has no host name from the URL. {@code legacy} maps to {@link LegacyHostnameVerifier}
 *       (reverse DNS of the IP, exact DNS/CN match, IP match only with {@code VERIFY_IPADD}).
 *       {@code openssl} (X509_VERIFY_PARAM_set1_ip: the IP must be an iPAddress subjectAltName) maps
 *       to OkHttp's default verifier, which checks an IP host against iPAddress subjectAltNames
 *       only; libprocess refuses that scheme without {@code VERIFY_IPADD} when it has no host name,
 *       so that is a start-up error here.
 *   <li>{@code ENABLE_TLS_V1_0..V1_3}, {@code ENABLE_SSL_V3}: the protocols offered (libprocess
 *       enables only TLS 1.2 by default).
 * </ul>
 * Not mapped: {@code CIPHERS} and {@code ECDH_CURVES} (OpenSSL syntax; the agent chooses, so the
 * executor offers every suite the JDK enables), {@code VERIFICATION_DEPTH}.
 */
public final class AgentTls {

  private final SSLSocketFactory socketFactory;
  private final X509TrustManager trustManager;
  private final Optional<HostnameVerifier> hostnameVerifier;
  private final ConnectionSpec connectionSpec;
  private final boolean verifiesServer;
  private final String description;

  private AgentTls(SSLSocketFactory socketFactory, X509TrustManager trustManager,
      Optional<HostnameVerifier> hostnameVerifier, ConnectionSpec connectionSpec, boolean verifiesServer,
      String description) {
    this.socketFactory = socketFactory;
    this.trustManager = trustManager;
    this.hostnameVerifier = hostnameVerifier;
    this.connectionSpec = connectionSpec;
    this.verifiesServer = verifiesServer;
    this.description = description;
  }

  /** Whether libprocess would speak TLS to the agent ({@code LIBPROCESS_SSL_ENABLED}). */
  static boolean enabled(Map<String, String> env) {
    return LibprocessSslFlags.from(env).bool("enabled", false);
  }

  /** The TLS settings, or empty when TLS is off; a bad setting is an error naming its variable. */
  public static Optional<AgentTls> from(Map<String, String> env) {
    LibprocessSslFlags flags = LibprocessSslFlags.from(env);
    if (!flags.bool("enabled", false)) {
      return Optional.empty();
    }
    boolean requireClientCert = flags.bool("require_client_cert", false) | flags.bool("require_cert", false);
    boolean verify = flags.bool("verify_server_cert", false) | flags.bool("verify_cert", false) | requireClientCert;
    boolean verifyIp = flags.bool("verify_ipadd", false);
    String scheme = flags.string("hostname_validation_scheme").orElse("legacy");
    if (!scheme.equals("legacy") && !scheme.equals("openssl")) {
      throw new IllegalArgumentException(flags.variable("hostname_validation_scheme") + ": '" + scheme
          + "' is neither 'legacy' nor 'openssl'");
    }
    if (verify && scheme.equals("openssl") && !verifyIp) {
      throw new IllegalArgumentException(flags.variable("hostname_validation_scheme") + "=openssl needs "
          + flags.variable("verify_ipadd") + "=true: the agent is reached by IP, with no DNS name to check");
    }
    List<String> said = new ArrayList<>();
    KeyManager[] keys = clientKeys(flags, said);
    X509TrustManager trust = verify ? trustManager(flags, env, said) : new TrustAnyCertificate();
    said.add(verify ? "server certificate verified, '" + scheme + "' hostname validation"
        + (verifyIp ? " with IP addresses" : "") : "server certificate NOT verified");
    TlsVersion[] versions = versions(flags);
    said.add("protocols " + Stream.of(versions).map(TlsVersion::javaName).toList());
    Optional<HostnameVerifier> hostnames = !verify ? Optional.of((host, session) -> true)
        : scheme.equals("legacy") ? Optional.of(new LegacyHostnameVerifier(verifyIp, requireClientCert))
        : Optional.empty();
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, new TrustManager[] {trust}, null);
      ConnectionSpec spec = new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS).tlsVersions(versions)
          .allEnabledCipherSuites().build();
      return Optional.of(new AgentTls(context.getSocketFactory(), trust, hostnames, spec, verify,
          String.join("; ", said)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** Uses TLS as configured on both of the executor's clients. */
  OkHttpClient.Builder configure(OkHttpClient.Builder builder) {
    builder.sslSocketFactory(socketFactory, trustManager).connectionSpecs(List.of(connectionSpec));
    hostnameVerifier.ifPresent(builder::hostnameVerifier);
    return builder;
  }

  public boolean verifiesServer() {
    return verifiesServer;
  }

  /** What is used: files, verification, protocols. */
  public String describe() {
    return description;
  }

  private static KeyManager[] clientKeys(LibprocessSslFlags flags, List<String> said) {
    Optional<String> certFile = flags.string("cert_file");
    Optional<String> keyFile = flags.string("key_file");
    if (certFile.isEmpty() && keyFile.isEmpty()) {
      said.add("no client certificate");
      return null;
    }
    if (certFile.isEmpty() || keyFile.isEmpty()) {
      String missing = flags.variable(certFile.isEmpty() ? "cert_file" : "key_file");
      String given = flags.variable(certFile.isEmpty() ? "key_file" : "cert_file");
      throw new IllegalArgumentException(missing + " must be set with " + given
          + " (the client certificate and its private key go together)");
    }
    String certVariable = flags.variable("cert_file");
    List<X509Certificate> chain = Pem.certificates(Path.of(certFile.get()), certVariable);
    PrivateKey key = Pem.privateKey(Path.of(keyFile.get()), flags.variable("key_file"), chain.get(0).getPublicKey(),
        certVariable);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("executor", key, new char[0], chain.toArray(new X509Certificate[0]));
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, new char[0]);
      said.add("client certificate " + certFile.get() + " (" + chain.get(0).getSubjectX500Principal().getName() + ")");
      return factory.getKeyManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(certVariable + ": cannot use " + certFile.get() + " with its key: "
          + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManager(LibprocessSslFlags flags, Map<String, String> env, List<String> said) {
    List<X509Certificate> authorities = new ArrayList<>();
    Optional<String> caFile = flags.string("ca_file");
    Optional<String> caDir = flags.string("ca_dir");
    caFile.ifPresent(f -> authorities.addAll(Pem.certificates(Path.of(f), flags.variable("ca_file"))));
    caDir.ifPresent(d -> authorities.addAll(directory(Path.of(d), flags.variable("ca_dir"))));
    if (caFile.isEmpty() && caDir.isEmpty()) {
      // OpenSSL's SSL_CTX_set_default_verify_paths
      Optional<String> file = Optional.ofNullable(env.get("SSL_CERT_FILE")).filter(v -> !v.isEmpty());
      Optional<String> dir = Optional.ofNullable(env.get("SSL_CERT_DIR")).filter(v -> !v.isEmpty());
      file.ifPresent(f -> authorities.addAll(Pem.certificates(Path.of(f), "SSL_CERT_FILE")));
      dir.ifPresent(d -> authorities.addAll(directory(Path.of(d), "SSL_CERT_DIR")));
      said.add(authorities.isEmpty() ? "CAs of the JDK's trust store" : "CAs of SSL_CERT_FILE/SSL_CERT_DIR");
    } else {
      said.add("CAs of " + Stream.of(caFile, caDir).flatMap(Optional::stream).toList());
    }
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (authorities.isEmpty()) {
        factory.init((KeyStore) null);
      } else {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < authorities.size(); i++) {
          store.setCertificateEntry("ca-" + i, authorities.get(i));
        }
        factory.init(store);
      }
      return Stream.of(factory.getTrustManagers()).filter(X509TrustManager.class::isInstance)
          .map(X509TrustManager.class::cast).findFirst().orElseThrow();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up the CA certificates: " + e.getMessage(), e);
    }
  }

  /** Every certificate in every regular file of {@code dir}; files without one are skipped. */
  private static List<X509Certificate> directory(Path dir, String variable) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(variable + ": " + dir + " is not a directory");
    }
    List<X509Certificate> certs = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        try {
          certs.addAll(Pem.certificates(f, variable));
        } catch (IllegalArgumentException e) {
          // not a certificate file (OpenSSL would not look at it either)
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(variable + ": cannot list " + dir + ": " + e, e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(variable + ": no file in " + dir + " holds a PEM certificate");
    }
    return certs;
  }

  private static TlsVersion[] versions(LibprocessSslFlags flags) {
    List<TlsVersion> versions = new ArrayList<>();
    if (flags.bool("enable_tls_v1_3", false)) {
      versions.add(TlsVersion.TLS_1_3);
    }
    if (flags.bool("enable_tls_v1_2", true)) {
      versions.add(TlsVersion.TLS_1_2);
    }
    if (flags.bool("enable_tls_v1_1", false)) {
      versions.add(TlsVersion.TLS_1_1);
    }
    if (flags.bool("enable_tls_v1_0", false)) {
      versions.add(TlsVersion.TLS_1_0);
    }
    if (flags.bool("enable_ssl_v3", false)) {
      versions.add(TlsVersion.SSL_3_0);
    }
    if (versions.isEmpty()) {
      throw new IllegalArgumentException(flags.variable("enable_tls_v1_2") + " is false and no other"
          + " LIBPROCESS_SSL_ENABLE_* protocol is on: no TLS version is left");
    }
    return versions.toArray(new TlsVersion[0]);
  }
}
