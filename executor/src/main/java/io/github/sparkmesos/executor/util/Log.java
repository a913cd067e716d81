package io.github.sparkmesos.executor.util;

import io.github.sparkmesos.secrets.Redactor;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The program's log: one line per event on stderr (the sandbox's {@code stderr} under an agent),
 * every line passed through the redactor first.
 */
public final class Log {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
  private static final Redactor REDACTOR = new Redactor();
  private static volatile String component = "executor";
  private static volatile PrintStream out = System.err;

  private Log() {}

  public static Redactor redactor() {
    return REDACTOR;
  }

  /** Names the way in ("executor", "harness", "demo") at the start of each line. */
  public static void component(String name) {
    component = name;
  }

  public static void info(String message) {
    write("INFO", message);
  }

  public static void warn(String message) {
    write("WARN", message);
  }

  public static void error(String message) {
    write("ERROR", message);
  }

  private static void write(String level, String message) {
    out.println(LocalDateTime.now().format(TIME) + " " + level + " [" + component + "] " + REDACTOR.redact(message));
    out.flush();
  }
}
