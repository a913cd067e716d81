package io.github.sparkmesos.executor.task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Spark's {@code org.apache.spark.launcher.JavaModuleOptions}: without them a Spark JVM on Java 17
 * dies at start with an IllegalAccessError. Spark 3.3+ drivers prepend them to
 * spark.executor.extraJavaOptions; a document written by hand may lack them.
 */
public final class JavaModuleOptions {

  public static final List<String> OPTIONS = List.of(
      "-XX:+IgnoreUnrecognizedVMOptions",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "-Djdk.reflect.useDirectMethodHandle=false");

  private JavaModuleOptions() {}

  /** {@code javaOptions} with the module options it lacks put in front, as Spark does. */
  public static String supplement(String javaOptions) {
    List<String> present = Arrays.asList(javaOptions.trim().split("\\s+"));
    List<String> missing = new ArrayList<>();
    for (String option : OPTIONS) {
      if (!present.contains(option)) {
        missing.add(option);
      }
    }
    String prefix = String.join(" ", missing);
    if (javaOptions.isBlank()) {
      return prefix;
    }
    return prefix.isEmpty() ? javaOptions.trim() : prefix + " " + javaOptions.trim();
  }
}
