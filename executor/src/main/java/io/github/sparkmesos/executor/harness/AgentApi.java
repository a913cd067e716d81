package io.github.sparkmesos.executor.harness;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.sparkmesos.executor.mesos.WireFormat;
import io.github.sparkmesos.executor.util.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The agent's {@code /api/v1/executor} endpoint on loopback, with the agent's own checks and status
 * codes in its order (src/slave/http.cpp {@code Http::executor}, src/common/validation.cpp): 404
 * before the routes exist, 401 without the token, 503 until the containers are recovered, 405 for
 * other methods, 400 without Content-Type or with a bad body or call, 415 for another media type,
 * 406 for an unacceptable Accept, 503 for calls but SUBSCRIBE and HEARTBEAT while recovering, 400 for
 * unknown ids, 403 before SUBSCRIBE, 202 for calls, and a 200 RecordIO stream for SUBSCRIBE (a new
 * SUBSCRIBE closes the previous stream; one for an executor being shut down gets SHUTDOWN and ends).
 */
public final class AgentApi {

  static final String PATH = "/api/v1/executor";
  static final String LIBPROCESS_PATH = "/slave(1)/api/v1/executor";
  /** What the agent serves on its Unix socket (slave.cpp); other paths get 403 there. */
  private static final Set<String> SOCKET_PATHS = Set.of(LIBPROCESS_PATH, "/slave(1)/api/v1");

  /** What the harness does with accepted calls. */
  public interface Handler {
    /** A SUBSCRIBE was accepted and its stream is open; send SUBSCRIBED on it. */
    void subscribed(Call.Subscribe subscribe, WireFormat format);

    void update(TaskStatus status);

    void message(byte[] data);

    /** A SUBSCRIBE of an executor being shut down was answered with SHUTDOWN and a closed stream. */
    default void shutdownOnSubscribe() {}

    /** A call a conforming executor never makes was refused with this 4xx status. */
    default void rejected(int status, String reason) {}
  }

  /** Where the agent is; a restart walks them in this order, back to RUNNING. */
  public enum Phase {
    /** The process is gone: connections are refused. */
    DOWN,
    /** libprocess is up but the agent's routes are not installed yet: 404. */
    STARTING,
    /** The containerizer is recovering ({@code recoveryInfo.reconnect} false): 503 to everything. */
    RECOVERING_CONTAINERS,
    /** Waiting for executors to re-subscribe: SUBSCRIBE and HEARTBEAT pass, other calls get 503. */
    RECOVERING,
    RUNNING
  }

  /** The agent's view of the executor ({@code Executor::State}), or UNKNOWN once it forgot it. */
  enum ExecutorState { REGISTERING, RUNNING, TERMINATING, UNKNOWN }

  private final String frameworkId;
  private final String executorId;
  private final Optional<String> token;
  private final Handler handler;
  private final InetSocketAddress address;
  private final Optional<HarnessTls> tls;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "agent-api");
    t.setDaemon(true);
    return t;
  });

  private volatile Phase phase = Phase.RUNNING;
  /** Whether a peer address is the relay of the agent's Unix socket. */
  private volatile Predicate<InetSocketAddress> relayed = peer -> false;
  // guarded by this
  private HttpServer server;
  private ExecutorState executor = ExecutorState.REGISTERING;
  private EventStream stream;
  private final Map<String, Integer> answers = new TreeMap<>();
  /** System.nanoTime() when each accepted UPDATE's request arrived, by UUID: for benchmarks. */
  private final Map<ByteString, Long> updateArrivals = new java.util.concurrent.ConcurrentHashMap<>();

  public AgentApi(String frameworkId, String executorId, Optional<String> token, Handler handler) throws IOException {
    this(frameworkId, executorId, token, handler, Optional.empty());
  }

  /** With {@code tls}, an HTTPS agent (that may require a client certificate). */
  AgentApi(String frameworkId, String executorId, Optional<String> token, Handler handler, Optional<HarnessTls> tls)
      throws IOException {
    this.frameworkId = frameworkId;
    this.executorId = executorId;
    this.token = token;
    this.handler = handler;
    this.tls = tls;
    this.server = newServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.address = server.getAddress();
  }

  /** The one place the server is made: HTTPS when the agent has TLS. */
  private HttpServer newServer(InetSocketAddress at) throws IOException {
    HttpServer s = tls.isPresent() ? tls.get().newServer(at) : HttpServer.create(at, 64);
    s.createContext("/", this::handle);
    s.setExecutor(threads);
    return s;
  }

  /** "http" or "https". */
  String scheme() {
    return tls.isPresent() ? "https" : "http";
  }

  InetSocketAddress address() {
    return address;
  }

  /**
   * Requests whose peer {@code relayedPeer} accepts came through the agent's Unix socket: as the agent
   * there (slave.cpp), only /slave(1)/api/v1/executor and /slave(1)/api/v1 are served, others get 403.
   */
  void restrictSocketPaths(Predicate<InetSocketAddress> relayedPeer) {
    relayed = relayedPeer;
  }

  public synchronized void start() {
    server.start();
  }

  /** ip:port, as MESOS_AGENT_ENDPOINT; the same across restarts. */
  public String endpoint() {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  public void stop() {
    HttpServer s;
    synchronized (this) {
      closeStream();
      s = server;
      server = null;
    }
    if (s != null) {
      s.stop(0);
    }
    threads.shutdownNow();
  }

  /**
   * Moves to {@code next}. Going DOWN closes the stream and the listening socket and unsubscribes the
   * executor; leaving DOWN listens again on the same port.
   */
  public void phase(Phase next) {
    HttpServer stopped = null;
    synchronized (this) {
      if (next == Phase.DOWN) {
        closeStream();
        stopped = server;
        server = null;
        if (executor == ExecutorState.RUNNING) {
          executor = ExecutorState.REGISTERING;
        }
      } else if (server == null) {
        try {
          server = newServer(address);
        } catch (IOException e) {
          throw new UncheckedIOException("the agent API could not listen on " + endpoint() + " again", e);
        }
        server.start();
      }
      phase = next;
    }
    if (stopped != null) {
      stopped.stop(0);
    }
    Log.info("agent " + next.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
  }

  synchronized void executorState(ExecutorState state) {
    executor = state;
  }

  synchronized ExecutorState executorState() {
    return executor;
  }

  synchronized boolean connected() {
    return stream != null && stream.isOpen();
  }

  /** When the request of the accepted UPDATE with {@code uuid} arrived (System.nanoTime()), or 0. */
  long updateArrivalNanos(ByteString uuid) {
    return updateArrivals.getOrDefault(uuid, 0L);
  }

  /** How often each answer was given, by call type and status ("SUBSCRIBE 200", "request 404", ...). */
  synchronized Map<String, Integer> answers() {
    return Map.copyOf(answers);
  }

  /** Writes one event on the stream; false when no stream is open (the event is lost, as with an agent). */
  public synchronized boolean send(Event event) {
    return stream != null && stream.send(event);
  }

  /** Writes one raw RecordIO record on the stream (a test's malformed event); false when none is open. */
  public synchronized boolean sendRecord(byte[] payload) {
    return stream != null && stream.sendRecord(payload);
  }

  public synchronized void closeStream() {
    if (stream != null) {
      stream.close();
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
    long arrived = System.nanoTime();
    byte[] body = exchange.getRequestBody().readAllBytes();
    String path = exchange.getRequestURI().getPath();
    if (phase == Phase.STARTING) {
      reply(exchange, 404, "");
      return;
    }
    if (relayed.test(exchange.getRemoteAddress()) && !SOCKET_PATHS.contains(path)) {
      refuse(exchange, 403, "");
      return;
    }
    if (!path.equals(PATH) && !path.equals(LIBPROCESS_PATH)) {
      refuse(exchange, 404, "");
      return;
    }
    // libprocess authenticates before the endpoint runs
    if (token.isPresent()) {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.equals("Bearer " + token.get())) {
        refuse(exchange, 401, auth == null ? "Missing 'Authorization' header" : "Invalid token");
        return;
      }
    }
    if (phase == Phase.RECOVERING_CONTAINERS) {
      reply(exchange, 503, "Agent has not finished recovery");
      return;
    }
    if (!exchange.getRequestMethod().equals("POST")) {
      exchange.getResponseHeaders().add("Allow", "POST");
      Log.info("agent API: " + exchange.getRequestMethod() + " " + path + " answered 405");
      reply(exchange, 405, "Expecting one of { 'POST' }, but received '" + exchange.getRequestMethod() + "'");
      return;
    }
    CallValidation.Parsed parsed = CallValidation.parse(exchange.getRequestHeaders().getFirst("Content-Type"), body);
    if (parsed.call() == null) {
      refuse(exchange, parsed.status(), parsed.error());
      return;
    }
    Call call = parsed.call();
    exchange.setAttribute("call", call.getType().name());
    String invalid = CallValidation.validate(call);
    if (invalid != null) {
      refuse(exchange, 400, "Failed to validate Executor::Call: " + invalid);
      return;
    }
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    WireFormat format = null;
    if (call.getType() == Call.Type.SUBSCRIBE) {
      // JSON first: the agent prefers it whenever it is acceptable
      format = AcceptHeader.accepts(accept, WireFormat.JSON.mediaType()) ? WireFormat.JSON
          : AcceptHeader.accepts(accept, WireFormat.PROTOBUF.mediaType()) ? WireFormat.PROTOBUF : null;
      if (format == null) {
        refuse(exchange, 406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
        return;
      }
    } else if (call.getType() == Call.Type.HEARTBEAT) {
      reply(exchange, 202, "");
      return;
    } else if (phase == Phase.RECOVERING) {
      reply(exchange, 503, "Agent has not finished recovery");
      return;
    }
    String unknown = unknownIds(call);
    if (unknown != null) {
      refuse(exchange, 400, unknown);
      return;
    }
    synchronized (this) {
      if (executor == ExecutorState.REGISTERING && call.getType() != Call.Type.SUBSCRIBE) {
        reply(exchange, 403, "Executor is not subscribed");
        return;
      }
    }
    switch (call.getType()) {
      case SUBSCRIBE -> subscribe(exchange, call, format);
      // handled before the answer, as the agent queues a call before it answers: the executor's next
      // call, on another of this server's threads, must not overtake this one
      case UPDATE -> {
        updateArrivals.put(call.getUpdate().getStatus().getUuid(), arrived);
        handler.update(CallValidation.stamped(call.getUpdate().getStatus()));
        reply(exchange, 202, "");
      }
      case MESSAGE -> {
        handler.message(call.getMessage().getData().toByteArray());
        reply(exchange, 202, "");
      }
      default -> reply(exchange, 501, "");
    }
  }

  private void subscribe(HttpExchange exchange, Call call, WireFormat format) throws IOException {
    boolean shutdown;
    synchronized (this) {
      if (stream != null && stream.isOpen()) {
        Log.info("agent API: closing the already existing subscription stream");
        closeStream();
      }
      exchange.getResponseHeaders().add("Content-Type", format.mediaType());
      exchange.sendResponseHeaders(200, 0); // chunked, never ends
      count(exchange, 200);
      shutdown = executor == ExecutorState.TERMINATING;
      if (shutdown) {
        Log.info("agent API: SUBSCRIBE of an executor being shut down: sending SHUTDOWN and closing the stream");
        EventStream once = new EventStream(exchange, format);
        once.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
        once.close();
        count(exchange, "SHUTDOWN");
      } else {
        stream = new EventStream(exchange, format);
        executor = ExecutorState.RUNNING;
      }
    }
    if (shutdown) {
      handler.shutdownOnSubscribe();
    } else {
      handler.subscribed(call.getSubscribe(), format);
    }
  }

  /** The agent looks up the framework, then the executor, of every call but HEARTBEAT. */
  private synchronized String unknownIds(Call call) {
    if (executor == ExecutorState.UNKNOWN || !frameworkId.equals(call.getFrameworkId().getValue())) {
      return "Framework cannot be found";
    }
    return executorId.equals(call.getExecutorId().getValue()) ? null : "Executor cannot be found";
  }

  /** A refusal a conforming executor never meets: the harness counts it as a violation. */
  private void refuse(HttpExchange exchange, int code, String text) throws IOException {
    handler.rejected(code, text);
    reply(exchange, code, text);
  }

  /** An answer a conforming executor may get (202, 403 before re-subscribing, 404 and 503 while restarting). */
  private void reply(HttpExchange exchange, int code, String text) throws IOException {
    count(exchange, code);
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

  private synchronized void count(HttpExchange exchange, Object answer) {
    Object call = exchange.getAttribute("call");
    answers.merge((call == null ? "request" : call) + " " + answer, 1, Integer::sum);
  }
}
