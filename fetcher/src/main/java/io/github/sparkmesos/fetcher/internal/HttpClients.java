package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.FetcherOptions;
import okhttp3.OkHttpClient;

/** Builds and releases the one OkHttp client of a fetcher. TLS verification is OkHttp's default: always on. */
public final class HttpClients {

  private HttpClients() {
  }

  public static OkHttpClient create(FetcherOptions options) {
    return new OkHttpClient.Builder()
        .connectTimeout(options.connectTimeout())
        .readTimeout(options.readTimeout())
        .writeTimeout(options.readTimeout())
        .callTimeout(options.callTimeout())
        .followRedirects(true)
        .followSslRedirects(true)
        .build();
  }

  public static void shutdown(OkHttpClient client) {
    client.connectionPool().evictAll();
    client.dispatcher().executorService().shutdown();
  }
}
