package io.github.sparkmesos.executor.task;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The UTF-8 JSON document a LAUNCH task carries in {@code TaskInfo.data} (format version 1, see
 * docs/task-document.md): the Spark configuration, the CoarseGrainedExecutorBackend arguments, and
 * an optional raw shell command. Unknown keys are errors, never silently dropped.
 */
public record SparkTaskDocument(SparkConf conf, BackendArguments backend, Optional<String> command) {

  public static final int VERSION = 1;

  private static final TypeAdapter<JsonElement> ELEMENTS = new Gson().getAdapter(JsonElement.class);
  private static final Set<String> TOP_KEYS = Set.of("version", "conf", "backend", "command");
  private static final Set<String> BACKEND_KEYS =
      Set.of("driverUrl", "executorId", "appId", "cores", "hostname", "bindAddress", "resourceProfileId");

  /** The arguments of {@code CoarseGrainedExecutorBackend}, as Spark 3.x names them. */
  public record BackendArguments(String driverUrl, String executorId, String appId, int cores,
      Optional<String> hostname, Optional<String> bindAddress, Optional<Integer> resourceProfileId) {}

  public static SparkTaskDocument parse(byte[] data) throws InvalidTaskException {
    if (data == null || data.length == 0) {
      throw new InvalidTaskException("TaskInfo.data",
          "is empty; a LAUNCH task must carry the Spark task document (JSON with 'conf' and 'backend')");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidTaskException("TaskInfo.data", "is not UTF-8 text");
    }
    JsonElement root;
    try {
      // strict RFC 8259: no comments, unquoted names or single quotes, and nothing after the value
      JsonReader reader = new JsonReader(new StringReader(text));
      reader.setStrictness(Strictness.STRICT);
      root = ELEMENTS.read(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new InvalidTaskException("TaskInfo.data", "is not valid JSON (text after the document)");
      }
    } catch (IOException | JsonParseException | IllegalStateException e) {
      throw new InvalidTaskException("TaskInfo.data", "is not valid JSON (" + rootCause(e) + ")");
    }
    if (!root.isJsonObject()) {
      throw new InvalidTaskException("TaskInfo.data", "must be a JSON object with 'conf' and 'backend'");
    }
    JsonObject doc = root.getAsJsonObject();
    unknownKeys(doc, TOP_KEYS, "TaskInfo.data");
    if (doc.has("version")) {
      int version = integer(doc.get("version"), "TaskInfo.data.version");
      if (version != VERSION) {
        throw new InvalidTaskException("TaskInfo.data.version", "is " + version + ", this executor reads version " + VERSION);
      }
    }
    SparkConf conf = new SparkConf(conf(doc.get("conf")));
    if (!doc.has("backend")) {
      throw new InvalidTaskException("TaskInfo.data.backend",
          "is required: the CoarseGrainedExecutorBackend arguments (driverUrl, executorId, appId, cores)");
    }
    BackendArguments backend = backend(doc.get("backend"));
    Optional<String> command = Optional.empty();
    if (doc.has("command") && !doc.get("command").isJsonNull()) {
      command = Optional.of(string(doc.get("command"), "TaskInfo.data.command")).filter(c -> !c.isBlank());
    }
    return new SparkTaskDocument(conf, backend, command);
  }

  private static Map<String, String> conf(JsonElement element) throws InvalidTaskException {
    Map<String, String> values = new LinkedHashMap<>();
    if (element == null || element.isJsonNull()) {
      return values;
    }
    if (!element.isJsonObject()) {
      throw new InvalidTaskException("TaskInfo.data.conf", "must be an object of Spark configuration keys to values");
    }
    for (Map.Entry<String, JsonElement> e : element.getAsJsonObject().entrySet()) {
      JsonElement v = e.getValue();
      if (!v.isJsonPrimitive()) {
        throw new InvalidTaskException("TaskInfo.data.conf." + e.getKey(), "must be a string, number or boolean");
      }
      values.put(e.getKey(), v.getAsString());
    }
    return values;
  }

  private static BackendArguments backend(JsonElement element) throws InvalidTaskException {
    if (!element.isJsonObject()) {
      throw new InvalidTaskException("TaskInfo.data.backend", "must be an object");
    }
    JsonObject b = element.getAsJsonObject();
    unknownKeys(b, BACKEND_KEYS, "TaskInfo.data.backend");
    String driverUrl = requiredString(b, "driverUrl");
    if (!driverUrl.startsWith("spark://")) {
      throw new InvalidTaskException("TaskInfo.data.backend.driverUrl",
          "must be spark://CoarseGrainedScheduler@HOST:PORT, was '" + driverUrl + "'");
    }
    String executorId = requiredString(b, "executorId");
    String appId = requiredString(b, "appId");
    if (!b.has("cores")) {
      throw new InvalidTaskException("TaskInfo.data.backend.cores", "is required (a positive integer)");
    }
    int cores = integer(b.get("cores"), "TaskInfo.data.backend.cores");
    if (cores <= 0) {
      throw new InvalidTaskException("TaskInfo.data.backend.cores", "must be positive, was " + cores);
    }
    Optional<Integer> profile = Optional.empty();
    if (b.has("resourceProfileId")) {
      int id = integer(b.get("resourceProfileId"), "TaskInfo.data.backend.resourceProfileId");
      if (id < 0) {
        throw new InvalidTaskException("TaskInfo.data.backend.resourceProfileId", "must not be negative, was " + id);
      }
      profile = Optional.of(id);
    }
    return new BackendArguments(driverUrl, executorId, appId, cores, optionalString(b, "hostname"),
        optionalString(b, "bindAddress"), profile);
  }

  private static void unknownKeys(JsonObject object, Set<String> known, String where) throws InvalidTaskException {
    Set<String> unknown = new TreeSet<>(object.keySet());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new InvalidTaskException(where, "unknown key(s) " + unknown + "; known keys are " + new TreeSet<>(known));
    }
  }

  private static String requiredString(JsonObject o, String key) throws InvalidTaskException {
    String field = "TaskInfo.data.backend." + key;
    if (!o.has(key) || o.get(key).isJsonNull()) {
      throw new InvalidTaskException(field, "is required");
    }
    String value = string(o.get(key), field);
    if (value.isBlank()) {
      throw new InvalidTaskException(field, "must not be empty");
    }
    return value;
  }

  private static Optional<String> optionalString(JsonObject o, String key) throws InvalidTaskException {
    if (!o.has(key) || o.get(key).isJsonNull()) {
      return Optional.empty();
    }
    return Optional.of(string(o.get(key), "TaskInfo.data.backend." + key)).filter(s -> !s.isBlank());
  }

  private static String string(JsonElement e, String field) throws InvalidTaskException {
    if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isString()) {
      throw new InvalidTaskException(field, "must be a string");
    }
    return e.getAsString();
  }

  private static int integer(JsonElement e, String field) throws InvalidTaskException {
    if (e.isJsonPrimitive()) {
      JsonPrimitive p = e.getAsJsonPrimitive();
      try {
        if (p.isNumber() || p.isString()) {
          return Integer.parseInt(p.getAsString().trim());
        }
      } catch (NumberFormatException ignored) {
        // fall through to the error below
      }
    }
    throw new InvalidTaskException(field, "must be an integer, was " + e);
  }

  private static String rootCause(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
