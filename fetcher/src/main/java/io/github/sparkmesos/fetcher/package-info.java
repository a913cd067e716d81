/**
 * Turns URIs into files in a task sandbox.
 *
 * <p>The public API is small: build one {@link io.github.sparkmesos.fetcher.Fetcher} (it owns the HTTP
 * client and its connection pool), then call {@link io.github.sparkmesos.fetcher.Fetcher#fetch} once per
 * {@link io.github.sparkmesos.fetcher.FetchRequest}. Every failure is a
 * {@link io.github.sparkmesos.fetcher.FetchException} whose message names the URI (without user
 * information) and what went wrong, and a failed fetch leaves nothing behind in the sandbox.
 *
 * <h2>Sources</h2>
 * <ul>
 *   <li>{@code http}, {@code https}: redirects followed, TLS always verified. Connection failures, resets, stalls,
 *       5xx, 408, 429 and truncated bodies are retried with exponential backoff and full jitter
 *       ({@link io.github.sparkmesos.fetcher.FetcherOptions#maxAttempts()}, {@code initialBackoff},
 *       {@code maxBackoff}); other statuses are not. A transfer that breaks in the middle is resumed with
 *       {@code Range} and {@code If-Range} (the extractor reading it never notices); when it cannot be resumed
 *       (the resource changed, or the server sends no ETag or Last-Modified) it starts over. The stall timeout is
 *       {@code readTimeout}; {@code callTimeout} covers all attempts together. A final failure says how many
 *       attempts were made, for example {@code HTTP 503 Service Unavailable after 5 attempts}.</li>
 *   <li>{@code file:} URIs and absolute local paths.</li>
 *   <li>Hadoop file systems: {@code hdfs}, {@code webhdfs}, {@code swebhdfs}, {@code viewfs}, {@code har},
 *       {@code s3a}, {@code s3n}, {@code s3}, {@code gs}, {@code wasb}, {@code wasbs}, {@code abfs},
 *       {@code abfss}, {@code adl}, {@code oss}, {@code cosn}, {@code obs}, {@code o3fs}, {@code ofs} and
 *       {@code ftp}, through the Hadoop FileSystem API when {@code org.apache.hadoop.fs.FileSystem} is on the
 *       classpath, else through {@code hadoop fs -copyToLocal} ({@code $HADOOP_HOME/bin/hadoop}, else
 *       {@code hadoop} on {@code PATH}) run by a {@link io.github.sparkmesos.fetcher.CommandRunner}, as the
 *       Mesos fetcher does. Other schemes ({@code ftps}, {@code sftp}, ...) are refused by name.</li>
 * </ul>
 *
 * <h2>Checksums</h2>
 * The SHA-256 of the resource's bytes is computed while they stream and returned in
 * {@link io.github.sparkmesos.fetcher.FetchResult#sha256()}. An expected value
 * ({@link io.github.sparkmesos.fetcher.FetchRequest#sha256()}, or a {@code #sha256=<64 hex>} fragment at the end of
 * the URI, which is never sent) is checked before anything becomes visible in the sandbox; a mismatch fails with
 * {@code checksum mismatch: expected sha256 <expected>, got <actual>} and leaves nothing behind.
 *
 * <p>{@link io.github.sparkmesos.fetcher.ProgressText} turns progress into the lines the executor shows.
 * Everything in {@code io.github.sparkmesos.fetcher.internal} is an implementation detail.
 */
package io.github.sparkmesos.fetcher;
