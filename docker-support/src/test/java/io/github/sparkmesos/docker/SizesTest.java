package io.github.sparkmesos.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Sizes read as the docker CLI reads them: binary units, any case, optional i and b. */
class SizesTest {

  @Test
  void unitsArePowersOf1024() {
    assertEquals(100, Sizes.parse("100"));
    assertEquals(100, Sizes.parse("100b"));
    assertEquals(2048, Sizes.parse("2k"));
    assertEquals(512L << 20, Sizes.parse("512m"));
    assertEquals(512L << 20, Sizes.parse("512M"));
    assertEquals(512L << 20, Sizes.parse("512mb"));
    assertEquals(512L << 20, Sizes.parse("512MiB"));
    assertEquals(1L << 30, Sizes.parse("1g"));
    assertEquals(3L << 29, Sizes.parse("1.5g"));
    assertEquals(1L << 40, Sizes.parse("1t"));
    assertEquals(1536, Sizes.parse("1.5k"));
  }

  @Test
  void malformedSizesAreRefusedNamingThem() {
    for (String bad : new String[] {"", "m", "-1", "1x", "1.5.5g", "1 gb extra", "1e9"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse(bad), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }
}
