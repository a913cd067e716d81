package io.github.sparkmesos.executor.harness;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.github.sparkmesos.executor.mesos.RecordIo;
import io.github.sparkmesos.executor.mesos.WireFormat;
import io.github.sparkmesos.executor.util.Log;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The agent's {@code /api/v1/executor} endpoint on loopback, with the agent's own checks and status
 * codes (src/slave/http.cpp, src/common/validation.cpp): 503 while restarting, 405 for other methods,
 * 400 without Content-Type or with a bad body or call, 415 for another media type, 401 without the
 * token, 406 for an unacceptable Accept, 403 before SUBSCRIBE, 202 for calls, and a 200 RecordIO
 * stream for SUBSCRIBE (a new SUBSCRIBE closes the previous stream).
 */
public final class AgentApi {

  /** What the harness does with accepted calls. */
  public interface Handler {
    /** A SUBSCRIBE was accepted and its stream is open; send SUBSCRIBED on it. */
    void subscribed(Call.Subscribe subscribe, WireFormat format);

    void update(TaskStatus status);

    void message(byte[] data);

    /** A request was refused with a 4xx status: a real agent would refuse it too. */
    default void rejected(int status, String reason) {}
  }

  private static final Set<String> SOCKET_PATHS = Set.of("/slave(1)/api/v1/executor", "/slave(1)/api/v1");

  private final String frameworkId;
  private final String executorId;
  private final Optional<String> token;
  private final Handler handler;
  private final HttpServer server;
  private final Optional<SSLContext> tls;
  private final boolean needClientAuth;
  private final List<HttpContext> contexts = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "agent-api");
    t.setDaemon(true);
    return t;
  });

  private volatile boolean restarting;
  private boolean everSubscribed;
  private Stream stream;

  /** The open SUBSCRIBE response. */
  private static final class Stream {
    final HttpExchange exchange;
    final WireFormat format;
    boolean open = true;

    Stream(HttpExchange exchange, WireFormat format) {
      this.exchange = exchange;
      this.format = format;
    }
  }

  public AgentApi(String frameworkId, String executorId, Optional<String> token, Handler handler) throws IOException {
    this(frameworkId, executorId, token, handler, Optional.empty(), false);
  }

  /** With {@code tls}, an HTTPS agent that asks for (and with {@code needClientAuth} requires) a client certificate. */
  AgentApi(String frameworkId, String executorId, Optional<String> token, Handler handler, Optional<SSLContext> tls,
      boolean needClientAuth) throws IOException {
    this.frameworkId = frameworkId;
    this.executorId = executorId;
    this.token = token;
    this.handler = handler;
    this.tls = tls;
    this.needClientAuth = needClientAuth;
    this.server = newServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    List.of("/api/v1/executor", "/slave(1)/api/v1/executor").forEach(p -> contexts.add(server.createContext(p,
        this::handle)));
    contexts.add(server.createContext("/", e -> reply(e, 404, "")));
    server.setExecutor(threads);
  }

  private HttpServer newServer(InetSocketAddress address) throws IOException {
    if (tls.isEmpty()) {
      return HttpServer.create(address, 64);
    }
    HttpsServer https = HttpsServer.create(address, 64);
    https.setHttpsConfigurator(new HttpsConfigurator(tls.get()) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters p = getSSLContext().getDefaultSSLParameters();
        p.setNeedClientAuth(needClientAuth);
        params.setSSLParameters(p);
      }
    });
    return https;
  }

  /** "http" or "https". */
  String scheme() {
    return tls.isPresent() ? "https" : "http";
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * Requests whose peer {@code relayed} accepts came through the agent's Unix socket: as the agent
   * there (slave.cpp), only /slave(1)/api/v1/executor and /slave(1)/api/v1 are served, others get 403.
   */
  void restrictSocketPaths(Predicate<InetSocketAddress> relayed) {
    Filter filter = new Filter() {
      @Override
      public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (relayed.test(exchange.getRemoteAddress()) && !SOCKET_PATHS.contains(path)) {
          exchange.getRequestBody().readAllBytes();
          reply(exchange, 403, "");
          return;
        }
        chain.doFilter(exchange);
      }

      @Override
      public String description() {
        return "the agent's executor socket paths";
      }
    };
    contexts.forEach(c -> c.getFilters().add(filter));
  }

  public void start() {
    server.start();
  }

  /** ip:port, as MESOS_AGENT_ENDPOINT. */
  public String endpoint() {
    return server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
  }

  public void stop() {
    closeStream();
    server.stop(0);
    threads.shutdownNow();
  }

  /** An agent restart: the stream is closed and every request gets 503 until {@link #recovered()}. */
  public void restarting() {
    restarting = true;
    closeStream();
  }

  public void recovered() {
    restarting = false;
  }

  synchronized boolean connected() {
    return stream != null && stream.open;
  }

  /** Writes one event on the stream; false when no stream is open (the event is lost, as with an agent). */
  public synchronized boolean send(Event event) {
    if (stream == null || !stream.open) {
      return false;
    }
    try {
      OutputStream out = stream.exchange.getResponseBody();
      out.write(RecordIo.frame(stream.format.encode(event)));
      out.flush();
      return true;
    } catch (IOException e) {
      stream.open = false;
      return false;
    }
  }

  /** Writes one raw RecordIO record on the stream (a test's malformed event); false when none is open. */
  public synchronized boolean sendRecord(byte[] payload) {
    if (stream == null || !stream.open) {
      return false;
    }
    try {
      OutputStream out = stream.exchange.getResponseBody();
      out.write(RecordIo.frame(payload));
      out.flush();
      return true;
    } catch (IOException e) {
      stream.open = false;
      return false;
    }
  }

  public synchronized void closeStream() {
    if (stream != null && stream.open) {
      stream.open = false;
      stream.exchange.close();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      respond(exchange);
    } catch (IOException | RuntimeException e) {
      Log.warn("agent API: " + e);
      exchange.close();
    }
  }

  private void respond(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    // libprocess authenticates before the endpoint runs
    if (token.isPresent()) {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.equals("Bearer " + token.get())) {
        reply(exchange, 401, auth == null ? "Missing 'Authorization' header" : "Invalid token");
        return;
      }
    }
    if (restarting) {
      reply(exchange, 503, "Agent has not finished recovery");
      return;
    }
    if (!exchange.getRequestMethod().equals("POST")) {
      exchange.getResponseHeaders().add("Allow", "POST");
      reply(exchange, 405, "Expecting one of { 'POST' }, but received '" + exchange.getRequestMethod() + "'");
      return;
    }
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType == null) {
      reply(exchange, 400, "Expecting 'Content-Type' to be present");
      return;
    }
    WireFormat format = WireFormat.ofMediaType(contentType);
    if (format == null) {
      reply(exchange, 415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
      return;
    }
    Call call;
    try {
      Call.Builder builder = format.decode(format == WireFormat.JSON ? snakeCaseOnly(body) : body, Call.newBuilder());
      if (!builder.isInitialized()) {
        reply(exchange, 400, (format == WireFormat.JSON ? "Failed to convert JSON into Call protobuf: " : "Failed to "
            + "parse body into Call protobuf: ") + "missing required fields " + builder.findInitializationErrors());
        return;
      }
      call = builder.build();
    } catch (InvalidProtocolBufferException e) {
      reply(exchange, 400, format == WireFormat.JSON ? "Failed to convert JSON into Call protobuf: " + e.getMessage()
          : "Failed to parse body into Call protobuf");
      return;
    }
    String invalid = validate(call);
    if (invalid != null) {
      reply(exchange, 400, "Failed to validate Executor::Call: " + invalid);
      return;
    }
    if (call.getType() == Call.Type.SUBSCRIBE) {
      subscribe(exchange, call);
      return;
    }
    if (call.getType() == Call.Type.HEARTBEAT) {
      reply(exchange, 202, "");
      return;
    }
    String unknown = unknownIds(call);
    if (unknown != null) {
      reply(exchange, 400, unknown);
      return;
    }
    synchronized (this) {
      if (!everSubscribed) {
        reply(exchange, 403, "Executor is not subscribed");
        return;
      }
    }
    switch (call.getType()) {
      case UPDATE -> {
        reply(exchange, 202, "");
        handler.update(call.getUpdate().getStatus());
      }
      case MESSAGE -> {
        reply(exchange, 202, "");
        handler.message(call.getMessage().getData().toByteArray());
      }
      default -> reply(exchange, 501, "Not implemented");
    }
  }

  private void subscribe(HttpExchange exchange, Call call) throws IOException {
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    WireFormat format;
    if (accept == null || accepts(accept, "application/json") || accepts(accept, "*/*")) {
      format = WireFormat.JSON;
    } else if (accepts(accept, "application/x-protobuf")) {
      format = WireFormat.PROTOBUF;
    } else {
      reply(exchange, 406, "Expecting 'Accept' to allow 'application/json' or 'application/x-protobuf'");
      return;
    }
    String unknown = unknownIds(call);
    if (unknown != null) {
      reply(exchange, 400, unknown);
      return;
    }
    synchronized (this) {
      if (stream != null && stream.open) {
        Log.info("agent API: closing the already existing subscription stream");
        closeStream();
      }
      exchange.getResponseHeaders().add("Content-Type", format.mediaType());
      exchange.sendResponseHeaders(200, 0); // chunked, never ends
      stream = new Stream(exchange, format);
      everSubscribed = true;
    }
    handler.subscribed(call.getSubscribe(), format);
  }

  private static boolean accepts(String accept, String mediaType) {
    for (String part : accept.split(",")) {
      if (part.split(";")[0].trim().equalsIgnoreCase(mediaType)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The agent's JSON mapping (stout) knows only proto field names and ignores any other key, where
   * protobuf's JsonFormat would also take the camelCase names: drop keys with capitals first, so that
   * {@code executorId} is lost here as it is at the agent.
   */
  static byte[] snakeCaseOnly(byte[] json) {
    try {
      com.google.gson.JsonElement root = com.google.gson.JsonParser.parseString(
          new String(json, StandardCharsets.UTF_8));
      dropCamelCase(root);
      return root.toString().getBytes(StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      return json; // not JSON: the parser reports it
    }
  }

  private static void dropCamelCase(com.google.gson.JsonElement element) {
    if (element.isJsonObject()) {
      element.getAsJsonObject().keySet().removeIf(k -> !k.equals(k.toLowerCase(java.util.Locale.ROOT)));
      element.getAsJsonObject().entrySet().forEach(e -> dropCamelCase(e.getValue()));
    } else if (element.isJsonArray()) {
      element.getAsJsonArray().forEach(AgentApi::dropCamelCase);
    }
  }

  /** The agent looks up the framework, then the executor, of every call but HEARTBEAT. */
  private String unknownIds(Call call) {
    if (!frameworkId.equals(call.getFrameworkId().getValue())) {
      return "Framework cannot be found";
    }
    return executorId.equals(call.getExecutorId().getValue()) ? null : "Executor cannot be found";
  }

  /** validateExecutorCall: what the agent checks before looking at anything else. */
  static String validate(Call call) {
    if (!call.hasType()) {
      return "Expecting 'type' to be present";
    }
    switch (call.getType()) {
      case SUBSCRIBE -> {
        return call.hasSubscribe() ? null : "Expecting 'subscribe' to be present";
      }
      case UPDATE -> {
        if (!call.hasUpdate()) {
          return "Expecting 'update' to be present";
        }
        return validateStatus(call.getUpdate().getStatus(), call.getExecutorId().getValue());
      }
      case MESSAGE -> {
        return call.hasMessage() ? null : "Expecting 'message' to be present";
      }
      case HEARTBEAT, UNKNOWN -> {
        // the agent validates UNKNOWN as fine, then answers 501 (src/common/validation.cpp, src/slave/http.cpp)
        return null;
      }
      default -> {
        return "Unknown call type";
      }
    }
  }

  static String validateStatus(TaskStatus status, String executorId) {
    if (!status.hasUuid()) {
      return "Expecting 'uuid' to be present";
    }
    ByteString uuid = status.getUuid();
    if (uuid.size() != 16) {
      return "Failed to parse 'uuid': expected 16 bytes, got " + uuid.size();
    }
    ByteBuffer b = uuid.asReadOnlyByteBuffer();
    long msb = b.getLong();
    long lsb = b.getLong();
    int version = (int) ((msb >> 12) & 0xf);
    if ((msb == 0 && lsb == 0) || version < 1 || version > 5) {
      return "Failed to parse 'uuid': not a valid UUID";
    }
    if (status.hasExecutorId() && !status.getExecutorId().getValue().equals(executorId)) {
      return "ExecutorID in Call: " + executorId + " does not match ExecutorID in TaskStatus: "
          + status.getExecutorId().getValue();
    }
    if (status.getSource() != TaskStatus.Source.SOURCE_EXECUTOR) {
      return "Received Call from executor with status source " + status.getSource()
          + "; expected SOURCE_EXECUTOR";
    }
    if (status.getState() == TaskState.TASK_STAGING) {
      return "Received TASK_STAGING from executor";
    }
    return null;
  }

  private void reply(HttpExchange exchange, int code, String text) throws IOException {
    if (code >= 400 && code < 500) {
      handler.rejected(code, text);
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0) {
      exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    }
    exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }
}
