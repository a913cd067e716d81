package io.github.sparkmesos.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LayerProgressTest {

  @Test
  void layersAreSummedAndFinishedLayersCountWhole() {
    LayerProgress progress = new LayerProgress();
    assertFalse(progress.update("1", "Pulling from sme/busybox", null, null), "the tag line is no layer");
    assertTrue(progress.update("aaaaaaaaaaaa", "Pulling fs layer", null, null));
    assertTrue(progress.update("bbbbbbbbbbbb", "Already exists", null, null));
    assertTrue(progress.update("aaaaaaaaaaaa", "Downloading", 1024L, 4096L));
    assertEquals(new LayerProgress.Summary(1024, 4096, 1, 2), progress.summary());
    assertEquals("1/2 layers, 1.0 KiB of 4.0 KiB (25%)", progress.summary().text());
    assertTrue(progress.update("aaaaaaaaaaaa", "Download complete", null, null));
    assertFalse(progress.update("aaaaaaaaaaaa", "Pull complete", null, null), "already counted");
    assertFalse(progress.update("sha256:abc", "Digest: sha256:abc", null, null));
    assertEquals("2/2 layers, 4.0 KiB of 4.0 KiB (100%)", progress.summary().text());
  }
}
