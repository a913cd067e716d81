package io.github.sparkmesos.executor.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SparkTaskDocumentTest {

  private static final Gson GSON = new Gson();

  static Map<String, Object> backend() {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("driverUrl", "spark://CoarseGrainedScheduler@127.0.0.1:7078");
    b.put("executorId", "3");
    b.put("appId", "app-1");
    b.put("cores", 2);
    b.put("hostname", "127.0.0.1");
    return b;
  }

  static Map<String, Object> document(Map<String, ?> conf, Map<String, ?> backend) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("version", 1);
    d.put("conf", conf);
    d.put("backend", backend);
    return d;
  }

  private static SparkTaskDocument parse(Object json) throws InvalidTaskException {
    String text = json instanceof String s ? s : GSON.toJson(json);
    return SparkTaskDocument.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The document is refused, and the message names {@code field} first. */
  private static InvalidTaskException refused(String field, Object json) {
    InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> parse(json));
    assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
    return e;
  }

  private static Map<String, Object> backendWith(String key, Object value) {
    Map<String, Object> b = backend();
    if (value == null) {
      b.remove(key);
    } else {
      b.put(key, value);
    }
    return document(Map.of(), b);
  }

  @Test
  void aCompleteDocumentIsRead() throws Exception {
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("spark.executor.memory", "2g");
    conf.put("spark.task.cpus", 2);
    conf.put("spark.mesos.fetcherCache.enable", true);
    Map<String, Object> b = backend();
    b.put("bindAddress", "0.0.0.0");
    b.put("resourceProfileId", 4);
    SparkTaskDocument d = parse(document(conf, b));
    assertEquals(Optional.of("2g"), d.conf().get("spark.executor.memory"));
    assertEquals(Optional.of("2"), d.conf().get("spark.task.cpus"), "numbers are taken as their text");
    assertEquals(Optional.of("true"), d.conf().get("spark.mesos.fetcherCache.enable"));
    assertEquals(new SparkTaskDocument.BackendArguments("spark://CoarseGrainedScheduler@127.0.0.1:7078", "3", "app-1", 2,
        Optional.of("127.0.0.1"), Optional.of("0.0.0.0"), Optional.of(4)), d.backend());
    assertEquals(Optional.empty(), d.command());
  }

  @Test
  void versionConfAndCommandAreOptional() throws Exception {
    SparkTaskDocument d = parse(Map.of("backend", backend()));
    assertTrue(d.conf().all().isEmpty());
    SparkTaskDocument withCommand = parse(Map.of("backend", backend(), "command", "echo hi"));
    assertEquals(Optional.of("echo hi"), withCommand.command());
    assertEquals(Optional.empty(), parse(Map.of("backend", backend(), "command", "  ")).command());
  }

  @Test
  void emptyDataIsRefused() {
    InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> SparkTaskDocument.parse(new byte[0]));
    assertTrue(e.getMessage().startsWith("TaskInfo.data: is empty"), e.getMessage());
    assertThrows(InvalidTaskException.class, () -> SparkTaskDocument.parse(null));
  }

  @Test
  void nonUtf8IsRefused() {
    byte[] latin1 = "{\"conf\":{\"k\":\"caf\u00e9\"}}".getBytes(StandardCharsets.ISO_8859_1);
    InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> SparkTaskDocument.parse(latin1));
    assertEquals("TaskInfo.data: is not UTF-8 text", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"backend\":", "{\"backend\" {}}", "{\"conf\":{}} {\"x\":1}", "{\"conf\":{},}}",
      "{conf: {}}", "{'conf': {}}", "{\"conf\": {}} // comment", "{\"conf\": {}};", "   "})
  void invalidJsonIsRefused(String text) {
    InvalidTaskException e = refused("TaskInfo.data", text);
    assertTrue(e.getMessage().contains("is not valid JSON"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1,2]", "\"text\"", "42", "null"})
  void aDocumentThatIsNotAnObjectIsRefused(String text) {
    InvalidTaskException e = refused("TaskInfo.data", text);
    assertTrue(e.getMessage().contains("must be a JSON object"), e.getMessage());
  }

  @Test
  void anUnknownTopLevelKeyIsRefusedListingTheKnownOnes() {
    Map<String, Object> d = document(Map.of(), backend());
    d.put("executorUri", "http://h/spark.tgz");
    InvalidTaskException e = refused("TaskInfo.data", d);
    assertTrue(e.getMessage().contains("unknown key(s) [executorUri]"), e.getMessage());
    assertTrue(e.getMessage().contains("known keys are [backend, command, conf, version]"), e.getMessage());
  }

  @Test
  void anUnknownBackendKeyIsRefused() {
    InvalidTaskException e = refused("TaskInfo.data.backend", backendWith("driverURL", "spark://x@h:1"));
    assertTrue(e.getMessage().contains("unknown key(s) [driverURL]"), e.getMessage());
    assertTrue(e.getMessage().contains("driverUrl"), e.getMessage());
  }

  @Test
  void aMissingBackendIsRefused() {
    refused("TaskInfo.data.backend", Map.of("conf", Map.of()));
    refused("TaskInfo.data.backend", Map.of("backend", "spark://x@h:1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"driverUrl", "executorId", "appId", "cores"})
  void aMissingRequiredBackendArgumentIsRefused(String key) {
    InvalidTaskException e = refused("TaskInfo.data.backend." + key, backendWith(key, null));
    assertTrue(e.getMessage().contains("required"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"driverUrl", "executorId", "appId"})
  void anEmptyOrNonStringBackendArgumentIsRefused(String key) {
    refused("TaskInfo.data.backend." + key, backendWith(key, " "));
    refused("TaskInfo.data.backend." + key, backendWith(key, 7));
  }

  @Test
  void coresMustBeAPositiveInteger() {
    InvalidTaskException zero = refused("TaskInfo.data.backend.cores", backendWith("cores", 0));
    assertTrue(zero.getMessage().contains("must be positive"), zero.getMessage());
    refused("TaskInfo.data.backend.cores", backendWith("cores", -2));
    refused("TaskInfo.data.backend.cores", backendWith("cores", 1.5));
    refused("TaskInfo.data.backend.cores", backendWith("cores", "two"));
  }

  @Test
  void aNegativeResourceProfileIdIsRefused() {
    refused("TaskInfo.data.backend.resourceProfileId", backendWith("resourceProfileId", -1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"akka.tcp://sparkDriver@h:7078/user/CoarseGrainedScheduler", "http://h:7078", "h:7078"})
  void aDriverUrlThatIsNotSparkIsRefused(String url) {
    InvalidTaskException e = refused("TaskInfo.data.backend.driverUrl", backendWith("driverUrl", url));
    assertTrue(e.getMessage().contains(url), e.getMessage());
  }

  @Test
  void onlyVersionOneIsRead() {
    Map<String, Object> d = document(Map.of(), backend());
    d.put("version", 2);
    InvalidTaskException e = refused("TaskInfo.data.version", d);
    assertTrue(e.getMessage().contains("is 2"), e.getMessage());
    d.put("version", "one");
    refused("TaskInfo.data.version", d);
  }

  @Test
  void aConfValueThatIsNotAScalarIsRefused() {
    refused("TaskInfo.data.conf.spark.executorEnv", document(Map.of("spark.executorEnv", Map.of("FOO", "bar")), backend()));
    refused("TaskInfo.data.conf.spark.mesos.uris", document(Map.of("spark.mesos.uris", java.util.List.of("a", "b")), backend()));
    refused("TaskInfo.data.conf", Map.of("conf", "spark.executor.memory=2g", "backend", backend()));
  }
}
