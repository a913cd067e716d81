package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.FetchProgress;
import io.github.sparkmesos.fetcher.FetcherOptions;
import java.nio.file.Path;

/**
 * One transfer from a source into a directory: open the source, run the plan's step (write the file,
 * or extract the archive in one pass) into {@code into}, and, when {@code archiveCopy} is given, keep
 * the raw bytes there as well (the cache keeps both). Both the cached and the direct paths of
 * {@link io.github.sparkmesos.fetcher.Fetcher} go through here.
 */
public final class Download {

    /** What the transfer produced. */
    public record Outcome(Path target, long bytes, boolean extracted, String sha256) {}

    private Download() {}

    public static Outcome run(Sources sources, FetcherOptions options, FetchPlan plan, Path into, Path archiveCopy,
                              String uri, FetchProgress progress) throws StepException {
        if (archiveCopy != null) {
            throw new StepException("keeping a copy of the archive is not implemented yet");
        }
        try (TransferStream source = sources.open(plan.location(), uri, progress)) {
            StepOutcome outcome = plan.step(options).run(source, into);
            return new Outcome(outcome.target(), source.bytes(), outcome.extracted(), null);
        }
    }
}
