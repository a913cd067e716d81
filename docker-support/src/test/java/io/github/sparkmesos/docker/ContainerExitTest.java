package io.github.sparkmesos.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ContainerExitTest {

  @Test
  void codesAboveTwoHundredTwentyEightAreSignals() {
    assertEquals(9, new ContainerExit(137, false).signal());
    assertEquals(15, new ContainerExit(143, false).signal());
    assertEquals(0, new ContainerExit(128, false).signal());
    assertEquals(0, new ContainerExit(3, false).signal());
  }

  @Test
  void messageIsMesossOwn() {
    assertEquals("Container exited with status 137", new ContainerExit(137, true).message());
    assertEquals("Container exited with status 0", new ContainerExit(0, false).message());
  }
}
