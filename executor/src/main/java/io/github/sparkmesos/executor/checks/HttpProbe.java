package io.github.sparkmesos.executor.checks;

import io.github.sparkmesos.executor.mesos.Durations;
import io.github.sparkmesos.executor.util.TrustAnyCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;

/**
 * A GET of {@code scheme://host:port/path} as Mesos's {@code curl -s -S -L -k -o /dev/null -w %{http_code}}:
 * HTTP/1.1, redirects followed, no TLS verification, the body read and dropped, the final status code
 * reported whatever it is. No response within the timeout, or no response at all (curl exiting non-zero),
 * is a failure. Loaded only for a task with an HTTP check, so the executor's start never loads the JDK's
 * HTTP client.
 */
final class HttpProbe implements Probe {

  private final URI uri;
  private final Optional<Duration> timeout;
  private HttpClient client;
  private CompletableFuture<HttpResponse<Void>> inFlight;
  private boolean abandoned;

  HttpProbe(URI uri, Optional<Duration> timeout) {
    this.uri = uri;
    this.timeout = timeout;
  }

  @Override
  public String kind() {
    return "HTTP";
  }

  @Override
  public ProbeResult run() {
    CompletableFuture<HttpResponse<Void>> response;
    try {
      synchronized (this) {
        if (abandoned) {
          return new ProbeResult.Failed("abandoned");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        timeout.ifPresent(request::timeout);
        response = client().sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
        inFlight = response;
      }
      HttpResponse<Void> done = timeout.isPresent()
          ? response.get(timeout.get().toNanos(), TimeUnit.NANOSECONDS)
          : response.get();
      return new ProbeResult.Performed(CheckStatusInfo.newBuilder().setType(CheckInfo.Type.HTTP)
          .setHttp(CheckStatusInfo.Http.newBuilder().setStatusCode(done.statusCode())).build());
    } catch (TimeoutException e) {
      return timedOut();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof java.net.http.HttpTimeoutException) {
        return timedOut();
      }
      return new ProbeResult.Failed("GET " + uri + " failed: " + describe(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ProbeResult.Failed("abandoned");
    } catch (CancellationException e) {
      return new ProbeResult.Failed("abandoned");
    } catch (RuntimeException | GeneralSecurityException e) {
      return new ProbeResult.Failed("GET " + uri + " failed: " + describe(e));
    } finally {
      synchronized (this) {
        if (inFlight != null) {
          inFlight.cancel(true);
          inFlight = null;
        }
      }
    }
  }

  private ProbeResult timedOut() {
    return new ProbeResult.Failed("GET " + uri + " timed out after " + Durations.format(timeout.get()));
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  @Override
  public synchronized void abandon() {
    abandoned = true;
    if (inFlight != null) {
      inFlight.cancel(true);
    }
  }

  private HttpClient client() throws GeneralSecurityException {
    if (client == null) {
      HttpClient.Builder builder = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.ALWAYS);
      timeout.ifPresent(builder::connectTimeout);
      if ("https".equals(uri.getScheme())) {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustAnyCertificate()}, null);
        builder.sslContext(tls);
      }
      client = builder.build();
    }
    return client;
  }
}
