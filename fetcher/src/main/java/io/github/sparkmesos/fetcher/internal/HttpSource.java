package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.FetchProgress;
import io.github.sparkmesos.fetcher.FetcherOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Opens an http(s) URL: one GET with {@code Accept-Encoding: identity} (the bytes on disk are the bytes
 * of the resource; Range offsets of a later resume line up), redirects followed, non-2xx refused.
 */
final class HttpSource {

    private final OkHttpClient client;
    private final FetcherOptions options;

    HttpSource(OkHttpClient client, FetcherOptions options) {
        this.client = client;
        this.options = options;
    }

    TransferStream open(SourceLocation.Http location, String uri, FetchProgress progress) throws StepException {
        Request.Builder request = new Request.Builder().url(location.url()).header("Accept-Encoding", "identity");
        if (location.authorization() != null) {
            // OkHttp drops this header when a redirect leads to another host
            request.header("Authorization", location.authorization());
        }
        long started = System.nanoTime();
        Response response;
        try {
            response = client.newCall(request.build()).execute();
        } catch (IOException e) {
            throw new StepException(describe(e, started), e);
        }
        if (!response.isSuccessful()) {
            String status = "HTTP " + response.code() + (response.message().isBlank() ? "" : " " + response.message());
            response.close();
            throw new StepException(status);
        }
        ResponseBody body = response.body();
        return new TransferStream(body.byteStream(), body.contentLength(), uri, progress,
                e -> describe(e, started), response);
    }

    private String describe(IOException e, long startedNanos) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
        String message = TransferStream.messageOf(e);
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
            if (Thread.currentThread().isInterrupted()) {
                return "interrupted";
            }
            if (elapsed.compareTo(options.callTimeout()) >= 0) {
                return "did not complete within the overall timeout of " + format(options.callTimeout());
            }
            if (e instanceof SocketTimeoutException && message.toLowerCase(Locale.ROOT).contains("connect")) {
                return "could not connect within " + format(options.connectTimeout());
            }
            return "stalled: no data for " + format(options.readTimeout());
        }
        return message;
    }

    static String format(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
