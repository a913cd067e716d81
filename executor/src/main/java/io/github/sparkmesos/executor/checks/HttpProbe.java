package io.github.sparkmesos.executor.checks;

import io.github.sparkmesos.executor.mesos.Durations;
import io.github.sparkmesos.executor.util.TrustAnyCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.HttpsURLConnection;
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

  /** curl's default for -L. */
  private static final int MAX_REDIRECTS = 50;

  private final URI uri;
  private final Optional<Duration> timeout;
  private final Optional<Path> networkNamespace;
  private HttpClient client;
  private CompletableFuture<HttpResponse<Void>> inFlight;
  private HttpURLConnection inNamespace;
  private boolean abandoned;

  /** @param networkNamespace where the task's loopback is, when not the executor's (a task in its CNI networks) */
  HttpProbe(URI uri, Optional<Duration> timeout, Optional<Path> networkNamespace) {
    this.uri = uri;
    this.timeout = timeout;
    this.networkNamespace = networkNamespace;
  }

  @Override
  public String kind() {
    return "HTTP";
  }

  @Override
  public ProbeResult run() {
    if (networkNamespace.isPresent()) {
      return runInNamespace(networkNamespace.get());
    }
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

  /**
   * The socket of a request to a task's own loopback must be made inside its namespace, and the JDK's client
   * makes its sockets on threads of its own: so there, a blocking request on a thread that entered the namespace,
   * redirects followed by hand as curl -L follows them, the timeout on the connect and on every read.
   */
  private ProbeResult runInNamespace(Path namespace) {
    try {
      return io.github.sparkmesos.os.NamespaceThread.inNetworkNamespace(namespace, this::getBlocking);
    } catch (SocketTimeoutException e) {
      return timedOut();
    } catch (Exception e) {
      return new ProbeResult.Failed("GET " + uri + " in the task's network namespace failed: " + describe(e));
    } finally {
      synchronized (this) {
        inNamespace = null;
      }
    }
  }

  private ProbeResult getBlocking() throws IOException, GeneralSecurityException {
    URL url = uri.toURL();
    for (int redirects = 0; ; redirects++) {
      HttpURLConnection connection = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
      if (connection instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(trustAnything().getSocketFactory());
        https.setHostnameVerifier((host, session) -> true);
      }
      connection.setInstanceFollowRedirects(false);
      timeout.ifPresent(t -> {
        connection.setConnectTimeout((int) Math.max(1, t.toMillis()));
        connection.setReadTimeout((int) Math.max(1, t.toMillis()));
      });
      synchronized (this) {
        if (abandoned) {
          return new ProbeResult.Failed("abandoned");
        }
        inNamespace = connection;
      }
      try {
        int code = connection.getResponseCode();
        String location = connection.getHeaderField("Location");
        try (InputStream body = code >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
          if (body != null) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
          }
        }
        if (code / 100 == 3 && location != null && redirects < MAX_REDIRECTS) {
          url = new URL(url, location);
          continue;
        }
        return new ProbeResult.Performed(CheckStatusInfo.newBuilder().setType(CheckInfo.Type.HTTP)
            .setHttp(CheckStatusInfo.Http.newBuilder().setStatusCode(code)).build());
      } finally {
        connection.disconnect();
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
    if (inNamespace != null) {
      inNamespace.disconnect();
    }
  }

  private static SSLContext trustAnything() throws GeneralSecurityException {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new TrustAnyCertificate()}, null);
    return tls;
  }

  private HttpClient client() throws GeneralSecurityException {
    if (client == null) {
      HttpClient.Builder builder = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.ALWAYS);
      timeout.ifPresent(builder::connectTimeout);
      if ("https".equals(uri.getScheme())) {
        builder.sslContext(trustAnything());
      }
      client = builder.build();
    }
    return client;
  }
}
