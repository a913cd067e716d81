package io.github.sparkmesos.executor.mesos;

import io.github.sparkmesos.executor.util.Log;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * libprocess's 'legacy' hostname validation (openssl.cpp {@code verify()}), for an executor that
 * reaches the agent by IP: the peer's name is the reverse DNS name of its IP (the name in the URL
 * is ignored when that lookup succeeds); without a name and without
 * {@code LIBPROCESS_SSL_VERIFY_IPADD} any certificate passes (unless
 * {@code LIBPROCESS_SSL_REQUIRE_CLIENT_CERT}); otherwise a subjectAltName DNS entry must equal the
 * name exactly (no wildcards), or, with VERIFY_IPADD, an IPv4 subjectAltName must equal the IP, or
 * else the first common name must equal the name.
 */
final class LegacyHostnameVerifier implements HostnameVerifier {

  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private final boolean verifyIpAddress;
  private final boolean requireClientCert;

  LegacyHostnameVerifier(boolean verifyIpAddress, boolean requireClientCert) {
    this.verifyIpAddress = verifyIpAddress;
    this.requireClientCert = requireClientCert;
  }

  @Override
  public boolean verify(String host, SSLSession session) {
    try {
      InetAddress ip = InetAddress.getByName(host);
      Optional<String> name = reverseName(ip).or(() -> isLiteral(host, ip) ? Optional.empty() : Optional.of(host));
      Optional<String> mismatch = check((X509Certificate) session.getPeerCertificates()[0], name, ip);
      mismatch.ifPresent(why -> Log.warn("the agent's certificate fails 'legacy' hostname validation: " + why));
      return mismatch.isEmpty();
    } catch (UnknownHostException | SSLPeerUnverifiedException e) {
      return false;
    }
  }

  /** Why the certificate does not fit the peer, or empty when it does. */
  Optional<String> check(X509Certificate cert, Optional<String> peerName, InetAddress ip) {
    if (!verifyIpAddress && peerName.isEmpty()) {
      return requireClientCert ? Optional.of("peer hostname unknown") : Optional.empty();
    }
    for (List<?> san : subjectAltNames(cert)) {
      int type = (Integer) san.get(0);
      String value = (String) san.get(1);
      if (type == SAN_DNS && peerName.isPresent() && peerName.get().equals(value)) {
        return Optional.empty();
      }
      if (type == SAN_IP && verifyIpAddress && ip instanceof Inet4Address && sameAddress(value, ip)) {
        return Optional.empty();
      }
    }
    if (peerName.isPresent()) {
      Optional<String> cn = firstCommonName(cert);
      if (cn.isPresent()) {
        return cn.get().equals(peerName.get()) ? Optional.empty()
            : Optional.of("presented certificate name " + cn.get() + " does not match peer hostname " + peerName.get());
      }
    }
    return Optional.of("could not verify presented certificate with " + peerName.map(n -> "hostname " + n + ", ")
        .orElse("") + "IP " + ip.getHostAddress());
  }

  private static Optional<String> reverseName(InetAddress ip) throws UnknownHostException {
    String name = InetAddress.getByAddress(ip.getAddress()).getHostName();
    return name.equals(ip.getHostAddress()) ? Optional.empty() : Optional.of(name);
  }

  private static boolean isLiteral(String host, InetAddress ip) {
    return host.equals(ip.getHostAddress()) || host.startsWith("[") || host.contains(":");
  }

  private static boolean sameAddress(String san, InetAddress ip) {
    try {
      return InetAddress.getByName(san).equals(ip);
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static Collection<List<?>> subjectAltNames(X509Certificate cert) {
    try {
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      return names == null ? List.of() : names;
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  private static Optional<String> firstCommonName(X509Certificate cert) {
    try {
      List<Rdn> rdns = new LdapName(cert.getSubjectX500Principal().getName()).getRdns();
      return rdns.stream().filter(r -> r.getType().equalsIgnoreCase("CN")).map(r -> r.getValue().toString())
          .findFirst();
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }
}
