package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.TestEngine;
import io.github.sparkmesos.secrets.SecretFileArea;
import io.github.sparkmesos.secrets.SecretStores;
import io.github.sparkmesos.testing.Waits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leak test: a real executor JVM under the real harness runs a task group, one task as a process and one in a
 * container of the real engine, each with four secrets: a value and a reference from the operator's file store,
 * each once as a variable and once as a file. While the tasks run, {@code /proc/*&#47;cmdline} of every process
 * and the environment of every process but the tasks' are searched for each value, raw and base64; after they
 * end, every file of the sandbox (the executor's log included), every status message and the harness's output.
 * Zero hits, and each task got each value (it writes digests, never values).
 */
class SecretLeakTest {

  private static final String REF_ENV = "ref-env-3bX9-secret";
  private static final String REF_FILE = "ref-file-Kq7w-secret";
  private static final String VAL_ENV = "val-env-Zp2m-secret";
  private static final String VAL_FILE = "val-file-Hd5t-secret";
  private static final List<String> VALUES = List.of(REF_ENV, REF_FILE, VAL_ENV, VAL_FILE);
  private static final Pattern PROCESS = Pattern.compile("Command started as process (\\d+)");
  private static final Pattern CONTAINER = Pattern.compile("Command started as container ([A-Za-z0-9_.-]+)");

  private static final String SCRIPT = "printf %s \\\"$REF_ENV\\\" | sha256sum > ref.env;"
      + " printf %s \\\"$VAL_ENV\\\" | sha256sum > val.env; sha256sum < ref.file > ref.sum;"
      + " sha256sum < val.file > val.sum; touch ready; while [ ! -e release ]; do sleep 0.1; done";

  private static String task(String id, String container) {
    return """
        {"task_id": {"value": "%s"}, %s
         "command": {"value": "%s", "environment": {"variables": [
           {"name": "REF_ENV", "type": "SECRET", "secret": {"type": "REFERENCE", "reference": {"name": "db"}}},
           {"name": "VAL_ENV", "type": "SECRET", "secret": {"type": "VALUE", "value": {"data": "%s"}}}]}}}"""
        .formatted(id, container, SCRIPT, base64(VAL_ENV));
  }

  private static String volumes() {
    return """
        "volumes": [
          {"container_path": "ref.file", "mode": "RO", "source": {"type": "SECRET",
            "secret": {"type": "REFERENCE", "reference": {"name": "app", "key": "keytab"}}}},
          {"container_path": "val.file", "mode": "RO", "source": {"type": "SECRET",
            "secret": {"type": "VALUE", "value": {"data": "%s"}}}}]""".formatted(base64(VAL_FILE));
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(String value) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
  }

  /** Every form a value is searched in: raw, and base64 (the unpadded run, which every padded form contains). */
  private static List<String> forms() {
    List<String> forms = new ArrayList<>();
    for (String v : VALUES) {
      forms.add(v);
      forms.add(base64(v).replace("=", ""));
    }
    return forms;
  }

  private static void assertNoValue(String where, String text, List<String> hits) {
    for (String form : forms()) {
      if (text.contains(form)) {
        hits.add(where + " holds '" + form + "'");
      }
    }
  }

  private static Path store(Path dir) throws IOException {
    Path store = Files.createDirectories(dir.resolve("store/app"));
    Files.setPosixFilePermissions(dir.resolve("store"), PosixFilePermissions.fromString("rwx------"));
    Files.writeString(dir.resolve("store/db"), REF_ENV);
    Files.writeString(store.resolve("keytab"), REF_FILE);
    for (Path p : List.of(dir.resolve("store/db"), store.resolve("keytab"))) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    }
    return dir.resolve("store");
  }

  @Test
  void noValueLeavesTheTasks(@TempDir Path dir) throws Exception {
    TestEngine.get(); // skips with a message where there is no engine, never under CI=true
    String group = "{\"tasks\": [" + task("p", "\"container\": {\"type\": \"MESOS\", " + volumes() + "},") + ", "
        + task("d", "\"container\": {\"type\": \"DOCKER\", \"docker\": {\"image\": \"" + TestEngine.BUSYBOX + "\"}, "
            + volumes() + "},") + "]}";
    Harness harness = HarnessRun.start(dir, group, "--env",
        SecretStores.STORE_VARIABLE + "=file:" + store(dir));
    Path sandbox = dir.resolve("sandbox");
    HarnessRun.Run run;
    List<String> hits = new ArrayList<>();
    try {
      HarnessRun.awaitUpdate(harness, "p", "TASK_RUNNING", Duration.ofMinutes(1));
      HarnessRun.awaitUpdate(harness, "d", "TASK_RUNNING", Duration.ofMinutes(1));
      Waits.awaitFile(sandbox.resolve("tasks/p/ready"));
      Waits.awaitFile(sandbox.resolve("tasks/d/ready"));
      searchProcesses(harness, hits);
    } finally {
      for (String id : List.of("p", "d")) {
        if (Files.isDirectory(sandbox.resolve("tasks/" + id))) {
          Files.writeString(sandbox.resolve("tasks/" + id + "/release"), "");
        }
      }
      run = HarnessRun.finish(harness);
    }
    assertEquals(TaskState.TASK_FINISHED, run.result().terminal("p").state(), run.stdout().toString());
    assertEquals(TaskState.TASK_FINISHED, run.result().terminal("d").state(), run.stdout().toString());
    for (String id : List.of("p", "d")) {
      Path t = sandbox.resolve("tasks/" + id);
      assertTrue(Files.readString(t.resolve("ref.env")).startsWith(sha256(REF_ENV)), id);
      assertTrue(Files.readString(t.resolve("val.env")).startsWith(sha256(VAL_ENV)), id);
      assertTrue(Files.readString(t.resolve("ref.sum")).startsWith(sha256(REF_FILE)), id);
      assertTrue(Files.readString(t.resolve("val.sum")).startsWith(sha256(VAL_FILE)), id);
      assertTrue(!Files.exists(t.resolve("ref.file"), LinkOption.NOFOLLOW_LINKS)
          && !Files.exists(t.resolve("val.file"), LinkOption.NOFOLLOW_LINKS), "the secret files are gone: " + id);
    }
    int files = 0;
    try (Stream<Path> all = Files.walk(sandbox)) {
      for (Path f : all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
        assertNoValue(f.toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1), hits);
        files++;
      }
    }
    assertTrue(files >= 10, "the sandbox's files were read: " + files);
    for (Harness.Update u : run.result().updates()) {
      assertNoValue("the status message " + u.json(), String.valueOf(u.message()), hits);
    }
    assertNoValue("the harness output", String.join("\n", run.stdout()), hits);
    Path area = SecretFileArea.forSandbox(sandbox, Map.of()).root();
    try (Stream<Path> left = Files.exists(area) ? Files.walk(area) : Stream.empty()) {
      assertEquals(List.of(), left.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList(),
          "no secret file is left in " + area);
    }
    assertEquals(List.of(), hits);
  }

  /** Every process's command line, and the environment of every process outside the two tasks. */
  private static void searchProcesses(Harness harness, List<String> hits) throws Exception {
    String out = HarnessRun.output(harness);
    Matcher process = PROCESS.matcher(out);
    Matcher container = CONTAINER.matcher(out);
    assertTrue(process.find() && container.find(), out);
    long session = Long.parseLong(process.group(1));
    String containerId = TestEngine.inspect(container.group(1)).getId();
    int searched = 0;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.ISO_8859_1);
          assertNoValue(proc + "/cmdline (" + cmdline.replace('\0', ' ') + ")", cmdline, hits);
          String stat = Files.readString(proc.resolve("stat"));
          long sid = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
          boolean task = sid == session || Files.readString(proc.resolve("cgroup")).contains(containerId);
          if (!task) {
            assertNoValue(proc + "/environ (" + cmdline.replace('\0', ' ') + ")",
                new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.ISO_8859_1), hits);
            searched++;
          }
        } catch (IOException e) {
          // the process ended meanwhile
        }
      }
    }
    assertTrue(searched > 3, "processes were searched: " + searched);
  }
}
