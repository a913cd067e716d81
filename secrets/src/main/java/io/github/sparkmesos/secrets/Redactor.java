package io.github.sparkmesos.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one filter every log line and status message passes through: it replaces each secret value
 * it has been told about with {@value #MASK}. Values are matched longest first so that a secret that
 * contains another is masked whole.
 */
public final class Redactor {

  public static final String MASK = "******";

  /** Values shorter than this are not masked: masking "1" or "a" would destroy every message. */
  static final int MIN_LENGTH = 4;

  private final List<String> secrets = new CopyOnWriteArrayList<>();

  /**
   * Registers a secret value, and its base64 form (a value often travels encoded); values shorter than four
   * characters are ignored.
   */
  public void add(String secret) {
    if (secret != null) {
      add(secret.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Registers a secret given as bytes: its text (as UTF-8) and its base64 form. */
  public void add(byte[] secret) {
    if (secret == null) {
      return;
    }
    String text = new String(secret, StandardCharsets.UTF_8);
    if (text.length() < MIN_LENGTH) {
      return;
    }
    register(text);
    register(Base64.getEncoder().withoutPadding().encodeToString(secret));
  }

  private synchronized void register(String form) {
    if (!secrets.contains(form)) {
      secrets.add(form);
      secrets.sort(Comparator.comparingInt(String::length).reversed());
    }
  }

  public String redact(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, MASK);
    }
    return result;
  }
}
