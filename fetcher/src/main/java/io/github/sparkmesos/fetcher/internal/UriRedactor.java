package io.github.sparkmesos.fetcher.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Removes user information ({@code user:password@}) from URIs before they reach any message. */
public final class UriRedactor {

  /** scheme://, then the longest run of authority characters that ends with '@'. */
  private static final Pattern USERINFO = Pattern.compile("^(\\s*[A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@");

  private UriRedactor() {
  }

  public static String redact(String uri) {
    if (uri == null) {
      return null;
    }
    Matcher m = USERINFO.matcher(uri);
    return m.find() ? m.group(1) + uri.substring(m.end()) : uri;
  }

  /** {@code text} (for example an error message that repeats {@code uri}) without {@code uri}'s user information. */
  static String redactIn(String text, java.net.URI uri) {
    String userInfo = uri.getRawUserInfo();
    if (text == null || userInfo == null || userInfo.isEmpty()) {
      return text;
    }
    String decoded = uri.getUserInfo();
    String result = text.replace(userInfo + "@", "");
    return decoded == null || decoded.isEmpty() ? result : result.replace(decoded + "@", "");
  }
}
