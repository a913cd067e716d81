package io.github.sparkmesos.fetcher.internal;

import java.nio.file.Path;

/**
 * What a step produced.
 *
 * @param target    the written file, or the sandbox for an extracted archive
 * @param extracted whether the content was extracted or decompressed
 */
public record StepOutcome(Path target, boolean extracted) {
}
