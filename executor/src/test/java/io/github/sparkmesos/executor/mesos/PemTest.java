package io.github.sparkmesos.executor.mesos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM certificates and the three unencrypted private key formats OpenSSL writes. */
class PemTest {

  private static final byte[] P256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};

  private static PublicKey publicKey(String cert) throws Exception {
    return Pem.certificates(TestCertificates.dir().resolve(cert), "C").get(0).getPublicKey();
  }

  @Test
  void pkcs8Keys() throws Exception {
    PrivateKey key = Pem.privateKey(TestCertificates.dir().resolve("server.key"), "K", publicKey("server.pem"), "C");
    assertArrayEquals(TestCertificates.key("server").getEncoded(), key.getEncoded());
    PrivateKey ec = Pem.privateKey(TestCertificates.dir().resolve("ec.key"), "K", publicKey("ec.pem"), "C");
    assertEquals("EC", ec.getAlgorithm());
  }

  @Test
  void pkcs1RsaKeys(@TempDir Path dir) throws Exception {
    RSAPrivateCrtKey k = (RSAPrivateCrtKey) TestCertificates.key("server");
    byte[] pkcs1 = sequence(integer(BigInteger.ZERO), integer(k.getModulus()), integer(k.getPublicExponent()),
        integer(k.getPrivateExponent()), integer(k.getPrimeP()), integer(k.getPrimeQ()),
        integer(k.getPrimeExponentP()), integer(k.getPrimeExponentQ()), integer(k.getCrtCoefficient()));
    Path file = Files.writeString(dir.resolve("rsa.key"), TestCertificates.pem("RSA PRIVATE KEY", pkcs1));
    assertArrayEquals(k.getEncoded(), Pem.privateKey(file, "K", publicKey("server.pem"), "C").getEncoded());
  }

  @Test
  void sec1EcKeysWithTheirCurve(@TempDir Path dir) throws Exception {
    ECPrivateKey k = (ECPrivateKey) TestCertificates.key("ec");
    byte[] s = k.getS().toByteArray();
    byte[] d = Arrays.copyOfRange(s, s.length - 32, s.length);
    Path file = Files.writeString(dir.resolve("ec.key"), "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n"
        + "-----END EC PARAMETERS-----\n" + TestCertificates.pem("EC PRIVATE KEY",
        sequence(integer(BigInteger.ONE), tlv(0x04, d), tlv(0xa0, P256))));
    PrivateKey read = Pem.privateKey(file, "K", publicKey("ec.pem"), "C");
    assertEquals(k.getS(), ((ECPrivateKey) read).getS());

    Path noCurve = Files.writeString(dir.resolve("nocurve.key"), TestCertificates.pem("EC PRIVATE KEY",
        sequence(integer(BigInteger.ONE), tlv(0x04, d))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Pem.privateKey(noCurve, "LIBPROCESS_SSL_KEY_FILE", publicKey("ec.pem"), "C"));
    assertTrue(e.getMessage().startsWith("LIBPROCESS_SSL_KEY_FILE: ") && e.getMessage().contains("names no curve"),
        e.getMessage());
  }

  @Test
  void encryptedKeysAreRefused(@TempDir Path dir) throws Exception {
    Path pkcs8 = Files.writeString(dir.resolve("a.key"), TestCertificates.pem("ENCRYPTED PRIVATE KEY", new byte[8]));
    Path pkcs1 = Files.writeString(dir.resolve("b.key"), "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
        + "DEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    for (Path p : new Path[] {pkcs8, pkcs1}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Pem.privateKey(p, "LIBPROCESS_SSL_KEY_FILE", publicKey("server.pem"), "C"));
      assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
    }
  }

  @Test
  void aFileWithoutTheBlockSaysWhichBlocksItWanted(@TempDir Path dir) throws Exception {
    Path text = Files.writeString(dir.resolve("x.pem"), "hello");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pem.certificates(text, "V"));
    assertTrue(e.getMessage().startsWith("V: ") && e.getMessage().contains("BEGIN CERTIFICATE"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Pem.privateKey(text, "V", publicKey("server.pem"), "C"));
    assertTrue(e.getMessage().startsWith("V: ") && e.getMessage().contains("BEGIN PRIVATE KEY"), e.getMessage());
  }

  @Test
  void aChainFileGivesEveryCertificateInOrder(@TempDir Path dir) throws Exception {
    Path chain = dir.resolve("chain.pem");
    Files.writeString(chain, "leaf:\n" + Files.readString(TestCertificates.dir().resolve("server.pem")) + "issuer:\n"
        + Files.readString(TestCertificates.dir().resolve("ca.pem")));
    var certs = Pem.certificates(chain, "V");
    assertEquals(2, certs.size());
    assertEquals(certs.get(0).getIssuerX500Principal(), certs.get(1).getSubjectX500Principal());
  }

  private static byte[] integer(BigInteger i) {
    return tlv(0x02, i.toByteArray());
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return tlv(0x30, out.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (content.length < 0x80) {
      out.write(content.length);
    } else if (content.length < 0x100) {
      out.write(0x81);
      out.write(content.length);
    } else {
      out.write(0x82);
      out.write(content.length >>> 8);
      out.write(content.length);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
