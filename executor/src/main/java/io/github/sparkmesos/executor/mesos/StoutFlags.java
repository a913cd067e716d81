package io.github.sparkmesos.executor.mesos;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A command line as Mesos's programs read it (stout's flags): {@code --name=value}, {@code --name} and
 * {@code --no-name} for booleans, names case-insensitive, a value {@code file://PATH} read from that
 * file. Mesos's logging flags, which every Mesos program takes, are accepted and left to our own log.
 */
final class StoutFlags {

  /** The flags of Mesos's logging (src/logging/flags.cpp) and help. */
  private static final Set<String> LOGGING_FLAGS = Set.of("quiet", "logging_level", "log_dir", "logbufsecs",
      "initialize_driver_logging", "external_log_file", "help");

  private StoutFlags() {}

  /**
   * The values of the flags named in {@code names} ({@code "true"}/{@code "false"} for a boolean
   * given bare or with {@code --no-}); what is not one of them nor a logging flag goes to {@code rest}.
   *
   * @param booleans the names among {@code names} that may be given without a value
   */
  static Map<String, String> parse(List<String> args, List<String> names, Set<String> booleans, List<String> rest) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || arg.length() == 2) {
        rest.add(arg);
        continue;
      }
      int eq = arg.indexOf('=');
      String name = (eq < 0 ? arg.substring(2) : arg.substring(2, eq)).toLowerCase(Locale.ROOT);
      boolean negated = name.startsWith("no-");
      String bare = negated ? name.substring(3) : name;
      if (LOGGING_FLAGS.contains(bare)) {
        continue;
      }
      if (!names.contains(bare)) {
        rest.add(arg);
        continue;
      }
      if (values.containsKey(bare)) {
        throw new IllegalArgumentException("flag '--" + bare + "' is given more than once");
      }
      if (eq < 0) {
        if (!booleans.contains(bare)) {
          throw new IllegalArgumentException("flag '--" + bare + "' needs a value (--" + bare + "=VALUE)");
        }
        values.put(bare, negated ? "false" : "true");
      } else if (negated) {
        throw new IllegalArgumentException("flag '--" + name + "': a '--no-' flag takes no value");
      } else {
        values.put(bare, fetch(bare, arg.substring(eq + 1)));
      }
    }
    return values;
  }

  /** stout's fetch: a {@code file://} value is the content of that file. */
  private static String fetch(String name, String value) {
    if (!value.startsWith("file://")) {
      return value;
    }
    Path path = Path.of(value.substring("file://".length()));
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("flag '--" + name + "': cannot read '" + path + "': " + e.getMessage(), e);
    }
  }

  /** A flag's value that must be a JSON object. */
  static JsonObject jsonObject(String name, String json) {
    try {
      JsonElement parsed = JsonParser.parseString(json);
      if (!parsed.isJsonObject()) {
        throw new IllegalArgumentException("flag '--" + name + "': expected a JSON object");
      }
      return parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("flag '--" + name + "': not JSON: " + e.getMessage(), e);
    }
  }
}
