package io.github.sparkmesos.executor.task;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Spark's {@code MesosProtoUtils.mesosLabels}: {@code key:value} pairs separated by commas, with
 * {@code \,} and {@code \:} as escapes in keys and values; a malformed pair is an error, as in Spark 3.
 */
final class SparkLabels {

  private SparkLabels() {}

  static Map<String, String> parse(String text, String field) throws InvalidTaskException {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text.isEmpty()) {
      return labels;
    }
    for (String pair : text.split("(?<!\\\\),")) {
      String[] parts = pair.split("(?<!\\\\):");
      if (parts.length != 2) {
        throw new InvalidTaskException(field, "malformed label '" + pair + "' (expected key:value, with \\, and"
            + " \\: for a literal comma or colon)");
      }
      labels.put(unescape(parts[0]), unescape(parts[1]));
    }
    return labels;
  }

  private static String unescape(String s) {
    return s.replace("\\,", ",").replace("\\:", ":");
  }
}
