package io.github.sparkmesos.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --ulimit name=soft[:hard]} read as the docker CLI reads it. */
class UlimitsTest {

  @Test
  void softAndHard() {
    assertEquals(new Ulimits.Ulimit("nofile", 1024, 2048), Ulimits.parse("nofile=1024:2048"));
    assertEquals(new Ulimits.Ulimit("nproc", 64, 64), Ulimits.parse("nproc=64"), "the hard limit is the soft one");
    assertEquals(new Ulimits.Ulimit("core", -1, -1), Ulimits.parse("core=-1:-1"), "unlimited");
  }

  @Test
  void malformedLimitsAreRefusedNamingWhy() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Ulimits.parse("files=1")).getMessage()
        .contains("unknown resource 'files'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Ulimits.parse("nofile=2048:1024")).getMessage()
        .contains("above the hard limit"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Ulimits.parse("nofile=a")).getMessage()
        .contains("not integers"));
    assertThrows(IllegalArgumentException.class, () -> Ulimits.parse("nofile=1:2:3"));
    assertThrows(IllegalArgumentException.class, () -> Ulimits.parse("=1"));
    assertThrows(IllegalArgumentException.class, () -> Ulimits.parse("nofile"));
  }
}
