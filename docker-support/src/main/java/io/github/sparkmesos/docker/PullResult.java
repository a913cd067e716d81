package io.github.sparkmesos.docker;

import java.time.Duration;

/**
 * What {@link PullStep} did.
 *
 * @param image    the reference pulled, with its tag ({@code :latest} when it had none)
 * @param imageId  the local image's id after the step ({@code sha256:...})
 * @param pulled   whether the registry was asked (false: the image was present and no force-pull)
 * @param attempts pulls made (0 when not pulled)
 * @param elapsed  time the step took
 */
public record PullResult(String image, String imageId, boolean pulled, int attempts, Duration elapsed) {

  /** {@code Pulled 127.0.0.1:5000/sme/busybox:1 (sha256:1a2b3c4d5e6f) in 812 ms after 2 attempts}. */
  public String text() {
    String id = imageId.startsWith("sha256:") && imageId.length() > 19 ? imageId.substring(0, 19) : imageId;
    if (!pulled) {
      return "Image " + image + " (" + id + ") is present; not pulled";
    }
    return "Pulled " + image + " (" + id + ") in " + elapsed.toMillis() + " ms"
        + (attempts > 1 ? " after " + attempts + " attempts" : "");
  }
}
