package io.github.sparkmesos.docker;

import java.util.regex.Pattern;

/**
 * A Docker image reference, {@code [registry[:port]/]repository[:tag][@digest]}, parsed with the
 * grammar of the distribution reference library so a bad name fails before anything is pulled.
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}");
  private static final Pattern HOST = Pattern.compile("(?:[a-zA-Z0-9-]+\\.)*[a-zA-Z0-9-]+(?::[0-9]+)?|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?");

  public static ImageReference parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("image name is empty");
    }
    String rest = text;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw new IllegalArgumentException("image '" + text + "': digest '" + digest + "' is not algorithm:hex");
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException("image '" + text + "': tag '" + tag + "' is not valid");
      }
    }
    String registry = null;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        if (!HOST.matcher(first).matches()) {
          throw new IllegalArgumentException("image '" + text + "': registry '" + first + "' is not a host[:port]");
        }
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    for (String component : rest.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw new IllegalArgumentException("image '" + text + "': repository component '" + component
            + "' must be lowercase letters, digits and separators (. _ __ -)");
      }
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  @Override
  public String toString() {
    return (registry == null ? "" : registry + "/") + repository + (tag == null ? "" : ":" + tag)
        + (digest == null ? "" : "@" + digest);
  }
}
