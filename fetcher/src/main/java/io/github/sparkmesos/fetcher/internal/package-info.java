/**
 * Implementation of the fetcher: one class per step. Not API; may change without notice.
 *
 * <ul>
 *   <li>{@link io.github.sparkmesos.fetcher.internal.FetchPlan}: parse the URI, choose the file name and the step</li>
 *   <li>{@link io.github.sparkmesos.fetcher.internal.Sources}: open the bytes
 *       ({@link io.github.sparkmesos.fetcher.internal.HttpSource},
 *       {@link io.github.sparkmesos.fetcher.internal.LocalFileSource}) as a counting, progress-reporting
 *       {@link io.github.sparkmesos.fetcher.internal.TransferStream}</li>
 *   <li>a {@link io.github.sparkmesos.fetcher.internal.FetchStep}: write the file
 *       ({@link io.github.sparkmesos.fetcher.internal.WriteFileStep}) or extract it
 *       ({@link io.github.sparkmesos.fetcher.internal.ExtractTarStep},
 *       {@link io.github.sparkmesos.fetcher.internal.ExtractZipStep}) through the
 *       {@link io.github.sparkmesos.fetcher.internal.SafeExtractor} into a
 *       {@link io.github.sparkmesos.fetcher.internal.Staging} directory</li>
 * </ul>
 */
package io.github.sparkmesos.fetcher.internal;
