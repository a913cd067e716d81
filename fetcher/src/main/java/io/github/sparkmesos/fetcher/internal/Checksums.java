package io.github.sparkmesos.fetcher.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expected SHA-256 of a request: {@code FetchRequest.sha256()}, or a {@code #sha256=<64 hex>} fragment at
 * the end of the URI (removed before the URI is used; it is never sent to a server), or both if they agree.
 */
final class Checksums {

  private static final Pattern FRAGMENT = Pattern.compile("#sha256=([^#]*)$");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");

  /** A URI without its checksum fragment, and the checksum it carried (lowercase hex) or null. */
  record Split(String uri, String sha256) {
  }

  private Checksums() {
  }

  static Split split(String uri) throws StepException {
    Matcher m = FRAGMENT.matcher(uri);
    if (!m.find()) {
      return new Split(uri, null);
    }
    String value = m.group(1);
    if (!HEX.matcher(value).matches()) {
      throw new StepException("the URI fragment '#sha256=" + Names.display(value)
          + "' must be 64 hexadecimal digits");
    }
    return new Split(uri.substring(0, m.start()), value.toLowerCase(Locale.ROOT));
  }

  /** The expected sum, or null; an error if both are given and differ. */
  static String expected(String fromRequest, String fromFragment) throws StepException {
    String request = fromRequest == null ? null : fromRequest.toLowerCase(Locale.ROOT);
    if (request != null && fromFragment != null && !request.equals(fromFragment)) {
      throw new StepException("the expected sha256 of the request (" + request
          + ") differs from the one in the URI fragment (" + fromFragment + ")");
    }
    return request != null ? request : fromFragment;
  }
}
