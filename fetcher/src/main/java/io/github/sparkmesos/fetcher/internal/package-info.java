/**
 * Implementation of the fetcher: one class per step. Not API; may change without notice.
 *
 * <ul>
 *   <li>{@link io.github.sparkmesos.fetcher.internal.FetchPlan}: parse the URI
 *       ({@link io.github.sparkmesos.fetcher.internal.SourceParser}), the expected checksum
 *       ({@link io.github.sparkmesos.fetcher.internal.Checksums}), choose the file name and the step</li>
 *   <li>{@link io.github.sparkmesos.fetcher.internal.Download}: one transfer with its
 *       {@link io.github.sparkmesos.fetcher.internal.Attempts} (count, backoff, overall deadline); starts over when
 *       the source asks for it; optionally keeps the raw bytes ({@link io.github.sparkmesos.fetcher.internal.ArchiveCopy})</li>
 *   <li>{@link io.github.sparkmesos.fetcher.internal.Sources}: open the bytes
 *       ({@link io.github.sparkmesos.fetcher.internal.HttpSource} with its
 *       {@link io.github.sparkmesos.fetcher.internal.ResumableBody},
 *       {@link io.github.sparkmesos.fetcher.internal.LocalFileSource},
 *       {@link io.github.sparkmesos.fetcher.internal.HadoopSource}: the
 *       {@link io.github.sparkmesos.fetcher.internal.HadoopFileSystemApi} or the
 *       {@link io.github.sparkmesos.fetcher.internal.HadoopCommand}) as a counting, hashing, progress-reporting
 *       {@link io.github.sparkmesos.fetcher.internal.TransferStream}</li>
 *   <li>a {@link io.github.sparkmesos.fetcher.internal.FetchStep}: write the file
 *       ({@link io.github.sparkmesos.fetcher.internal.WriteFileStep}) or extract it
 *       ({@link io.github.sparkmesos.fetcher.internal.ExtractTarStep},
 *       {@link io.github.sparkmesos.fetcher.internal.ExtractZipStep}) through the
 *       {@link io.github.sparkmesos.fetcher.internal.SafeExtractor} into a
 *       {@link io.github.sparkmesos.fetcher.internal.Staging} directory; each calls
 *       {@link io.github.sparkmesos.fetcher.internal.TransferStream#finish()} (length and checksum) before its final
 *       rename</li>
 * </ul>
 */
package io.github.sparkmesos.fetcher.internal;
