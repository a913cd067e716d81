package io.github.sparkmesos.executor.mesos;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and private keys in PEM files, as OpenSSL reads them for libprocess. Keys may be
 * PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1 with its named
 * curve ({@code BEGIN EC PRIVATE KEY}); encrypted keys are refused, as libprocess has no passphrase
 * setting. Every error names the variable that gave the file.
 */
public final class Pem {

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  // rsaEncryption, id-ecPublicKey
  private static final String RSA_OID = "1.2.840.113549.1.1.1";
  private static final String EC_OID = "1.2.840.10045.2.1";

  private Pem() {}

  private record Block(String type, String body) {}

  /** Every certificate in the file, in order; at least one. */
  public static List<X509Certificate> certificates(Path file, String variable) {
    List<X509Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(file, variable)) {
        if (b.type().equals("CERTIFICATE")) {
          certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(decode(b, file, variable))));
        }
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException(variable + ": " + file + " holds a certificate that cannot be read: "
          + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(variable + ": " + file + " holds no PEM certificate (BEGIN CERTIFICATE)");
    }
    return certs;
  }

  /** The file's private key, checked to be the one of {@code certificateKey}. */
  public static PrivateKey privateKey(Path file, String variable, PublicKey certificateKey, String certificateVariable) {
    Block key = blocks(file, variable).stream().filter(b -> b.type().endsWith("PRIVATE KEY")).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(variable + ": " + file
            + " holds no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)"));
    if (key.type().equals("ENCRYPTED PRIVATE KEY") || key.body().contains("Proc-Type:")) {
      throw new IllegalArgumentException(variable + ": " + file
          + " holds an encrypted key; libprocess has no passphrase setting, so the key must be unencrypted");
    }
    byte[] der = decode(key, file, variable);
    byte[] pkcs8 = switch (key.type()) {
      case "PRIVATE KEY" -> der;
      case "RSA PRIVATE KEY" -> Der.pkcs8(Der.sequence(Der.oid(RSA_OID), Der.NULL), der);
      case "EC PRIVATE KEY" -> Der.pkcs8(Der.sequence(Der.oid(EC_OID), Der.sec1Curve(der, variable, file)), der);
      default -> throw new IllegalArgumentException(variable + ": " + file + ": a '" + key.type()
          + "' is not supported (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY are)");
    };
    PrivateKey privateKey;
    try {
      privateKey = KeyFactory.getInstance(certificateKey.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(variable + ": " + file + " is not a " + certificateKey.getAlgorithm()
          + " private key (the algorithm of the certificate in " + certificateVariable + "): " + e.getMessage(), e);
    }
    if (!matches(privateKey, certificateKey)) {
      throw new IllegalArgumentException(variable + ": the key in " + file
          + " does not belong to the certificate in " + certificateVariable);
    }
    return privateKey;
  }

  /** As OpenSSL's SSL_CTX_check_private_key: a signature made with the key verifies with the certificate's. */
  private static boolean matches(PrivateKey key, PublicKey certificateKey) {
    String algorithm = switch (certificateKey.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "DSA" -> "SHA256withDSA";
      default -> certificateKey.getAlgorithm(); // EdDSA, Ed25519, Ed448 sign without a digest name
    };
    try {
      byte[] data = new byte[32];
      new SecureRandom().nextBytes(data);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(data);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificateKey);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static List<Block> blocks(Path file, String variable) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new IllegalArgumentException(variable + ": cannot read " + file + ": " + e, e);
    }
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      blocks.add(new Block(m.group(1), m.group(2)));
    }
    return blocks;
  }

  private static byte[] decode(Block b, Path file, String variable) {
    try {
      return Base64.getMimeDecoder().decode(b.body().strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(variable + ": " + file + ": the " + b.type() + " block is not base64", e);
    }
  }

  /** The little DER needed to wrap PKCS#1 and SEC1 keys in PKCS#8. */
  private static final class Der {
    static final byte[] NULL = {0x05, 0x00};

    static byte[] pkcs8(byte[] algorithm, byte[] key) {
      return sequence(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, key));
    }

    static byte[] sequence(byte[]... parts) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] p : parts) {
        out.writeBytes(p);
      }
      return tlv(0x30, out.toByteArray());
    }

    static byte[] oid(String dotted) {
      String[] arcs = dotted.split("\\.");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
      for (int i = 2; i < arcs.length; i++) {
        long arc = Long.parseLong(arcs[i]);
        int shift = 63 - Long.numberOfLeadingZeros(arc | 1);
        for (int s = shift / 7 * 7; s > 0; s -= 7) {
          out.write((int) ((arc >>> s) & 0x7f) | 0x80);
        }
        out.write((int) (arc & 0x7f));
      }
      return tlv(0x06, out.toByteArray());
    }

    /** The named-curve OID (with its tag) from SEC1's {@code [0] parameters}. */
    static byte[] sec1Curve(byte[] sec1, String variable, Path file) {
      try {
        int[] seq = header(sec1, 0);
        int at = seq[0];
        int end = seq[0] + seq[1];
        while (at < end) {
          int[] h = header(sec1, at);
          if ((sec1[at] & 0xff) == 0xa0) {
            int[] inner = header(sec1, h[0]);
            if (sec1[h[0]] == 0x06) {
              return java.util.Arrays.copyOfRange(sec1, h[0], inner[0] + inner[1]);
            }
          }
          at = h[0] + h[1];
        }
      } catch (ArrayIndexOutOfBoundsException e) {
        throw new IllegalArgumentException(variable + ": " + file + ": the EC PRIVATE KEY is not valid DER", e);
      }
      throw new IllegalArgumentException(variable + ": " + file
          + ": the EC PRIVATE KEY names no curve (write it with its parameters, or as PKCS#8)");
    }

    /** {content offset, content length} of the element at {@code at}. */
    private static int[] header(byte[] der, int at) {
      int length = der[at + 1] & 0xff;
      int offset = at + 2;
      if (length > 0x80) {
        int n = length & 0x7f;
        length = 0;
        for (int i = 0; i < n; i++) {
          length = (length << 8) | (der[offset++] & 0xff);
        }
      }
      return new int[] {offset, length};
    }

    private static byte[] tlv(int tag, byte[] content) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(tag);
      int n = content.length;
      if (n < 0x80) {
        out.write(n);
      } else {
        int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
          out.write(n >>> (8 * i));
        }
      }
      out.writeBytes(content);
      return out.toByteArray();
    }
  }
}
