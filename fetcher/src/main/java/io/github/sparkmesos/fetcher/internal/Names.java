package io.github.sparkmesos.fetcher.internal;

/** Makes names from archives and URIs safe to print: control characters are escaped. */
final class Names {

  private static final int MAX_DISPLAY = 300;

  private Names() {
  }

  static String display(String name) {
    return display(name, MAX_DISPLAY);
  }

  /** Control characters escaped, cut after {@code max} characters. */
  static String display(String name, int max) {
    if (name == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(name.length(), max) + 8);
    for (int i = 0; i < name.length(); i++) {
      if (out.length() >= max) {
        out.append("...");
        break;
      }
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
