package io.github.sparkmesos.docker;

/**
 * Receives the progress of a pull, summed over its layers: called on the pulling thread at each change the
 * engine reports (a layer's bytes, a layer done), one call at a time; an exception thrown here aborts the pull.
 */
@FunctionalInterface
public interface PullProgress {

  /** Ignores progress. */
  PullProgress NONE = (image, summary) -> { };

  void onProgress(String image, LayerProgress.Summary summary);
}
