package io.github.sparkmesos.fetcher.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.Response;

/**
 * The body of an HTTP download that survives a failure in the middle: when a read fails (reset, stall,
 * truncated body, broken chunked encoding) it asks again with {@code Range: bytes=<offset>-} and
 * {@code If-Range: <ETag or Last-Modified>}, and the reader (the extractor) just gets the next bytes.
 *
 * <ul>
 *   <li>206 with {@code Content-Range: bytes <offset>-<length-1>/<length>} (and no other ETag): continues.</li>
 *   <li>200 of the same version (same validator and length: the server ignores Range): skips the first
 *       {@code offset} bytes of the new body and continues.</li>
 *   <li>200 of another version, 416, a mismatching Content-Range, or no validator at all: the bytes so far
 *       cannot be continued, so the read fails with a {@link TransferFailure#restart() restart} and
 *       {@link Download} starts the whole transfer over.</li>
 *   <li>5xx, 408, 429 and connection failures of the resume request: tried again with backoff.</li>
 *   <li>Anything else, or no attempts or time left: fails with the final reason and the attempts made.</li>
 * </ul>
 *
 * <p>Read by one thread at a time; {@link #abort()} may be called from any thread.
 */
final class ResumableBody extends InputStream implements ReadAhead.Abortable {

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");

  private final HttpSource source;
  private final SourceLocation.Http location;
  private final Attempts attempts;
  private final Validators validators;
  /** The request whose body is read now (or that is being made), for {@link #abort()}. */
  private volatile Call call;
  private volatile boolean aborted;
  private Response response;
  private InputStream in;
  private long offset;
  /** The length of the resource when known: from the first response, else from a Content-Range. */
  private long length;
  private TransferFailure failure;
  private boolean closed;

  ResumableBody(HttpSource source, SourceLocation.Http location, Attempts attempts, Call call, Response response,
         Validators validators) {
    this.source = source;
    this.location = location;
    this.attempts = attempts;
    this.validators = validators;
    this.length = validators.length();
    this.call = call;
    adopt(response);
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
    while (true) {
      if (failure != null) {
        throw failure;
      }
      int n;
      try {
        n = in.read(b, off, len);
      } catch (IOException e) {
        resumeAfter(e);
        continue;
      }
      if (n == -1) {
        if (length >= 0 && offset < length) {
          resumeAfter(new EOFException("ended after " + offset + " of " + length + " bytes"));
          continue;
        }
        return -1;
      }
      offset += n;
      return n;
    }
  }

  @Override
  public int available() {
    if (failure != null || closed) {
      return 0;
    }
    try {
      return in.available();
    } catch (IOException e) {
      return 0; // the next read finds out
    }
  }

  /** Returns once the transfer can go on from {@link #offset}; else throws (and keeps throwing). */
  private void resumeAfter(IOException broken) throws TransferFailure {
    closeResponse();
    if (aborted) {
      throw fail(TransferFailure.fatal("aborted", broken));
    }
    if (!HttpSource.retryable(broken, attempts)) {
      throw fail(TransferFailure.fatal(attempts.giveUp(source.describe(broken, attempts), false), broken));
    }
    attempts.failed(source.describe(broken, attempts));
    IOException cause = broken;
    Duration retryAfter = null;
    while (true) {
      if (aborted) {
        throw fail(TransferFailure.fatal("aborted", cause));
      }
      if (!attempts.canRetry()) {
        throw fail(TransferFailure.fatal(attempts.giveUp(attempts.lastFailure(), true), cause));
      }
      if (!validators.canResume()) {
        // a Range request could splice two versions of the resource together: start over
        throw fail(restartOrFail(attempts.lastFailure(), cause));
      }
      try {
        attempts.pause(retryAfter);
      } catch (TransferFailure f) {
        throw fail(f);
      }
      retryAfter = null;
      Response next;
      try {
        Call resume = source.newCall(location, attempts, "bytes=" + offset + "-", validators.ifRange());
        call = resume;
        if (aborted) {
          resume.cancel(); // abort() may have missed it
        }
        next = resume.execute();
      } catch (IOException e) {
        cause = e;
        if (!HttpSource.retryable(e, attempts)) {
          throw fail(TransferFailure.fatal(attempts.giveUp(source.describe(e, attempts), false), e));
        }
        attempts.failed(source.describe(e, attempts));
        continue;
      }
      int code = next.code();
      if (code == 206) {
        String problem = rangeProblem(next);
        if (problem != null) {
          next.close();
          throw fail(restartOrFail(problem, null));
        }
        adopt(next);
        attempts.resumed();
        return;
      }
      if (code == 200) {
        if (!validators.sameVersion(next)) {
          String change = validators.change(next);
          next.close();
          throw fail(restartOrFail("the resource changed during the transfer (" + change + ")", null));
        }
        adopt(next);
        IOException skipFailure = skipToOffset();
        if (skipFailure == null) {
          attempts.resumed();
          return;
        }
        closeResponse();
        cause = skipFailure;
        if (!HttpSource.retryable(skipFailure, attempts)) {
          throw fail(TransferFailure.fatal(attempts.giveUp(source.describe(skipFailure, attempts), false),
              skipFailure));
        }
        attempts.failed(source.describe(skipFailure, attempts));
        continue;
      }
      String status = HttpSource.status(next);
      Duration wait = HttpSource.retryAfter(next);
      next.close();
      if (code == 416) {
        throw fail(restartOrFail("the resource changed during the transfer (" + status + " for bytes "
            + offset + "-)", null));
      }
      attempts.failed(status);
      cause = null;
      if (!HttpSource.retryableStatus(code)) {
        throw fail(TransferFailure.fatal(attempts.giveUp(status, false), null));
      }
      retryAfter = wait;
    }
  }

  /** Why a 206 cannot continue this transfer, or null. */
  private String rangeProblem(Response partial) {
    String header = partial.header("Content-Range");
    Matcher m = CONTENT_RANGE.matcher(header == null ? "" : header.strip());
    if (!m.matches()) {
      return "the server answered the resume request with 206 and "
          + (header == null ? "no Content-Range" : "the Content-Range '" + Names.display(header) + "'");
    }
    long start = Long.parseLong(m.group(1));
    long end = Long.parseLong(m.group(2));
    long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
    if (start != offset) {
      return "the server resumed at byte " + start + " instead of " + offset;
    }
    if (length >= 0 && (total != length || end != length - 1)) {
      return "the resource changed during the transfer (Content-Range " + Names.display(header.strip())
          + " for a resource of " + length + " bytes)";
    }
    if (!validators.samePartialVersion(partial)) {
      return "the resource changed during the transfer (" + validators.change(partial) + ")";
    }
    if (length < 0 && total >= 0) {
      length = total;
    }
    return null;
  }

  /** Reads and drops the first {@link #offset} bytes of a full response; the failure, or null. */
  private IOException skipToOffset() {
    byte[] buffer = new byte[IoCopy.BUFFER];
    long left = offset;
    try {
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n == -1) {
          return new EOFException("ended after " + (offset - left) + " bytes, before byte " + offset);
        }
        left -= n;
      }
    } catch (IOException e) {
      return e;
    }
    return null;
  }

  /** A restart if attempts are left (the new request is one), else the final failure. */
  private TransferFailure restartOrFail(String reason, IOException cause) {
    attempts.failed(reason);
    if (attempts.canRetry()) {
      return TransferFailure.restart(reason, cause);
    }
    return TransferFailure.fatal(attempts.giveUp(reason, true), cause);
  }

  /**
   * Cancels the request whose body is read (OkHttp closes its socket, so a read blocked on it fails at once)
   * and fails every later resume; for a reader on another thread ({@link ReadAhead}).
   */
  @Override
  public void abort() {
    aborted = true;
    Call current = call;
    if (current != null) {
      current.cancel();
    }
  }

  private TransferFailure fail(TransferFailure f) {
    closeResponse();
    failure = f;
    return f;
  }

  private void adopt(Response next) {
    response = next;
    in = next.body().byteStream();
  }

  private void closeResponse() {
    if (response != null) {
      response.close();
      response = null;
    }
  }

  @Override
  public void close() {
    closed = true;
    closeResponse();
  }
}
