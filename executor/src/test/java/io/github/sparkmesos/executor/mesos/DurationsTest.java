package io.github.sparkmesos.executor.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @Test
  void parsesEveryUnitTheAgentWrites() {
    assertEquals(Duration.ofSeconds(5), Durations.parse("5secs"));
    assertEquals(Duration.ofMinutes(15), Durations.parse("15mins"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1.5secs"));
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofHours(2), Durations.parse("2hrs"));
    assertEquals(Duration.ofDays(1), Durations.parse("1days"));
    assertEquals(Duration.ofDays(7), Durations.parse("1weeks"));
    assertEquals(Duration.ofNanos(100_000), Durations.parse("100us"));
    assertEquals(Duration.ofNanos(10), Durations.parse("10ns"));
    assertEquals(Duration.ofMillis(250), Durations.parse(".25secs"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "5 secs", "secs", "-1secs", "5s", "", "5sec", "1.5.2secs", "5SECS"})
  void refusesAnythingElseNamingTheFormat(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("5secs") && e.getMessage().contains("ns, us, ms, secs, mins, hrs, days or weeks"),
        e.getMessage());
  }

  @Test
  void nullIsRefusedWithTheSameMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
    assertTrue(e.getMessage().contains("is not a duration"), e.getMessage());
  }

  @Test
  void formatUsesTheAgentsSpelling() {
    assertEquals("5secs", Durations.format(Duration.ofSeconds(5)));
    assertEquals("15mins", Durations.format(Duration.ofMinutes(15)));
    assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
    assertEquals("2hrs", Durations.format(Duration.ofHours(2)));
    assertEquals("1days", Durations.format(Duration.ofDays(1)));
    assertEquals("2weeks", Durations.format(Duration.ofDays(14)));
    assertEquals("100us", Durations.format(Duration.ofNanos(100_000)));
    assertEquals("10ns", Durations.format(Duration.ofNanos(10)));
    assertEquals("0ns", Durations.format(Duration.ZERO));
  }

  @ParameterizedTest
  @ValueSource(longs = {1L, 999L, 1_500_000_000L, 90_000_000_000L, 5_000_000_000L, 604_800_000_000_000L})
  void formatParsesBackToTheSameDuration(long nanos) {
    assertEquals(Duration.ofNanos(nanos), Durations.parse(Durations.format(Duration.ofNanos(nanos))));
  }
}
