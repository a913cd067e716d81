package io.github.sparkmesos.executor.harness;

import java.util.Locale;

/**
 * libprocess's {@code Request::acceptsMediaType}: with no Accept header everything is acceptable;
 * otherwise {@code type/subtype}, then {@code type/*}, then {@code *}{@code /*} is looked up, and the
 * first entry that names the candidate decides, refusing it with {@code q=0} (so
 * {@code application/json;q=0, *}{@code /*} refuses JSON). Other q-values do not rank anything.
 */
final class AcceptHeader {

  private AcceptHeader() {}

  static boolean accepts(String accept, String mediaType) {
    String[] parts = mediaType.split("/");
    if (parts.length != 2) {
      return false;
    }
    if (accept == null) {
      return true;
    }
    String header = accept.replace(" ", "").replace("\t", "").replace("\n", "");
    for (String candidate : new String[] {mediaType, parts[0] + "/*", "*/*"}) {
      for (String entry : header.split(",")) {
        String[] tokens = entry.split(";");
        if (tokens.length == 0 || tokens[0].isEmpty()) {
          continue;
        }
        if (tokens[0].toLowerCase(Locale.ROOT).equals(candidate.toLowerCase(Locale.ROOT))) {
          return acceptable(tokens);
        }
      }
    }
    return false;
  }

  /** No q, or a malformed one, accepts; a q that is a number accepts when above 0. */
  private static boolean acceptable(String[] tokens) {
    String q = null;
    int qs = 0;
    for (int i = 1; i < tokens.length; i++) {
      String[] pair = tokens[i].split("=", -1);
      if (pair.length == 2 && pair[0].equals("q") && !pair[1].isEmpty()) {
        q = pair[1];
        qs++;
      }
    }
    if (qs != 1) {
      return true;
    }
    try {
      return Double.parseDouble(q) > 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
