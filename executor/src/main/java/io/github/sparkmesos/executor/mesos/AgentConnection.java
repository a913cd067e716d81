package io.github.sparkmesos.executor.mesos;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UninitializedMessageException;
import io.github.sparkmesos.executor.util.Log;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.mesos.v1.executor.Protos;

/**
 * The executor's two HTTP connections to {@code /api/v1/executor}: one carries only the SUBSCRIBE
 * request and its endless RecordIO stream of events, the other every other call (each answered 202
 * Accepted). Separate clients with separate pools keep them on separate connections: TCP, TLS
 * ({@link AgentTls}) or the agent's Unix socket ({@code MESOS_DOMAIN_SOCKET}).
 */
public final class AgentConnection {

  private final String url;
  private final WireFormat format;
  private final Optional<String> token;
  private final OkHttpClient streamClient;
  private final OkHttpClient callClient;

  public AgentConnection(AgentEnvironment agent, WireFormat format) {
    this.format = format;
    this.token = agent.authenticationToken();
    OkHttpClient.Builder builder = new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(5))
        .retryOnConnectionFailure(false)
        .followRedirects(false);
    if (agent.domainSocket().isPresent()) {
      Path socket = agent.domainSocket().get();
      String path = agent.agentUrl().substring(agent.agentUrl().indexOf('/', "http+unix://".length()));
      // the host name only fills the Host header: every connection goes to the socket
      this.url = "http://localhost" + path;
      builder.socketFactory(new UnixSocketFactory(socket)).proxy(Proxy.NO_PROXY)
          .dns(host -> List.of(InetAddress.getLoopbackAddress()));
      Log.info("agent API over the Unix socket " + socket + " (MESOS_DOMAIN_SOCKET), path " + path);
    } else {
      this.url = agent.agentUrl();
      agent.tls().ifPresent(tls -> {
        tls.configure(builder);
        Log.info("agent API over TLS: " + tls.describe());
        if (!tls.verifiesServer()) {
          Log.warn("LIBPROCESS_SSL_VERIFY_SERVER_CERT is off: any agent certificate is accepted, as libprocess does");
        }
      });
    }
    OkHttpClient base = builder.build();
    // the agent's heartbeat comes every 30 minutes: no read timeout on the stream
    this.streamClient = base.newBuilder().connectionPool(new ConnectionPool())
        .readTimeout(Duration.ZERO).callTimeout(Duration.ZERO).build();
    // a pooled call connection the agent closed meanwhile is retried on a new one (updates are idempotent by UUID)
    this.callClient = base.newBuilder().connectionPool(new ConnectionPool()).retryOnConnectionFailure(true)
        .readTimeout(Duration.ofSeconds(30)).callTimeout(Duration.ofSeconds(60)).build();
  }

  public WireFormat format() {
    return format;
  }

  /** The agent answered with a status that is not success. */
  public static final class RejectedException extends IOException {
    private final int status;

    RejectedException(int status, String body) {
      super("agent answered " + status + (body.isBlank() ? "" : ": " + body.strip()));
      this.status = status;
    }

    public int status() {
      return status;
    }

    /** 503 (agent recovering) and 404 (routes not installed yet) mean "try again later". */
    public boolean retryable() {
      return status == 503 || status == 404;
    }
  }

  /** An open subscription: read events until it ends. */
  public final class Subscription implements Closeable {
    private final Call call;
    private final Response response;
    private final RecordIo.Reader reader;

    private Subscription(Call call, Response response) {
      this.call = call;
      this.response = response;
      InputStream body = response.body().byteStream();
      this.reader = new RecordIo.Reader(body);
    }

    /**
     * The next event, or null when the agent closed the stream. A record that does not decode is
     * logged and skipped, as the reference library raises a local ERROR and keeps reading.
     */
    public Protos.Event next() throws IOException {
      while (true) {
        byte[] record = reader.next();
        if (record == null) {
          return null;
        }
        try {
          return format.decode(record, Protos.Event.newBuilder()).build();
        } catch (InvalidProtocolBufferException | UninitializedMessageException e) {
          Log.error("skipping an event that cannot be decoded (" + record.length + " bytes): " + e.getMessage());
        }
      }
    }

    @Override
    public void close() {
      call.cancel();
      response.close();
    }
  }

  /** Sends SUBSCRIBE on the stream connection; returns once the agent answered 200. */
  public Subscription subscribe(Protos.Call subscribe) throws IOException {
    Request request = request(subscribe).newBuilder().header("Accept", format.mediaType()).build();
    // a connection left from an earlier subscription may be dead (the agent restarted): start afresh
    streamClient.connectionPool().evictAll();
    Call call = streamClient.newCall(request);
    Response response = call.execute();
    if (response.code() != 200) {
      String body = bodyOf(response);
      response.close();
      throw new RejectedException(response.code(), body);
    }
    return new Subscription(call, response);
  }

  /** Sends UPDATE, MESSAGE or HEARTBEAT on the call connection; the agent answers 202. */
  public void send(Protos.Call call) throws IOException {
    try (Response response = callClient.newCall(request(call)).execute()) {
      if (response.code() != 202) {
        throw new RejectedException(response.code(), bodyOf(response));
      }
    }
  }

  private Request request(Protos.Call call) {
    Request.Builder b = new Request.Builder()
        .url(url)
        .post(RequestBody.create(format.encode(call), MediaType.get(format.mediaType())));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b.build();
  }

  private static String bodyOf(Response response) {
    try {
      String body = response.body().string();
      return body.length() > 500 ? body.substring(0, 500) + "..." : body;
    } catch (IOException e) {
      return "";
    }
  }

  public void close() {
    for (OkHttpClient c : new OkHttpClient[] {streamClient, callClient}) {
      c.dispatcher().executorService().shutdown();
      c.connectionPool().evictAll();
    }
  }
}
