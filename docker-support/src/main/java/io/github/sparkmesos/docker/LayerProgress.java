package io.github.sparkmesos.docker;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The layers of one pull as the engine reports them ({@code Pulling fs layer}, {@code Downloading} with
 * current/total bytes, {@code Download complete}, {@code Pull complete}, {@code Already exists}), summed into
 * a {@link Summary}. Not thread-safe: fed by the callback of one pull.
 */
public final class LayerProgress {

  /**
   * Bytes downloaded of the layers whose size is known so far, and how many layers are done.
   *
   * @param bytesDone   bytes downloaded (a finished layer counts whole)
   * @param bytesTotal  the sum of the sizes announced so far (grows as layers start)
   * @param layersDone  layers downloaded or already present
   * @param layers      layers seen
   */
  public record Summary(long bytesDone, long bytesTotal, int layersDone, int layers) {

    /** {@code 3/5 layers, 12.5 MiB of 40.0 MiB (31%)}. */
    public String text() {
      String line = layersDone + "/" + layers + " layers";
      if (bytesTotal > 0) {
        line += ", " + size(bytesDone) + " of " + size(bytesTotal) + " ("
            + (bytesDone >= bytesTotal ? 100 : Math.min(99, Math.round(100.0 * bytesDone / bytesTotal))) + "%)";
      }
      return line;
    }
  }

  private static final class Layer {
    long current;
    long total = -1;
    boolean done;
  }

  /** The engine names layers by their short id; other lines carry the tag or the digest in the same field. */
  private static final Pattern LAYER_ID = Pattern.compile("[0-9a-f]{12}");

  private final Map<String, Layer> layers = new LinkedHashMap<>();

  /**
   * Takes one status line of the engine.
   *
   * @return whether the summary changed
   */
  public boolean update(String layerId, String status, Long current, Long total) {
    if (layerId == null || status == null || !LAYER_ID.matcher(layerId).matches()) {
      return false; // lines about the image ("Pulling from ...", "Digest: ...", "Status: ..."), not a layer
    }
    boolean added = !layers.containsKey(layerId);
    Layer layer = layers.computeIfAbsent(layerId, id -> new Layer());
    if (status.startsWith("Downloading")) {
      if (total != null && total > 0) {
        layer.total = total;
      }
      if (current != null) {
        layer.current = Math.max(layer.current, current);
      }
      return true;
    }
    if (status.startsWith("Download complete") || status.startsWith("Pull complete")
        || status.startsWith("Already exists") || status.startsWith("Extracting")
        || status.startsWith("Verifying")) {
      boolean changed = !layer.done;
      layer.done = true;
      if (layer.total > 0) {
        layer.current = layer.total;
      }
      return changed;
    }
    return added; // "Pulling fs layer", "Waiting": a new layer counts
  }

  public Summary summary() {
    long done = 0;
    long total = 0;
    int finished = 0;
    for (Layer layer : layers.values()) {
      if (layer.total > 0) {
        total += layer.total;
        done += Math.min(layer.current, layer.total);
      }
      if (layer.done) {
        finished++;
      }
    }
    return new Summary(done, total, finished, layers.size());
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes / 1024.0;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
