package io.github.sparkmesos.secrets;

/** The rules every store applies to a reference's name and key before it touches the store. */
final class ReferenceNames {

  private ReferenceNames() {}

  /**
   * Why {@code name} is not a relative, normalized path of one or more segments, or null when it is: not
   * empty, not absolute, no NUL, no empty, {@code .} or {@code ..} segment.
   */
  static String problem(String name, String what) {
    if (name.isEmpty()) {
      return "the " + what + " is empty";
    }
    if (name.indexOf('\0') >= 0) {
      return "the " + what + " contains NUL";
    }
    if (name.startsWith("/")) {
      return "the " + what + " is an absolute path";
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return "the " + what + " has an empty, '.' or '..' segment";
      }
    }
    return null;
  }

  /** Why {@code key} is not one path segment, or null when it is. */
  static String keyProblem(String key) {
    if (key.indexOf('/') >= 0) {
      return "the key contains '/'";
    }
    return problem(key, "key");
  }
}
