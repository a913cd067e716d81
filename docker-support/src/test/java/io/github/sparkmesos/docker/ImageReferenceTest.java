package io.github.sparkmesos.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

  @Test
  void parsesRegistryRepositoryTagAndDigest() {
    ImageReference ref = ImageReference.parse("127.0.0.1:5000/spark/executor:3.5.9");
    assertEquals("127.0.0.1:5000", ref.registry());
    assertEquals("spark/executor", ref.repository());
    assertEquals("3.5.9", ref.tag());
    assertEquals("library/busybox", ImageReference.parse("library/busybox").repository());
    String digest = "sha256:" + "a".repeat(64);
    assertEquals(digest, ImageReference.parse("busybox@" + digest).digest());
  }

  @Test
  void rejectsBadNamesWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("Spark/Exec"));
    assertTrue(e.getMessage().contains("'Spark'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("busybox:bad tag"));
    assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(""));
  }
}
