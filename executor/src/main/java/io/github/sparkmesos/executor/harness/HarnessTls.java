package io.github.sparkmesos.executor.harness;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.github.sparkmesos.executor.mesos.Pem;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The harness agent's TLS, from a directory of PEM files: {@code ca.pem} (the CA the executor
 * trusts and, with client authentication, the one client certificates must come from),
 * {@code server.pem} + {@code server.key} (the agent's), and optionally {@code client.pem} +
 * {@code client.key} (the executor's, given to it as an operator would through
 * --executor_environment_variables).
 */
final class HarnessTls {

  private final Path dir;
  private final SSLContext context;
  private final boolean needClientAuth;

  private HarnessTls(Path dir, SSLContext context, boolean needClientAuth) {
    this.dir = dir;
    this.context = context;
    this.needClientAuth = needClientAuth;
  }

  static HarnessTls load(Path dir, boolean needClientAuth) {
    List<X509Certificate> chain = Pem.certificates(dir.resolve("server.pem"), "--tls");
    PrivateKey key = Pem.privateKey(dir.resolve("server.key"), "--tls", chain.get(0).getPublicKey(), "--tls");
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("agent", key, new char[0], chain.toArray(new X509Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
      KeyStore cas = KeyStore.getInstance("PKCS12");
      cas.load(null, null);
      List<X509Certificate> authorities = Pem.certificates(dir.resolve("ca.pem"), "--tls");
      for (int i = 0; i < authorities.size(); i++) {
        cas.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(cas);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return new HarnessTls(dir, context, needClientAuth);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("--tls " + dir + ": " + e.getMessage(), e);
    }
  }

  /** An HTTPS server with the agent's certificate that asks for (or requires) the executor's. */
  HttpServer newServer(InetSocketAddress at) throws IOException {
    HttpsServer https = HttpsServer.create(at, 64);
    https.setHttpsConfigurator(new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters p = getSSLContext().getDefaultSSLParameters();
        p.setNeedClientAuth(needClientAuth);
        params.setSSLParameters(p);
      }
    });
    return https;
  }

  /**
   * What an operator gives the executor: verification against ca.pem, by IP as well as by the
   * reverse DNS name, and the client certificate if the directory has one.
   */
  Map<String, String> executorEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LIBPROCESS_SSL_ENABLED", "1");
    env.put("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "1");
    env.put("LIBPROCESS_SSL_VERIFY_IPADD", "1");
    env.put("LIBPROCESS_SSL_CA_FILE", dir.resolve("ca.pem").toString());
    if (Files.exists(dir.resolve("client.pem")) && Files.exists(dir.resolve("client.key"))) {
      env.put("LIBPROCESS_SSL_CERT_FILE", dir.resolve("client.pem").toString());
      env.put("LIBPROCESS_SSL_KEY_FILE", dir.resolve("client.key").toString());
    }
    return env;
  }
}
