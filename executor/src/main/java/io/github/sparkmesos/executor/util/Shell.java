package io.github.sparkmesos.executor.util;

import java.util.regex.Pattern;

/** POSIX shell quoting, for values put into a {@code sh -c} command string. */
public final class Shell {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private Shell() {}

  /** The value itself when it needs no quoting, else single-quoted with embedded quotes escaped. */
  public static String quote(String value) {
    if (!value.isEmpty() && SAFE.matcher(value).matches()) {
      return value;
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
