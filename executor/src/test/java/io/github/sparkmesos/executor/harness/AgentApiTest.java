package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.ByteString;
import io.github.sparkmesos.executor.mesos.RecordIo;
import io.github.sparkmesos.executor.mesos.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The harness's agent endpoint, over real HTTP on loopback, against the status table of contract §2.2. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AgentApiTest {

  private static final String FW = "fw-1";
  private static final String EX = "exec-1";
  private static final String JSON = "application/json";
  private static final String PROTOBUF = "application/x-protobuf";

  /** Records what AgentApi hands to the harness. */
  private static final class Recorder implements AgentApi.Handler {
    final BlockingQueue<WireFormat> subscribed = new LinkedBlockingQueue<>();
    final BlockingQueue<TaskStatus> updates = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> rejected = new LinkedBlockingQueue<>();

    @Override
    public void subscribed(Call.Subscribe subscribe, WireFormat format) {
      subscribed.add(format);
    }

    @Override
    public void update(TaskStatus status) {
      updates.add(status);
    }

    @Override
    public void message(byte[] data) {
      messages.add(data);
    }

    @Override
    public void rejected(int status, String reason) {
      rejected.add(status);
    }
  }

  private final List<AgentApi> apis = new ArrayList<>();
  private final List<InputStream> streams = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private Recorder handler;
  private AgentApi api;
  private URI url;

  @BeforeEach
  void start() throws IOException {
    handler = new Recorder();
    api = start(Optional.empty(), handler);
    url = url(api);
  }

  @AfterEach
  void stop() {
    for (InputStream s : streams) {
      try {
        s.close();
      } catch (IOException ignored) {
        // the test is over
      }
    }
    apis.forEach(AgentApi::stop);
  }

  private AgentApi start(Optional<String> token, Recorder recorder) throws IOException {
    AgentApi a = new AgentApi(FW, EX, token, recorder);
    apis.add(a);
    a.start();
    return a;
  }

  private static URI url(AgentApi a) {
    return URI.create("http://" + a.endpoint() + "/api/v1/executor");
  }

  // ---- calls

  private static Call.Builder call(Call.Type type, String fw, String ex) {
    return Call.newBuilder().setType(type).setFrameworkId(FrameworkID.newBuilder().setValue(fw))
        .setExecutorId(ExecutorID.newBuilder().setValue(ex));
  }

  private static Call subscribe() {
    return call(Call.Type.SUBSCRIBE, FW, EX).setSubscribe(Call.Subscribe.getDefaultInstance()).build();
  }

  private static Call heartbeat() {
    return call(Call.Type.HEARTBEAT, FW, EX).build();
  }

  private static byte[] uuid(UUID u) {
    return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
  }

  private static TaskStatus.Builder status(String taskId) {
    return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId)).setState(TaskState.TASK_RUNNING)
        .setSource(TaskStatus.Source.SOURCE_EXECUTOR).setUuid(ByteString.copyFrom(uuid(UUID.randomUUID())))
        .setTimestamp(1_700_000_000.25);
  }

  private static Call update(String fw, String ex, TaskStatus status) {
    return call(Call.Type.UPDATE, fw, ex).setUpdate(Call.Update.newBuilder().setStatus(status)).build();
  }

  private static Call update(TaskStatus status) {
    return update(FW, EX, status);
  }

  // ---- HTTP

  private HttpResponse<String> post(URI target, String contentType, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(Call call, String... headers) throws IOException, InterruptedException {
    return post(url, PROTOBUF, call.toByteArray(), headers);
  }

  private HttpResponse<String> postJson(Call call, String... headers) throws IOException, InterruptedException {
    return post(url, JSON, WireFormat.JSON.encode(call), headers);
  }

  /** SUBSCRIBE: the response as soon as its headers are in; the body is the endless event stream. */
  private HttpResponse<InputStream> subscribe(URI target, String accept, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(target).header("Content-Type", PROTOBUF)
        .POST(HttpRequest.BodyPublishers.ofByteArray(subscribe().toByteArray()));
    if (accept != null) {
      b.header("Accept", accept);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    streams.add(r.body());
    return r;
  }

  private HttpResponse<InputStream> subscribed() throws Exception {
    HttpResponse<InputStream> r = subscribe(url, PROTOBUF);
    assertEquals(200, r.statusCode());
    assertEquals(WireFormat.PROTOBUF, handler.subscribed.poll(10, TimeUnit.SECONDS));
    return r;
  }

  private static String contentType(HttpResponse<?> r) {
    return r.headers().firstValue("Content-Type").orElse(null);
  }

  private static Event nextEvent(HttpResponse<InputStream> stream, RecordIo.Reader reader) throws Exception {
    byte[] record = reader.next();
    assertNotNull(record, "the stream ended");
    return WireFormat.ofMediaType(contentType(stream)).decode(record, Event.newBuilder()).build();
  }

  private void assertRejected(int code) throws InterruptedException {
    assertEquals(code, handler.rejected.poll(10, TimeUnit.SECONDS), "the harness is told of the refusal");
  }

  // ---- the table of §2.2

  @Test
  void getIs405WithAllowPost() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, r.statusCode());
    assertEquals(Optional.of("POST"), r.headers().firstValue("Allow"));
    assertTrue(r.body().contains("'GET'"), r.body());
    assertNull(handler.rejected.poll(), "a probe is logged, not a violation");
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(url).header("Content-Type", PROTOBUF)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(heartbeat().toByteArray())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(405, put.statusCode());
  }

  @Test
  void noContentTypeIs400() throws Exception {
    HttpResponse<String> r = post(url, null, heartbeat().toByteArray());
    assertEquals(400, r.statusCode());
    assertEquals("Expecting 'Content-Type' to be present", r.body());
    assertRejected(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json; charset=utf-8", "text/plain", "application/protobuf", "APPLICATION/JSON"})
  void anyOtherContentTypeIs415(String contentType) throws Exception {
    HttpResponse<String> r = post(url, contentType, WireFormat.JSON.encode(heartbeat()));
    assertEquals(415, r.statusCode(), r.body());
    assertRejected(415);
  }

  @Test
  void exactContentTypesAreAccepted() throws Exception {
    assertEquals(202, post(heartbeat()).statusCode());
    assertEquals(202, postJson(heartbeat()).statusCode());
  }

  @Test
  void anUnparseableProtobufBodyIs400() throws Exception {
    HttpResponse<String> r = post(url, PROTOBUF, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    assertEquals(400, r.statusCode());
    assertTrue(r.body().startsWith("Failed to parse body into Call protobuf"), r.body());
    // an empty protobuf message parses, but lacks the required ids
    HttpResponse<String> empty = post(url, PROTOBUF, new byte[0]);
    assertEquals(400, empty.statusCode());
    assertTrue(empty.body().startsWith("Failed to parse body into Call protobuf"), empty.body());
  }

  @Test
  void bodyThatIsNotJsonIs400() throws Exception {
    HttpResponse<String> r = post(url, JSON, "{\"type\":".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().startsWith("Failed to parse body into JSON: "), r.body());
    assertRejected(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"type\":\"HEARTBEAT\"}", "{\"type\":\"HEARTBEAT\",\"framework_id\":{\"value\":\"f\"}}",
      "{\"type\":\"HEARTBEAT\",\"executor_id\":{},\"framework_id\":{\"value\":\"f\"}}", "[1]"})
  void jsonThatIsNotACompleteCallIs400(String json) throws Exception {
    HttpResponse<String> r = post(url, JSON, json.getBytes(StandardCharsets.UTF_8));
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().startsWith("Failed to convert JSON into Call protobuf: "), r.body());
  }

  @Test
  void aRequiredTokenIsChecked() throws Exception {
    Recorder recorder = new Recorder();
    AgentApi secured = start(Optional.of("the-token"), recorder);
    URI target = url(secured);
    HttpResponse<String> none = post(target, PROTOBUF, heartbeat().toByteArray());
    assertEquals(401, none.statusCode());
    HttpResponse<String> wrong = post(target, PROTOBUF, heartbeat().toByteArray(), "Authorization", "Bearer other");
    assertEquals(401, wrong.statusCode());
    assertEquals(401, post(target, PROTOBUF, heartbeat().toByteArray(), "Authorization", "the-token").statusCode());
    assertEquals(401, subscribe(target, PROTOBUF).statusCode());
    assertEquals(List.of(401, 401, 401, 401), List.of(recorder.rejected.take(), recorder.rejected.take(),
        recorder.rejected.take(), recorder.rejected.take()));
    assertNull(recorder.subscribed.poll());

    assertEquals(202, post(target, PROTOBUF, heartbeat().toByteArray(), "Authorization", "Bearer the-token").statusCode());
    HttpResponse<InputStream> stream = subscribe(target, PROTOBUF, "Authorization", "Bearer the-token");
    assertEquals(200, stream.statusCode());
    assertEquals(WireFormat.PROTOBUF, recorder.subscribed.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void noTokenIsNeededWhenNoneIsConfigured() throws Exception {
    assertEquals(202, post(heartbeat(), "Authorization", "Bearer anything").statusCode());
  }

  @Test
  void callsBeforeSubscribeAre403() throws Exception {
    HttpResponse<String> r = post(update(status("t1").build()));
    assertEquals(403, r.statusCode());
    assertEquals("Executor is not subscribed", r.body());
    assertNull(handler.rejected.poll(), "an executor re-subscribing meets 403: not a violation");
    Call message = call(Call.Type.MESSAGE, FW, EX)
        .setMessage(Call.Message.newBuilder().setData(ByteString.copyFromUtf8("hi"))).build();
    assertEquals(403, post(message).statusCode());
    assertNull(handler.updates.poll());
    assertNull(handler.messages.poll());
  }

  @Test
  void subscribeWithAnUnacceptableAcceptIs406() throws Exception {
    HttpResponse<InputStream> r = subscribe(url, "text/plain");
    assertEquals(406, r.statusCode());
    assertRejected(406);
    assertFalse(api.connected());
    assertNull(handler.subscribed.poll());
  }

  @ParameterizedTest
  @ValueSource(strings = {JSON, "*/*", "text/plain, application/json;q=0.5", "application/x-protobuf, application/json"})
  void subscribeStreamsJsonWhenJsonIsAcceptable(String accept) throws Exception {
    HttpResponse<InputStream> r = subscribe(url, accept);
    assertEquals(200, r.statusCode());
    assertEquals(JSON, contentType(r));
    assertEquals(WireFormat.JSON, handler.subscribed.poll(10, TimeUnit.SECONDS));
    assertTrue(api.connected());
  }

  @Test
  void subscribeStreamsProtobufWhenOnlyProtobufIsAcceptable() throws Exception {
    HttpResponse<InputStream> r = subscribe(url, "application/x-protobuf");
    assertEquals(200, r.statusCode());
    assertEquals(PROTOBUF, contentType(r));
    assertEquals(WireFormat.PROTOBUF, handler.subscribed.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void subscribeWithoutAnyAcceptHeaderStreamsJson() throws Exception {
    // a raw request, so that no client library adds an Accept header of its own
    try (Socket socket = rawSubscribe(null)) {
      assertEquals(WireFormat.JSON, handler.subscribed.poll(10, TimeUnit.SECONDS));
      assertEquals(JSON, rawContentType);
    }
  }

  private String rawContentType;

  /** SUBSCRIBE over a plain socket; returns it with the 200 response head read. */
  private Socket rawSubscribe(String accept) throws IOException {
    byte[] body = subscribe().toByteArray();
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port());
    OutputStream out = socket.getOutputStream();
    out.write(("POST /api/v1/executor HTTP/1.1\r\nHost: " + api.endpoint() + "\r\nContent-Type: " + PROTOBUF
        + (accept == null ? "" : "\r\nAccept: " + accept) + "\r\nContent-Length: " + body.length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    InputStream in = socket.getInputStream();
    String status = line(in);
    assertTrue(status.startsWith("HTTP/1.1 200"), status);
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      if (header.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
        rawContentType = header.substring("content-type:".length()).trim();
      }
    }
    return socket;
  }

  /** One CRLF-terminated line, without the CRLF. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      assertTrue(b >= 0, "the connection closed inside a line: " + bytes);
      bytes.write(b);
    }
    String text = bytes.toString(StandardCharsets.US_ASCII);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  private int port() {
    return Integer.parseInt(api.endpoint().split(":")[1]);
  }

  @Test
  void theLibprocessPathIsServedToo() throws Exception {
    URI slave = URI.create("http://" + api.endpoint() + "/slave(1)/api/v1/executor");
    assertEquals(202, post(slave, PROTOBUF, heartbeat().toByteArray()).statusCode());
    assertEquals(200, subscribe(slave, PROTOBUF).statusCode());
  }

  @Test
  void aValidUpdateAfterSubscribeIs202AndReachesTheHarness() throws Exception {
    subscribed();
    TaskStatus status = status("t1").build();
    HttpResponse<String> r = post(update(status));
    assertEquals(202, r.statusCode());
    assertEquals("", r.body());
    assertEquals(status, handler.updates.poll(10, TimeUnit.SECONDS));

    // the same in JSON, with the status naming the call's own executor (allowed)
    TaskStatus json = status("t2").setExecutorId(ExecutorID.newBuilder().setValue(EX)).build();
    assertEquals(202, postJson(update(json)).statusCode());
    assertEquals(json, handler.updates.poll(10, TimeUnit.SECONDS));
    assertNull(handler.rejected.poll());
  }

  @Test
  void aMessageAfterSubscribeIs202AndReachesTheHarness() throws Exception {
    subscribed();
    Call message = call(Call.Type.MESSAGE, FW, EX)
        .setMessage(Call.Message.newBuilder().setData(ByteString.copyFromUtf8("framework message"))).build();
    assertEquals(202, postJson(message).statusCode());
    assertArrayEquals("framework message".getBytes(StandardCharsets.UTF_8), handler.messages.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void heartbeatWithDummyIdsIs202() throws Exception {
    Call dummy = call(Call.Type.HEARTBEAT, "unused", "unused").build();
    assertEquals(202, post(dummy).statusCode());
    assertEquals(202, postJson(dummy).statusCode());
    assertNull(handler.rejected.poll());
  }

  static Stream<Named<UnaryOperator<TaskStatus.Builder>>> invalidStatuses() {
    UUID v4 = UUID.randomUUID();
    return Stream.of(
        Named.of("no uuid", TaskStatus.Builder::clearUuid),
        Named.of("15-byte uuid", s -> s.setUuid(ByteString.copyFrom(uuid(v4), 0, 15))),
        Named.of("17-byte uuid", s -> s.setUuid(ByteString.copyFrom(uuid(v4)).concat(ByteString.copyFrom(new byte[1])))),
        Named.of("uuid as 36 characters of text", s -> s.setUuid(ByteString.copyFromUtf8(v4.toString()))),
        Named.of("nil uuid", s -> s.setUuid(ByteString.copyFrom(new byte[16]))),
        Named.of("source unset (reads as SOURCE_MASTER)", TaskStatus.Builder::clearSource),
        Named.of("SOURCE_MASTER", s -> s.setSource(TaskStatus.Source.SOURCE_MASTER)),
        Named.of("SOURCE_AGENT", s -> s.setSource(TaskStatus.Source.SOURCE_AGENT)),
        Named.of("TASK_STAGING", s -> s.setState(TaskState.TASK_STAGING)),
        Named.of("another executor's id", s -> s.setExecutorId(ExecutorID.newBuilder().setValue("exec-2"))));
  }

  @ParameterizedTest
  @MethodSource("invalidStatuses")
  void anInvalidUpdateIs400FailedToValidate(UnaryOperator<TaskStatus.Builder> breakIt) throws Exception {
    subscribed();
    for (boolean json : new boolean[] {false, true}) {
      Call call = update(breakIt.apply(status("bad")).build());
      HttpResponse<String> r = json ? postJson(call) : post(call);
      assertEquals(400, r.statusCode(), r.body());
      assertTrue(r.body().startsWith("Failed to validate Executor::Call: "), r.body());
      assertRejected(400);
    }
    // nothing reached the harness: the next update it sees is this valid one
    TaskStatus good = status("good").build();
    assertEquals(202, post(update(good)).statusCode());
    assertEquals(good, handler.updates.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void callsMissingTheirPayloadOrTypeFailValidation() throws Exception {
    for (Call call : List.of(call(Call.Type.SUBSCRIBE, FW, EX).build(), call(Call.Type.UPDATE, FW, EX).build(),
        call(Call.Type.MESSAGE, FW, EX).build(), call(Call.Type.HEARTBEAT, FW, EX).clearType().build())) {
      HttpResponse<String> r = post(call);
      assertEquals(400, r.statusCode(), call.toString());
      assertTrue(r.body().startsWith("Failed to validate Executor::Call: Expecting '"), r.body());
    }
    assertFalse(api.connected());
  }

  @Test
  void anUnknownCallTypeIs501() throws Exception {
    // it passes validation; as in the agent, "not subscribed" is checked first
    assertEquals(403, post(call(Call.Type.UNKNOWN, FW, EX).build()).statusCode());
    subscribed();
    HttpResponse<String> r = post(call(Call.Type.UNKNOWN, FW, EX).build());
    assertEquals(501, r.statusCode(), r.body());
  }

  @Test
  void unknownFrameworkOrExecutorIs400() throws Exception {
    subscribed();
    HttpResponse<String> fw = post(update("fw-other", EX, status("t1").build()));
    assertEquals(400, fw.statusCode());
    assertEquals("Framework cannot be found", fw.body());
    HttpResponse<String> ex = post(update(FW, "exec-other", status("t1").build()));
    assertEquals(400, ex.statusCode());
    assertEquals("Executor cannot be found", ex.body());

    Call subscribeOther = call(Call.Type.SUBSCRIBE, "fw-other", EX).setSubscribe(Call.Subscribe.getDefaultInstance()).build();
    HttpResponse<String> sub = post(subscribeOther, "Accept", PROTOBUF);
    assertEquals(400, sub.statusCode());
    assertEquals("Framework cannot be found", sub.body());
    Call subscribeOtherExecutor = call(Call.Type.SUBSCRIBE, FW, "exec-other")
        .setSubscribe(Call.Subscribe.getDefaultInstance()).build();
    HttpResponse<String> subEx = post(subscribeOtherExecutor, "Accept", PROTOBUF);
    assertEquals(400, subEx.statusCode());
    assertEquals("Executor cannot be found", subEx.body());
    assertNull(handler.updates.poll());
  }

  // ---- a restart, phase by phase (contract §10)

  @Test
  void aRestartClosesTheStreamAndTheListeningSocket() throws Exception {
    HttpResponse<InputStream> stream = subscribed();
    api.phase(AgentApi.Phase.DOWN);
    assertNull(new RecordIo.Reader(stream.body()).next(), "the agent's restart closes the stream");
    assertFalse(api.connected());
    assertFalse(api.send(Event.newBuilder().setType(Event.Type.HEARTBEAT).build()));
    assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port()).close());
  }

  @Test
  void beforeItsRoutesExistTheAgentAnswers404OnTheSamePort() throws Exception {
    api.phase(AgentApi.Phase.DOWN);
    api.phase(AgentApi.Phase.STARTING);
    assertEquals(404, post(heartbeat()).statusCode());
    assertEquals(404, post(update(status("t1").build())).statusCode());
    assertEquals(404, subscribe(url, PROTOBUF).statusCode());
    assertEquals(404, http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString())
        .statusCode());
    assertNull(handler.rejected.poll(), "not a violation: a conforming executor meets it while re-subscribing");
    assertEquals(4, api.answers().get("request 404"));
  }

  @Test
  void whileTheContainersRecoverEverythingIs503() throws Exception {
    api.phase(AgentApi.Phase.DOWN);
    api.phase(AgentApi.Phase.RECOVERING_CONTAINERS);
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(503, get.statusCode());
    HttpResponse<String> beat = post(heartbeat());
    assertEquals(503, beat.statusCode());
    assertEquals("Agent has not finished recovery", beat.body());
    assertEquals(503, post(url, "text/plain", new byte[] {1}).statusCode());
    assertEquals(503, post(update(status("t1").build())).statusCode());
    assertEquals(503, subscribe(url, PROTOBUF).statusCode());
    assertNull(handler.subscribed.poll());
    assertNull(handler.updates.poll());
    assertNull(handler.rejected.poll());
  }

  @Test
  void whileRecoveringSubscribeAndHeartbeatPassAndOtherCallsAre503() throws Exception {
    subscribed();
    api.phase(AgentApi.Phase.DOWN);
    api.phase(AgentApi.Phase.RECOVERING);
    Call message = call(Call.Type.MESSAGE, FW, EX)
        .setMessage(Call.Message.newBuilder().setData(ByteString.copyFromUtf8("hi"))).build();
    HttpResponse<String> update = post(update(status("t1").build()));
    assertEquals(503, update.statusCode());
    assertEquals("Agent has not finished recovery", update.body());
    assertEquals(503, post(message).statusCode());
    assertEquals(202, post(heartbeat()).statusCode());
    assertEquals(200, subscribe(url, PROTOBUF).statusCode());
    assertEquals(WireFormat.PROTOBUF, handler.subscribed.poll(10, TimeUnit.SECONDS));
    assertEquals(503, post(update(status("t1").build())).statusCode(), "still recovering after SUBSCRIBE");

    api.phase(AgentApi.Phase.RUNNING);
    TaskStatus status = status("t1").build();
    assertEquals(202, post(update(status)).statusCode());
    assertEquals(status, handler.updates.poll(10, TimeUnit.SECONDS));
    assertNull(handler.rejected.poll());
  }

  @Test
  void afterARestartCallsAre403UntilTheExecutorSubscribesAgain() throws Exception {
    subscribed();
    assertEquals(202, post(update(status("t1").build())).statusCode());
    api.phase(AgentApi.Phase.DOWN);
    api.phase(AgentApi.Phase.RUNNING);
    HttpResponse<String> r = post(update(status("t1").build()));
    assertEquals(403, r.statusCode());
    assertEquals("Executor is not subscribed", r.body());
    assertNull(handler.rejected.poll());
    subscribed();
    assertEquals(202, post(update(status("t1").build())).statusCode());
  }

  @Test
  void anExecutorTheAgentForgotIs400FrameworkCannotBeFound() throws Exception {
    api.executorState(AgentApi.ExecutorState.UNKNOWN);
    HttpResponse<String> r = post(call(Call.Type.SUBSCRIBE, FW, EX).setSubscribe(Call.Subscribe.getDefaultInstance())
        .build(), "Accept", PROTOBUF);
    assertEquals(400, r.statusCode());
    assertEquals("Framework cannot be found", r.body());
  }

  @Test
  void subscribeOfAnExecutorBeingShutDownGetsShutdownAndTheStreamEnds() throws Exception {
    api.executorState(AgentApi.ExecutorState.TERMINATING);
    HttpResponse<InputStream> r = subscribe(url, PROTOBUF);
    assertEquals(200, r.statusCode());
    RecordIo.Reader reader = new RecordIo.Reader(r.body());
    assertEquals(Event.Type.SHUTDOWN, nextEvent(r, reader).getType());
    assertNull(reader.next(), "then the stream is closed");
    assertNull(handler.subscribed.poll());
    assertFalse(api.connected());
    assertEquals(1, api.answers().get("SUBSCRIBE SHUTDOWN"));
  }

  // ---- Accept, as libprocess's Request::acceptsMediaType

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "application/*|" + JSON,
      "APPLICATION/JSON|" + JSON,
      "text/html, application/*;q=0.5|" + JSON,
      "application/json;q=0.1, application/x-protobuf;q=1|" + JSON,
      "application/json;q=0, */*|" + PROTOBUF,
      "application/json;q=0.0, application/*|" + PROTOBUF,
      "application/x-protobuf ; q = 0.5|" + PROTOBUF,
      "application/json;q=x, application/x-protobuf|" + PROTOBUF,
      "application/json;q=, text/plain|" + JSON,
      "*/*;q=0|406",
      "application/*;q=0|406",
      "application/json;q=0, application/x-protobuf;q=0|406"})
  void acceptIsNegotiatedAsLibprocessDoes(String accept, String expected) throws Exception {
    HttpResponse<InputStream> r = subscribe(url, accept);
    if (expected.equals("406")) {
      assertEquals(406, r.statusCode());
      assertRejected(406);
    } else {
      assertEquals(200, r.statusCode());
      assertEquals(expected, contentType(r));
    }
  }

  // ---- the stream, as the agent writes it

  @Test
  void jsonEventsAreWrittenAsStoutWritesThem() throws Exception {
    HttpResponse<InputStream> r = subscribe(url, JSON);
    assertEquals(200, r.statusCode());
    byte[] uuid = uuid(UUID.randomUUID());
    api.send(Event.newBuilder().setType(Event.Type.KILL).setKill(Event.Kill.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue("t1")).setKillPolicy(KillPolicy.newBuilder()
            .setGracePeriod(DurationInfo.newBuilder().setNanoseconds(3_000_000_000L)))).build());
    api.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
        .setExecutorInfo(ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue(EX)))
        .setFrameworkInfo(FrameworkInfo.newBuilder().setUser("u").setName("n"))
        .setAgentInfo(AgentInfo.newBuilder().setHostname("h"))).build());
    api.send(Event.newBuilder().setType(Event.Type.ACKNOWLEDGED).setAcknowledged(Event.Acknowledged.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue("t1")).setUuid(ByteString.copyFrom(uuid))).build());
    RecordIo.Reader reader = new RecordIo.Reader(r.body());

    JsonObject kill = JsonParser.parseString(new String(reader.next(), StandardCharsets.UTF_8)).getAsJsonObject();
    assertEquals("KILL", kill.get("type").getAsString(), "enums by name");
    JsonPrimitive nanos = kill.getAsJsonObject("kill").getAsJsonObject("kill_policy").getAsJsonObject("grace_period")
        .getAsJsonPrimitive("nanoseconds");
    assertTrue(nanos.isNumber(), "int64 as a number: " + kill);
    assertEquals(3_000_000_000L, nanos.getAsLong());

    JsonObject framework = JsonParser.parseString(new String(reader.next(), StandardCharsets.UTF_8)).getAsJsonObject()
        .getAsJsonObject("subscribed").getAsJsonObject("framework_info");
    assertEquals(0.0, framework.get("failover_timeout").getAsDouble(), "an unset field with a default is present");
    assertFalse(framework.get("checkpoint").getAsBoolean());
    assertFalse(framework.has("role"), "but not a deprecated one");
    assertFalse(framework.has("capabilities"), "and no empty repeated field");

    JsonObject ack = JsonParser.parseString(new String(reader.next(), StandardCharsets.UTF_8)).getAsJsonObject();
    assertEquals(Base64.getEncoder().encodeToString(uuid), ack.getAsJsonObject("acknowledged").get("uuid").getAsString());
  }

  @Test
  void eachRecordIsOneHttpChunk() throws Exception {
    try (Socket socket = rawSubscribe(PROTOBUF)) {
      assertEquals(WireFormat.PROTOBUF, handler.subscribed.poll(10, TimeUnit.SECONDS));
      List<Event> events = List.of(Event.newBuilder().setType(Event.Type.HEARTBEAT).build(),
          Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder()
              .setData(ByteString.copyFrom(new byte[1000]))).build());
      for (Event e : events) {
        assertTrue(api.send(e));
      }
      InputStream in = socket.getInputStream();
      for (Event e : events) {
        int size = Integer.parseInt(line(in), 16);
        byte[] chunk = in.readNBytes(size);
        assertEquals("", line(in), "the chunk ends with CRLF");
        RecordIo.Reader reader = new RecordIo.Reader(new java.io.ByteArrayInputStream(chunk));
        assertEquals(e, Event.parseFrom(reader.next()));
        assertNull(reader.next(), "nothing else in the chunk");
      }
    }
  }

  // ---- what the agent fills in

  @Test
  void anUpdateWithoutTimestampIsStampedWithTheAgentsTime() throws Exception {
    subscribed();
    double before = System.currentTimeMillis() / 1000.0;
    assertEquals(202, post(update(status("t1").clearTimestamp().build())).statusCode());
    TaskStatus received = handler.updates.poll(10, TimeUnit.SECONDS);
    assertTrue(received.hasTimestamp());
    assertTrue(received.getTimestamp() >= before && received.getTimestamp() <= System.currentTimeMillis() / 1000.0,
        "now: " + received.getTimestamp());
    assertEquals(202, post(update(status("t2").build())).statusCode());
    assertEquals(1_700_000_000.25, handler.updates.poll(10, TimeUnit.SECONDS).getTimestamp(), "a given one is kept");
  }

  @Test
  void aSecondSubscribeClosesTheFirstStream() throws Exception {
    HttpResponse<InputStream> first = subscribed();
    HttpResponse<InputStream> second = subscribe(url, JSON);
    assertEquals(200, second.statusCode());
    assertEquals(WireFormat.JSON, handler.subscribed.poll(10, TimeUnit.SECONDS));

    Event event = Event.newBuilder().setType(Event.Type.MESSAGE)
        .setMessage(Event.Message.newBuilder().setData(ByteString.copyFromUtf8("to the second"))).build();
    assertTrue(api.send(event));
    assertNull(new RecordIo.Reader(first.body()).next(), "the first stream ends without any event");
    assertEquals(event, nextEvent(second, new RecordIo.Reader(second.body())));
  }

  @ParameterizedTest
  @ValueSource(strings = {JSON, PROTOBUF})
  void sendWritesRecordIoEventsOnTheStream(String accept) throws Exception {
    assertFalse(api.send(Event.newBuilder().setType(Event.Type.HEARTBEAT).build()), "no stream yet");
    HttpResponse<InputStream> stream = subscribe(url, accept);
    assertEquals(accept, contentType(stream));
    RecordIo.Reader reader = new RecordIo.Reader(stream.body());
    List<Event> events = List.of(
        Event.newBuilder().setType(Event.Type.HEARTBEAT).build(),
        Event.newBuilder().setType(Event.Type.MESSAGE)
            .setMessage(Event.Message.newBuilder().setData(ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 0xff}))).build(),
        Event.newBuilder().setType(Event.Type.ACKNOWLEDGED).setAcknowledged(Event.Acknowledged.newBuilder()
            .setTaskId(TaskID.newBuilder().setValue("t-ü")).setUuid(ByteString.copyFrom(uuid(UUID.randomUUID())))).build());
    for (Event e : events) {
      assertTrue(api.send(e));
    }
    for (Event e : events) {
      assertEquals(e, nextEvent(stream, reader));
    }
    api.closeStream();
    assertNull(reader.next(), "closeStream ends the stream cleanly, between records");
    assertFalse(api.connected());
  }

  @Test
  void camelCaseJsonKeysAreIgnoredAsTheAgentIgnoresThem() throws Exception {
    String camel = "{\"type\":\"HEARTBEAT\",\"frameworkId\":{\"value\":\"" + FW + "\"},\"executorId\":{\"value\":\""
        + EX + "\"}}";
    HttpResponse<String> r = post(url, JSON, camel.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(400, r.statusCode(), "executorId and frameworkId are lost, so required fields are missing");
    assertTrue(r.body().contains("missing required fields"), r.body());
    String snake = camel.replace("frameworkId", "framework_id").replace("executorId", "executor_id");
    assertEquals(202, post(url, JSON, snake.getBytes(java.nio.charset.StandardCharsets.UTF_8)).statusCode());
  }
}
