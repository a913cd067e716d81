package io.github.sparkmesos.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Makes an image present: nothing when it is there and force-pull is off; otherwise a pull, with the
 * credentials of {@link PullOptions#dockerConfig()} for the image's registry, retried with exponential backoff
 * (full jitter) on transient failures within one overall timeout, never retried when the image does not exist.
 * Layer progress goes to a {@link PullProgress}.
 */
public final class PullStep {

  private final DockerEngine engine;
  private final PullOptions options;
  private final PullProgress progress;

  public PullStep(DockerEngine engine, PullOptions options, PullProgress progress) {
    this.engine = engine;
    this.options = options;
    this.progress = progress == null ? PullProgress.NONE : progress;
  }

  /**
   * Pulls {@code image} if needed.
   *
   * @throws EngineException {@code Failed to pull image '<image>': <reason>[ after N attempts]}
   */
  public PullResult pull(String image) throws EngineException {
    long start = System.nanoTime();
    ImageReference ref;
    try {
      ref = ImageReference.parse(image);
    } catch (IllegalArgumentException e) {
      throw new EngineException("Failed to pull image: " + e.getMessage(), e);
    }
    String name = (ref.registry() == null ? "" : ref.registry() + "/") + ref.repository();
    String tag = ref.digest() == null && ref.tag() == null ? "latest" : ref.tag();
    String full = ref.digest() != null ? name + "@" + ref.digest() : name + ":" + tag;
    if (!options.forcePull()) {
      Optional<String> present = engine.imageId(full);
      if (present.isPresent()) {
        return new PullResult(full, present.get(), false, 0, Duration.ofNanos(System.nanoTime() - start));
      }
    }
    AuthConfig auth = auth(ref.registry());
    long deadline = start + options.timeout().toNanos();
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        pullOnce(full, name, ref.digest() != null ? null : tag, auth, deadline);
        break;
      } catch (RuntimeException e) {
        String reason = Failures.reason(e);
        if (!Failures.transientPullFailure(e)) {
          throw new EngineException(failed(full, reason, attempts), e);
        }
        if (attempts >= options.maxAttempts()) {
          throw new EngineException(failed(full, reason, attempts), e);
        }
        pause(attempts, deadline, full, reason);
      }
    }
    String id = engine.imageId(full)
        .orElseThrow(() -> new EngineException("Failed to pull image '" + full + "': the engine does not have it after the pull"));
    return new PullResult(full, id, true, attempts, Duration.ofNanos(System.nanoTime() - start));
  }

  private void pullOnce(String full, String name, String tag, AuthConfig auth, long deadline) throws EngineException {
    LayerProgress layers = new LayerProgress();
    ResultCallback.Adapter<PullResponseItem> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(PullResponseItem item) {
        if (item.isErrorIndicated()) {
          String error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
              ? item.getErrorDetail().getMessage() : item.getError();
          onError(new StreamError(error));
          return;
        }
        ResponseItem.ProgressDetail detail = item.getProgressDetail();
        if (layers.update(item.getId(), item.getStatus(), detail == null ? null : detail.getCurrent(),
            detail == null ? null : detail.getTotal())) {
          progress.onProgress(full, layers.summary());
        }
      }
    };
    var cmd = engine.client().pullImageCmd(name);
    if (tag != null) {
      cmd.withTag(tag);
    } else {
      cmd = engine.client().pullImageCmd(full);
    }
    if (auth != null) {
      cmd.withAuthConfig(auth);
    }
    cmd.exec(callback);
    boolean finished;
    try {
      finished = callback.awaitCompletion(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close(callback);
      throw new EngineException("Failed to pull image '" + full + "': interrupted", e);
    }
    if (!finished) {
      close(callback);
      throw new EngineException("Failed to pull image '" + full + "': not done within the overall timeout of "
          + options.timeout().toSeconds() + " s");
    }
  }

  private void pause(int attempts, long deadline, String full, String reason) throws EngineException {
    long initial = options.initialBackoff().toNanos();
    long max = options.maxBackoff().toNanos();
    int retries = attempts - 1;
    long cap = retries >= 62 || initial > (max >> retries) ? max : Math.min(max, initial << retries);
    long wait = cap == 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
    if (wait >= deadline - System.nanoTime()) {
      throw new EngineException(failed(full, reason, attempts) + "; the overall timeout of "
          + options.timeout().toSeconds() + " s leaves no time for another attempt");
    }
    try {
      TimeUnit.NANOSECONDS.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("Failed to pull image '" + full + "': interrupted", e);
    }
  }

  private AuthConfig auth(String registry) throws EngineException {
    if (options.dockerConfig() == null) {
      return null;
    }
    Optional<RegistryCredentials> found = RegistryCredentials.fromConfig(options.dockerConfig(), registry);
    if (found.isEmpty()) {
      return null;
    }
    RegistryCredentials credentials = found.get();
    return new AuthConfig().withUsername(credentials.username()).withPassword(credentials.password())
        .withRegistryAddress(credentials.registry());
  }

  private static String failed(String image, String reason, int attempts) {
    return "Failed to pull image '" + image + "': " + reason + (attempts > 1 ? " after " + attempts + " attempts" : "");
  }

  private static long remainingMillis(long deadline) {
    return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
  }

  private static void close(ResultCallback.Adapter<PullResponseItem> callback) {
    try {
      callback.close();
    } catch (IOException ignored) {
      // the stream is abandoned either way
    }
  }

  /** An error the engine reported inside the pull's stream (a layer that failed mid-way). */
  static final class StreamError extends com.github.dockerjava.api.exception.DockerClientException {
    private static final long serialVersionUID = 1L;

    StreamError(String message) {
      super(message);
    }
  }
}
