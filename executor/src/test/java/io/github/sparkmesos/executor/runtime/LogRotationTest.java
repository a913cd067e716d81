package io.github.sparkmesos.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's log settings, read from the executor's environment. */
class LogRotationTest {

  @Test
  void nothingSetIsNoRotation() {
    assertEquals(LogRotation.NONE, LogRotation.fromEnvironment(Map.of()));
  }

  @Test
  void aSizeAloneKeepsTenFiles() {
    assertEquals(new LogRotation(10L << 20, 10),
        LogRotation.fromEnvironment(Map.of(LogRotation.MAX_SIZE_VARIABLE, "10m")));
  }

  @Test
  void sizesAndCounts() {
    assertEquals(new LogRotation(512L << 10, 3), LogRotation.fromEnvironment(Map.of(
        LogRotation.MAX_SIZE_VARIABLE, "512KiB", LogRotation.MAX_FILES_VARIABLE, "3")));
    assertEquals(1048576, LogRotation.parseSize("1048576"));
    assertEquals(1L << 30, LogRotation.parseSize("1G"));
    assertEquals(10L << 20, LogRotation.parseSize("10MB"));
  }

  @Test
  void whatIsNotASizeOrACountIsRefusedNamingTheVariable() {
    for (Map<String, String> env : new Map[] {
        Map.of(LogRotation.MAX_SIZE_VARIABLE, "ten"),
        Map.of(LogRotation.MAX_SIZE_VARIABLE, "0"),
        Map.of(LogRotation.MAX_SIZE_VARIABLE, "10m", LogRotation.MAX_FILES_VARIABLE, "0"),
        Map.of(LogRotation.MAX_FILES_VARIABLE, "3")}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> LogRotation.fromEnvironment(env));
      assertTrue(e.getMessage().contains("SPARK_MESOS_EXECUTOR_LOG_MAX_"), e.getMessage());
    }
  }
}
