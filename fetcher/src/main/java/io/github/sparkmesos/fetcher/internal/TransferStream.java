package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.FetchProgress;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Function;

/**
 * The bytes of one source, as read by a step: counts them, computes their SHA-256 on the way (no second
 * pass), optionally keeps a copy of them ({@link ArchiveCopy}), reports progress about once per MiB and once
 * at the end, remembers the first read failure of the source (so a step can tell "the download broke"
 * from "the archive is corrupt"), and checks at the end that the whole announced length arrived and that
 * the checksum is the expected one.
 *
 * <p>With {@link #readAhead()} (as {@link Download} hands the stream to a step), the source is read, hashed and
 * copied on a thread of its own ({@link ReadAhead}), ahead of the step, which decompresses and writes on the
 * caller's thread. Everything else stays on the caller's thread: the count, progress (so a {@link FetchProgress}
 * is still called on the thread that fetches, one call at a time), failures (the source's failure is seen where
 * the step's reads reach it, exactly as without read-ahead), the interrupt check, {@link #finish()} and
 * {@link #close()}, which ends the reader thread.
 *
 * <p>{@link #available()} looks one byte ahead when the source has nothing buffered. This matters for
 * {@link java.util.zip.GZIPInputStream}: after each gzip member it only looks for another member if
 * {@code available() > 0} (or enough bytes are left in its own buffer), so a network stream that happens
 * to have an empty buffer at a member boundary would otherwise end a multi-member gzip early, silently.
 */
public final class TransferStream extends InputStream {

  static final long REPORT_EVERY = 1L << 20;

  private final InputStream in;
  private final long length;
  private final String uri;
  private final FetchProgress progress;
  private final Function<IOException, String> describer;
  private final Closeable resource;
  private final MessageDigest digest = newSha256();

  private String expectedSha256;
  private ArchiveCopy copy;
  private String sha256;
  private long count;
  private long nextReport = REPORT_EVERY;
  private long lastReported = -1;
  private int peeked = -1;
  private boolean eof;
  private IOException failure;
  private ReadAhead readAhead;
  private boolean finished;
  private boolean closed;

  /**
   * @param in        the source's bytes
   * @param length    the announced length, or -1
   * @param uri       the URI to report progress for (already redacted)
   * @param describer turns a read failure of the source into a reason
   * @param resource  closed with this stream (for example the HTTP response)
   */
  TransferStream(InputStream in, long length, String uri, FetchProgress progress,
          Function<IOException, String> describer, Closeable resource) {
    this.in = Objects.requireNonNull(in);
    this.length = length;
    this.uri = uri;
    this.progress = Objects.requireNonNull(progress);
    this.describer = Objects.requireNonNull(describer);
    this.resource = resource;
  }

  /** Bytes read from the source so far. */
  public long bytes() {
    return count;
  }

  /** The announced length, or -1. */
  public long length() {
    return length;
  }

  /** Makes {@link #finish()} fail unless the bytes have this SHA-256 (lowercase hex); null: no check. */
  public void expectSha256(String sha256Hex) {
    this.expectedSha256 = sha256Hex;
  }

  /** Writes every byte read to {@code copy} as well; {@link #finish()} commits it once all checks pass. */
  void copyTo(ArchiveCopy copy) {
    this.copy = copy;
  }

  /**
   * Reads the source on a thread of its own from the first read on, up to a few MiB ahead of the step (see
   * {@link ReadAhead}): the network, the SHA-256 and the archive copy then overlap with what the step does with
   * the bytes. Call before the first read; {@link #close()} ends the thread.
   */
  void readAhead() {
    if (readAhead == null && count == 0 && peeked < 0 && !eof && !closed) {
      readAhead = new ReadAhead(this::pull, in instanceof ReadAhead.Abortable a ? a : null,
          "fetcher-read-ahead");
    }
  }

  /** The SHA-256 of all bytes (lowercase hex), known after {@link #finish()}; else null. */
  public String sha256() {
    return sha256;
  }

  /** Whether the source gave up asking for the whole transfer to start over (see {@link TransferFailure}). */
  boolean restartRequested() {
    return failure instanceof TransferFailure f && f.restart();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (peeked >= 0) {
      b[off] = (byte) peeked;
      peeked = -1;
      return 1;
    }
    if (eof) {
      return -1;
    }
    int n = readSource(b, off, len);
    if (n == -1) {
      eof = true;
    }
    return n;
  }

  @Override
  public int available() throws IOException {
    if (peeked >= 0) {
      return 1;
    }
    if (eof) {
      return 0;
    }
    // with read-ahead, `in` belongs to the reader thread
    int buffered = readAhead != null ? readAhead.buffered() : in.available();
    if (buffered > 0) {
      return buffered;
    }
    byte[] one = new byte[1];
    int n = readSource(one, 0, 1);
    if (n == -1) {
      eof = true;
      return 0;
    }
    peeked = one[0] & 0xff;
    return 1;
  }

  private int readSource(byte[] b, int off, int len) throws IOException {
    if (Thread.currentThread().isInterrupted()) {
      if (readAhead != null) {
        readAhead.close(); // stops the reader thread and its connection now
      }
      throw remember(new InterruptedIOException("interrupted"));
    }
    int n;
    try {
      n = readAhead != null ? readAhead.read(b, off, len) : pull(b, off, len);
    } catch (IOException e) {
      throw remember(e);
    }
    if (n > 0) {
      count += n;
      if (count >= nextReport && count != length) { // the end is reported by finish(), once
        nextReport = (count / REPORT_EVERY + 1) * REPORT_EVERY;
        report();
      }
    }
    return n;
  }

  /** Reads from the source, hashing and copying what arrives: on the caller's thread, or the reader's. */
  private int pull(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      digest.update(b, off, n);
      if (copy != null) {
        copy.write(b, off, n);
      }
    }
    return n;
  }

  private IOException remember(IOException e) {
    if (failure == null) {
      failure = e;
    }
    return e;
  }

  /**
   * Reads what is left of the source, checks that the announced length arrived and that the SHA-256 is the
   * expected one, commits the copy, and reports the final progress. Steps call this before anything becomes
   * visible in the sandbox; when it fails, they remove what they wrote.
   */
  public void finish() throws StepException {
    if (finished) {
      return;
    }
    byte[] buf = new byte[8192];
    try {
      while (read(buf, 0, buf.length) != -1) {
        // trailing bytes after the end of the content (for example after an archive) are ignored
      }
    } catch (IOException e) {
      throw failure(e, "reading the source failed");
    }
    if (length >= 0 && count != length) {
      throw new StepException("the transfer ended after " + count + " of " + length + " bytes");
    }
    if (sha256 == null) {
      sha256 = HexFormat.of().formatHex(digest.digest());
    }
    if (expectedSha256 != null && !expectedSha256.equals(sha256)) {
      throw new StepException("checksum mismatch: expected sha256 " + expectedSha256 + ", got " + sha256);
    }
    if (copy != null) {
      copy.commit();
    }
    finished = true;
    if (count != lastReported) {
      report();
    }
  }

  private void report() {
    lastReported = count;
    progress.onProgress(uri, count, length);
  }

  /**
   * The reason for an I/O failure of a step that reads this stream: a transfer failure when the source
   * itself failed, else {@code problem} (for example "not a valid gzip file") with the exception's message.
   */
  public StepException failure(IOException e, String problem) {
    if (failure != null) {
      return new StepException("transfer failed after " + count + (length >= 0 ? " of " + length : "")
          + " bytes: " + describer.apply(failure), failure);
    }
    return new StepException(problem + ": " + messageOf(e), e);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  static String messageOf(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (readAhead != null) {
      readAhead.close(); // first: the reader thread may be using `in` and the copy
    }
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing to do: the outcome was decided before closing
    }
    if (resource != null) {
      try {
        resource.close();
      } catch (IOException ignored) {
        // as above
      }
    }
  }
}
