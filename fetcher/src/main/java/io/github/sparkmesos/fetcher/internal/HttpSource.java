package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.FetchProgress;
import io.github.sparkmesos.fetcher.FetcherOptions;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.UnknownServiceException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Opens an http(s) URL: GET with {@code Accept-Encoding: identity} (the bytes on disk are the bytes of the
 * resource, and Range offsets line up), redirects followed. Connection failures, 5xx, 408 and 429 are retried
 * with backoff ({@link Attempts}); other statuses fail at once. The body is a {@link ResumableBody}, which
 * continues a transfer that breaks in the middle with a Range request. Every request gets what is left of
 * the overall timeout as its call timeout, so the timeout covers all attempts together.
 */
final class HttpSource {

  private final OkHttpClient client;
  private final FetcherOptions options;

  HttpSource(OkHttpClient client, FetcherOptions options) {
    this.client = client;
    this.options = options;
  }

  TransferStream open(SourceLocation.Http location, String uri, FetchProgress progress, Attempts attempts)
      throws StepException {
    Duration retryAfter = null;
    while (true) {
      if (attempts.made() > 0) {
        try {
          attempts.pause(retryAfter);
        } catch (TransferFailure f) {
          throw new StepException(f.getMessage(), f.getCause());
        }
      }
      Call call;
      Response response;
      try {
        call = newCall(location, attempts, null, null);
        response = call.execute();
      } catch (IOException e) {
        boolean retryable = retryable(e, attempts);
        attempts.failed(describe(e, attempts));
        if (!retryable || !attempts.canRetry()) {
          throw new StepException(attempts.giveUp(attempts.lastFailure(), retryable), e);
        }
        retryAfter = null;
        continue;
      }
      if (!response.isSuccessful()) {
        int code = response.code();
        attempts.failed(status(response));
        retryAfter = retryAfter(response);
        response.close();
        boolean retryable = retryableStatus(code);
        if (!retryable || !attempts.canRetry()) {
          throw new StepException(attempts.giveUp(attempts.lastFailure(), retryable));
        }
        continue;
      }
      Validators validators = Validators.of(response);
      ResumableBody body = new ResumableBody(this, location, attempts, call, response, validators);
      return new TransferStream(body, validators.length(), uri, progress,
          e -> e instanceof TransferFailure ? e.getMessage()
              : attempts.giveUp(describe(e, attempts), retryable(e, attempts)), null);
    }
  }

  /**
   * One request, to be executed; {@code range} and {@code ifRange} are header values or null. Counts an attempt.
   */
  Call newCall(SourceLocation.Http location, Attempts attempts, String range, String ifRange)
      throws IOException {
    Request.Builder request = new Request.Builder().url(location.url()).header("Accept-Encoding", "identity");
    if (location.authorization() != null) {
      // OkHttp drops this header when a redirect leads to another host
      request.header("Authorization", location.authorization());
    }
    if (range != null) {
      request.header("Range", range);
    }
    if (ifRange != null) {
      request.header("If-Range", ifRange);
    }
    long remaining = attempts.remainingNanos();
    if (remaining <= 0) {
      throw new InterruptedIOException("timeout"); // a call timeout of 0 would mean none at all
    }
    Call call = client.newCall(request.build());
    call.timeout().timeout(remaining, TimeUnit.NANOSECONDS);
    attempts.begin();
    return call;
  }

  /**
   * Whether a failed request or read is worth another attempt: everything but an interrupt, the overall
   * timeout, certificate problems, a cleartext policy refusal and redirect loops.
   */
  static boolean retryable(IOException e, Attempts attempts) {
    if (e instanceof TransferFailure || attempts.expired() || Thread.currentThread().isInterrupted()) {
      return false;
    }
    if (e instanceof SSLHandshakeException || e instanceof SSLPeerUnverifiedException
        || e instanceof UnknownServiceException) {
      return false;
    }
    String message = e.getMessage();
    return !(e instanceof ProtocolException && message != null && message.startsWith("Too many follow-up"));
  }

  static boolean retryableStatus(int code) {
    return code >= 500 && code <= 599 || code == 408 || code == 429;
  }

  static String status(Response response) {
    return "HTTP " + response.code() + (response.message().isBlank() ? "" : " " + response.message());
  }

  /** Retry-After in seconds (the HTTP-date form is ignored), or null. */
  static Duration retryAfter(Response response) {
    String value = response.header("Retry-After");
    if (value == null || !value.strip().matches("[0-9]{1,9}")) {
      return null;
    }
    return Duration.ofSeconds(Long.parseLong(value.strip()));
  }

  /** What a failure of a request or of reading its body means, without attempts. */
  String describe(IOException e, Attempts attempts) {
    if (e instanceof TransferFailure) {
      return e.getMessage();
    }
    String message = TransferStream.messageOf(e);
    if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
      return "interrupted";
    }
    if (attempts.expired()) {
      return "did not complete within the overall timeout of " + format(options.callTimeout());
    }
    if (e instanceof UnknownHostException) {
      return "unknown host (" + message + ")";
    }
    if (e instanceof ConnectException) {
      return "connection failed (" + message + ")";
    }
    if (e instanceof SSLException) {
      return "TLS failure (" + message + ")";
    }
    if (e instanceof InterruptedIOException) {
      if (e instanceof SocketTimeoutException && message.toLowerCase(Locale.ROOT).contains("connect")) {
        return "could not connect within " + format(options.connectTimeout());
      }
      return "stalled: no data for " + format(options.readTimeout());
    }
    if (e instanceof SocketException && message.toLowerCase(Locale.ROOT).contains("reset")) {
      return "connection reset";
    }
    if (e instanceof EOFException
        || e instanceof ProtocolException && message.startsWith("unexpected end of stream")) {
      return "truncated body (" + message + ")";
    }
    return message;
  }

  static String format(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
