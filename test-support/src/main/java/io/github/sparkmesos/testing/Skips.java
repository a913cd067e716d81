package io.github.sparkmesos.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Preconditions of a test: skipped with a message where one is missing, but never under CI=true. */
public final class Skips {

  private Skips() {}

  public static boolean underCi() {
    return "true".equals(System.getenv("CI"));
  }

  /** Skips the test (or fails it under CI=true) unless {@code condition} holds. */
  public static void require(boolean condition, String why) {
    if (underCi()) {
      Assertions.assertTrue(condition, why + " (CI=true never skips)");
    } else {
      Assumptions.assumeTrue(condition, why);
    }
  }
}
