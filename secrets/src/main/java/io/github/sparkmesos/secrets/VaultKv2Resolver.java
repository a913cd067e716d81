package io.github.sparkmesos.secrets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Reads secrets from HashiCorp Vault's KV version 2 engine: a reference named {@code <mount>/<path>} with key
 * {@code k} is {@code GET <url>/v1/<mount>/data/<path>} with {@code X-Vault-Token}, and its value is the string
 * {@code data.data.k} of the answer, as UTF-8. Without a key, {@code data.data} must hold exactly one field, whose
 * value is the secret.
 *
 * <p>The token is read from its file (checked like a secret file) at every read, so a token that a Vault Agent
 * renews is picked up; it is sent only in the header and never logged. The URL must be {@code https}, verified
 * with the given CA or the JDK's trust store; {@code http} is accepted only to a literal loopback address (a
 * Vault Agent listening on 127.0.0.1), where nothing crosses the network. Connection errors, timeouts and 5xx
 * are retried ({@link VaultSettings}); 403 is "permission denied", 404 "no such secret", neither retried.
 * Answers' bodies are never put in a message: they may hold values.
 */
public final class VaultKv2Resolver implements SecretResolver {

  public static final String TOKEN_FILE_VARIABLE = "SPARK_MESOS_EXECUTOR_VAULT_TOKEN_FILE";
  public static final String CA_FILE_VARIABLE = "SPARK_MESOS_EXECUTOR_VAULT_CA_FILE";

  private static final int MAX_ANSWER_BYTES = SecretFiles.MAX_BYTES;

  private final HttpUrl base;
  private final Path tokenFile;
  private final OkHttpClient client;
  private final VaultSettings settings;
  private final Backoff backoff;

  /**
   * @param caFile PEM certificates to trust, or null for the JDK's trust store
   * @throws IllegalArgumentException when the URL is not https (or http to loopback) or the CA file is unusable
   */
  public VaultKv2Resolver(String url, Path tokenFile, Path caFile, VaultSettings settings) {
    this.base = checkedUrl(url);
    this.tokenFile = tokenFile;
    this.settings = settings;
    this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
    OkHttpClient.Builder builder = new OkHttpClient.Builder()
        .connectTimeout(settings.connectTimeout())
        .readTimeout(settings.readTimeout())
        .writeTimeout(settings.readTimeout())
        .followRedirects(false)
        .retryOnConnectionFailure(false);
    if (caFile != null) {
      CaTrust trust = CaTrust.fromPem(caFile);
      builder.sslSocketFactory(trust.context().getSocketFactory(), trust.trustManager());
    }
    this.client = builder.build();
  }

  static HttpUrl checkedUrl(String url) {
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      throw new IllegalArgumentException("'" + url + "' is not an http(s) URL");
    }
    if (parsed.query() != null || parsed.fragment() != null || parsed.username().length() > 0
        || parsed.password().length() > 0) {
      throw new IllegalArgumentException("the Vault URL '" + parsed.redact()
          + "' must have no user, query or fragment");
    }
    if (parsed.scheme().equals("http") && !literalLoopback(parsed.host())) {
      throw new IllegalArgumentException("the Vault URL '" + url
          + "' must be https (http only to a literal loopback address such as 127.0.0.1)");
    }
    return parsed;
  }

  private static boolean literalLoopback(String host) {
    boolean literal = host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    if (!literal) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public byte[] resolve(SecretReference ref) throws SecretException {
    HttpUrl url = url(ref);
    String token = token(ref);
    Request request = new Request.Builder().url(url).header("X-Vault-Token", token).get().build();
    for (int attempt = 1; ; attempt++) {
      String failure;
      Throwable cause = null;
      try (Response response = client.newCall(request).execute()) {
        int code = response.code();
        if (code == 200) {
          return value(ref, body(ref, response));
        }
        if (code == 403) {
          throw new SecretException(ref, "permission denied by Vault at " + url + " (HTTP 403)");
        }
        if (code == 404) {
          throw new SecretException(ref, "no such secret in Vault at " + url + " (HTTP 404)");
        }
        if (code < 500) {
          throw new SecretException(ref, "Vault answered HTTP " + code + " for " + url);
        }
        failure = "Vault answered HTTP " + code + " for " + url;
      } catch (SSLException e) {
        throw new SecretException(ref, "the TLS handshake with " + url.host() + ":" + url.port()
            + " failed; is Vault's certificate signed by the CA of " + CA_FILE_VARIABLE + "? (" + e.getMessage()
            + ")", e); // not retried: a certificate the CA did not sign stays unsigned
      } catch (SocketTimeoutException e) {
        failure = "Vault at " + url + " did not answer within the timeouts (connect " + settings.connectTimeout()
            + ", read " + settings.readTimeout() + ")";
        cause = e;
      } catch (IOException e) {
        failure = "cannot read " + url + " from Vault: " + e;
        cause = e;
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new SecretException(ref, "interrupted while reading " + url, cause);
      }
      if (attempt >= settings.maxAttempts()) {
        throw new SecretException(ref, failure + " (after " + attempt + " attempts)", cause);
      }
      try {
        backoff.pause(attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SecretException(ref, "interrupted while retrying " + url, e);
      }
    }
  }

  /** {@code <url>/v1/<mount>/data/<path>}: the first segment of the name is the mount. */
  HttpUrl url(SecretReference ref) throws SecretException {
    String problem = ReferenceNames.problem(ref.name(), "name");
    if (problem != null) {
      throw new SecretException(ref, problem);
    }
    String[] segments = ref.name().split("/");
    if (segments.length < 2) {
      throw new SecretException(ref, "a Vault reference must be named <mount>/<path>");
    }
    HttpUrl.Builder url = base.newBuilder(); // a trailing empty segment ("/") is replaced by the first added
    url.addPathSegment("v1").addPathSegment(segments[0]).addPathSegment("data");
    for (int i = 1; i < segments.length; i++) {
      url.addPathSegment(segments[i]);
    }
    return url.build();
  }

  private String token(SecretReference ref) throws SecretException {
    if (tokenFile == null) {
      throw new SecretException(ref, TOKEN_FILE_VARIABLE + " is not set");
    }
    try {
      String token = new String(SecretFiles.read(tokenFile.toRealPath()), StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new SecretException(ref, "the Vault token file " + tokenFile + " is empty");
      }
      for (int i = 0; i < token.length(); i++) {
        char c = token.charAt(i);
        if (c < 0x21 || c > 0x7e) {
          throw new SecretException(ref, "the Vault token file " + tokenFile + " holds a character a header cannot");
        }
      }
      return token;
    } catch (IOException e) {
      throw new SecretException(ref, "the Vault token: " + e.getMessage(), e);
    }
  }

  private static String body(SecretReference ref, Response response) throws IOException, SecretException {
    ResponseBody body = response.body();
    byte[] bytes = body.byteStream().readNBytes(MAX_ANSWER_BYTES + 1);
    if (bytes.length > MAX_ANSWER_BYTES) {
      throw new SecretException(ref, "Vault's answer is longer than " + MAX_ANSWER_BYTES + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] value(SecretReference ref, String body) throws SecretException {
    Object json;
    try {
      json = JsonReader.parse(body);
    } catch (IllegalArgumentException e) {
      throw new SecretException(ref, "Vault's answer is not JSON (" + e.getMessage() + ")");
    }
    Object data = field(json, "data");
    Object fields = data == null ? null : field(data, "data");
    if (!(fields instanceof Map<?, ?> map)) {
      throw new SecretException(ref, "Vault's answer has no data.data object (a deleted or destroyed version?)");
    }
    Object value;
    if (ref.key().isPresent()) {
      if (!map.containsKey(ref.key().get())) {
        throw new SecretException(ref, "the secret has no such key (it has " + map.size() + " keys)");
      }
      value = map.get(ref.key().get());
    } else {
      if (map.size() != 1) {
        throw new SecretException(ref, "a reference without key needs a secret with exactly one key; it has "
            + map.size() + ": " + String.join(", ", map.keySet().stream().map(String::valueOf).toList()));
      }
      value = map.values().iterator().next();
    }
    if (!(value instanceof String s)) {
      throw new SecretException(ref, "the value is not a JSON string");
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Object field(Object json, String name) {
    return json instanceof Map<?, ?> map ? map.get(name) : null;
  }

  @Override
  public String toString() {
    return "VaultKv2Resolver[" + base + "]";
  }

  /** {@code vault:<https-url>}, with the token file and CA file from the environment. */
  public static final class Provider implements SecretResolverProvider {

    @Override
    public String scheme() {
      return "vault";
    }

    @Override
    public SecretResolver create(String location, Map<String, String> env) {
      String token = env.get(TOKEN_FILE_VARIABLE);
      if (token == null || token.isEmpty()) {
        throw new IllegalArgumentException(TOKEN_FILE_VARIABLE + " must name the file that holds the Vault token");
      }
      String ca = env.get(CA_FILE_VARIABLE);
      return new VaultKv2Resolver(location, Path.of(token), ca == null || ca.isEmpty() ? null : Path.of(ca),
          VaultSettings.defaults());
    }
  }
}
