package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.FetchProgress;
import io.github.sparkmesos.fetcher.FetcherOptions;
import java.nio.file.Path;

/**
 * One transfer from a source into a directory: open the source, run the plan's step (write the file,
 * or extract the archive in one pass) into {@code into}, and, when {@code archiveCopy} is given, keep
 * the raw bytes there as well (the cache keeps both). Both the cached and the direct paths of
 * {@link io.github.sparkmesos.fetcher.Fetcher} go through here.
 *
 * <p>The SHA-256 of the raw bytes is computed while they stream and checked against the plan's expected sum
 * before anything becomes visible (the steps call {@link TransferStream#finish()} before their final rename).
 * A transfer that breaks in the middle is resumed under the step by the source itself; when it cannot be
 * resumed (the resource changed, or the server gives no validator), the step fails, removes what it wrote,
 * and the whole transfer starts over here, as one more of the {@link FetcherOptions#maxAttempts()} attempts.
 *
 * <p>The step gets the source {@linkplain TransferStream#readAhead() read ahead}: a thread of its own receives,
 * hashes and copies the bytes while the step decompresses and writes them on the caller's thread; closing the
 * source (always, below) ends that thread before the copy is discarded or the transfer starts over.
 */
public final class Download {

  /**
   * What the transfer produced.
   *
   * @param sha256 the SHA-256 of the raw bytes, 64 lowercase hex digits
   */
  public record Outcome(Path target, long bytes, boolean extracted, String sha256) {}

  private Download() {}

  public static Outcome run(Sources sources, FetcherOptions options, FetchPlan plan, Path into, Path archiveCopy,
               String uri, FetchProgress progress) throws StepException {
    Attempts attempts = new Attempts(options);
    while (true) {
      ArchiveCopy copy = null;
      TransferStream source = null;
      boolean done = false;
      try {
        copy = archiveCopy == null ? null : ArchiveCopy.create(archiveCopy);
        source = sources.open(plan.location(), uri, progress, attempts, into);
        source.expectSha256(plan.expectedSha256());
        source.copyTo(copy);
        source.readAhead(); // the network, the SHA-256 and the copy overlap with the step (ReadAhead)
        StepOutcome outcome = plan.step(options).run(source, into);
        done = true;
        return new Outcome(outcome.target(), source.bytes(), outcome.extracted(), source.sha256());
      } catch (StepException e) {
        if (source == null || !source.restartRequested()) {
          throw e;
        }
        if (!attempts.canRetry()) {
          throw new StepException(attempts.giveUp(e.getMessage(), true), e.getCause());
        }
        // the step removed what it wrote; start over
      } finally {
        if (source != null) {
          source.close();
        }
        if (copy != null && !done) {
          copy.discard();
        }
      }
    }
  }
}
