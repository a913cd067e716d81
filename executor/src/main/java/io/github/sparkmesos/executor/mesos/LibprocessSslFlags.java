package io.github.sparkmesos.executor.mesos;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code LIBPROCESS_SSL_*} variables read the way libprocess reads them (openssl.cpp, stout's
 * flags): the part after the prefix is matched case-insensitively, and a boolean is true for
 * {@code true}, {@code 1} or an empty value, false for {@code false} or {@code 0}, and an error for
 * anything else. The deprecated {@code SSL_} prefix is not read: {@code SSL_CERT_FILE} is also
 * OpenSSL's own variable for its CA bundle.
 */
final class LibprocessSslFlags {

  static final String PREFIX = "LIBPROCESS_SSL_";

  /** A variable as set, under the name it was set with. */
  record Setting(String variable, String value) {}

  private final Map<String, Setting> settings;

  private LibprocessSslFlags(Map<String, Setting> settings) {
    this.settings = settings;
  }

  static LibprocessSslFlags from(Map<String, String> env) {
    Map<String, Setting> settings = new TreeMap<>();
    // in name order, as stout walks the environment: LIBPROCESS_SSL_name wins over LIBPROCESS_SSL_NAME
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      if (e.getKey().startsWith(PREFIX)) {
        String flag = e.getKey().substring(PREFIX.length()).toLowerCase(Locale.ROOT);
        settings.put(flag, new Setting(e.getKey(), e.getValue()));
      }
    }
    return new LibprocessSslFlags(settings);
  }

  /** The variable for {@code flag} as it was set, or its canonical upper-case name. */
  String variable(String flag) {
    Setting s = settings.get(flag);
    return s != null ? s.variable() : PREFIX + flag.toUpperCase(Locale.ROOT);
  }

  Optional<String> string(String flag) {
    return Optional.ofNullable(settings.get(flag)).map(Setting::value);
  }

  boolean bool(String flag, boolean fallback) {
    Setting s = settings.get(flag);
    if (s == null) {
      return fallback;
    }
    return switch (s.value()) {
      case "", "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new IllegalArgumentException(s.variable() + ": '" + s.value() + "' is not a boolean"
          + " (libprocess takes true, 1, false, 0, or an empty value for true)");
    };
  }
}
