package io.github.sparkmesos.docker;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as the docker CLI reads them (go-units {@code RAMInBytes}): a decimal number, an optional unit
 * {@code b k m g t p} in any case, an optional {@code i} and {@code b}; every unit is a power of 1024, so
 * {@code 512m} is 512 MiB and {@code 1.5g} is 1.5 GiB, rounded down to a byte.
 */
public final class Sizes {

  private static final Pattern SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kKmMgGtTpPbB])?[iI]?[bB]?$");

  private Sizes() {}

  /**
   * The size in bytes.
   *
   * @throws IllegalArgumentException when {@code text} is not a size, naming it
   */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size such as 512m or 2g");
    }
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    int power = "bkmgtp".indexOf(unit);
    double bytes = Double.parseDouble(m.group(1)) * Math.pow(1024, power);
    if (bytes >= Long.MAX_VALUE) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    return (long) bytes;
  }
}
