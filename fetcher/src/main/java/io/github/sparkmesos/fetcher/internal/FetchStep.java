package io.github.sparkmesos.fetcher.internal;

import java.nio.file.Path;

/** Consumes an opened source and puts its content into the sandbox, or leaves the sandbox untouched. */
public interface FetchStep {

  /**
   * Reads {@code source} to its end, calls {@link TransferStream#finish()} before anything becomes
   * visible in the sandbox, and on failure removes everything it wrote.
   */
  StepOutcome run(TransferStream source, Path sandbox) throws StepException;
}
