package io.github.sparkmesos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.TestEngine;
import io.github.sparkmesos.executor.mesos.CommandExecutorFlags;
import io.github.sparkmesos.secrets.SecretFileArea;
import io.github.sparkmesos.secrets.SecretStores;
import io.github.sparkmesos.testing.Skips;
import io.github.sparkmesos.testing.Waits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets through the whole pipeline of an executor in this JVM, with a real file store on disk and real tasks:
 * each value reaches the task (compared by digest, so the task's own files never hold it), files are mode 0400
 * and gone when the task ends however it ends, and no status message carries a value.
 */
class SecretsInProcessTest {

  private static final List<FrameworkInfo.Capability.Type> KILLING =
      List.of(FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
  private static final String STORED = "st0red-db-password";
  private static final String GIVEN = "g1ven-api-token";

  @TempDir Path dir;

  /** A file store holding {@code db} (Spark names a secret without a key); the secret area in the test's directory. */
  private Map<String, String> operator() throws IOException {
    Path store = Files.createDirectories(dir.resolve("store"));
    Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(store.resolve("db"), STORED);
    Files.setPosixFilePermissions(store.resolve("db"), PosixFilePermissions.fromString("rw-------"));
    Path area = Files.createDirectories(dir.resolve("shm"));
    return Map.of(SecretStores.STORE_VARIABLE, "file:" + dir.resolve("store"),
        SecretFileArea.DIRECTORY_VARIABLE, area.toString());
  }

  private LoopbackAgent agent(Path sandbox, Map<String, String> operator) throws Exception {
    return new LoopbackAgent(sandbox, false, KILLING, CommandExecutorFlags.NONE, Optional.empty(), operator);
  }

  private static Map<String, String> secretConf(String names, String values, String envKeys, String fileNames) {
    Map<String, String> conf = new LinkedHashMap<>();
    if (names != null) {
      conf.put("spark.mesos.executor.secret.names", names);
    }
    if (values != null) {
      conf.put("spark.mesos.executor.secret.values", values);
    }
    conf.put("spark.mesos.executor.secret.envkeys", envKeys);
    conf.put("spark.mesos.executor.secret.filenames", fileNames);
    return conf;
  }

  static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static void assertNoValueIn(List<TaskStatus> updates, String... values) {
    for (TaskStatus s : updates) {
      for (String v : values) {
        assertFalse(s.getMessage().contains(v), s.getMessage());
      }
    }
  }

  @Test
  void referencesAndValuesReachTheTaskAsVariablesAndFilesThenTheFilesGo() throws Exception {
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    try (LoopbackAgent agent = agent(sandbox, operator())) {
      agent.awaitSubscribe();
      agent.launch(ExecutorInProcessTest.documentTask("s",
          "printf %s \"$DB\" | sha256sum > env.db; sha256sum < secrets/db.pw > file.db;"
              + " stat -L -c %a secrets/db.pw > modes; until [ -e ../v/modes ]; do sleep 0.05; done",
          secretConf("db", null, "DB", "secrets/db.pw")));
      // s outlives v: an executor whose last task ended leaves, as Mesos's do
      agent.launch(ExecutorInProcessTest.documentTask("v", "printf %s \"$API\" | sha256sum > env.api;"
          + " sha256sum < api.token > file.api; stat -L -c %a api.token > modes",
          secretConf(null, GIVEN, "API", "api.token")));
      agent.await("v", TaskState.TASK_FINISHED);
      agent.awaitSeen("s", TaskState.TASK_FINISHED); // it may end first: v's last line is its own end
      Path s = sandbox.resolve("tasks/s");
      Path v = sandbox.resolve("tasks/v");
      assertTrue(Files.readString(s.resolve("env.db")).startsWith(sha256(STORED)));
      assertTrue(Files.readString(s.resolve("file.db")).startsWith(sha256(STORED)));
      assertTrue(Files.readString(v.resolve("env.api")).startsWith(sha256(GIVEN)));
      assertTrue(Files.readString(v.resolve("file.api")).startsWith(sha256(GIVEN)));
      assertEquals("400\n", Files.readString(v.resolve("modes")));
      assertEquals("400\n", Files.readString(s.resolve("modes")));
      assertFalse(Files.exists(s.resolve("secrets/db.pw"), LinkOption.NOFOLLOW_LINKS), "the link is gone");
      assertFalse(Files.exists(v.resolve("api.token"), LinkOption.NOFOLLOW_LINKS));
      try (Stream<Path> left = Files.walk(dir.resolve("shm"))) {
        assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "the files are gone");
      }
      assertNoValueIn(agent.allUpdates, STORED, GIVEN);
    }
  }

  /**
   * An absolute path outside the sandbox: the secret is mounted over the existing file there in the task's own
   * mount namespace (as Mesos without a root filesystem); the host's file and its view stay as they were.
   */
  @Test
  void aSecretAtAHostPathIsMountedOverTheFileThereForTheTaskAlone() throws Exception {
    Skips.require(io.github.sparkmesos.os.UserAccount.current().isRoot(), "mount namespaces need root");
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    Path hostFile = Files.writeString(Files.createDirectories(dir.resolve("etc-app")).resolve("db.conf"),
        "the host's own file\n");
    try (LoopbackAgent agent = agent(sandbox, operator())) {
      agent.awaitSubscribe();
      agent.launch(ExecutorInProcessTest.documentTask("m", "sha256sum < " + hostFile + " > file.db;"
          + " stat -c %a " + hostFile + " > modes; if echo x >> " + hostFile + "; then echo writable > ro;"
          + " else echo read-only > ro; fi; touch ready; exec sleep 600",
          secretConf("db", null, "DB", hostFile.toString())));
      agent.await("m", TaskState.TASK_RUNNING);
      Path m = sandbox.resolve("tasks/m");
      Waits.awaitFile(m.resolve("ready"));
      assertTrue(Files.readString(m.resolve("file.db")).startsWith(sha256(STORED)), "the task reads the secret");
      assertEquals("400\n", Files.readString(m.resolve("modes")));
      assertEquals("read-only\n", Files.readString(m.resolve("ro")));
      assertEquals("the host's own file\n", Files.readString(hostFile), "the host sees its own file meanwhile");

      // no file there: refused before anything exists, naming the setting (while m runs: the executor stays)
      agent.launch(ExecutorInProcessTest.documentTask("n", "true",
          secretConf("db", null, "DB", dir.resolve("etc-app/missing.conf").toString())));
      TaskStatus failed = agent.await("n", TaskState.TASK_FAILED);
      assertTrue(failed.getMessage().contains("spark.mesos.executor.secret.names[0]: '" + dir.resolve(
          "etc-app/missing.conf") + "' is outside the task's sandbox"), failed.getMessage());
      assertFalse(Files.exists(sandbox.resolve("tasks/n")), "nothing of it exists");

      agent.kill("m");
      agent.await("m", TaskState.TASK_KILLED);
      assertEquals("the host's own file\n", Files.readString(hostFile));
      try (Stream<Path> left = Files.walk(dir.resolve("shm"))) {
        assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "the secret's file is gone");
      }
    }
  }

  @Test
  void aKilledTasksFilesGoToo() throws Exception {
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    try (LoopbackAgent agent = agent(sandbox, operator())) {
      agent.awaitSubscribe();
      agent.launch(ExecutorInProcessTest.documentTask("k", "exec sleep 1000",
          secretConf("db", null, "DB", "db.pw")));
      agent.await("k", TaskState.TASK_RUNNING);
      Path link = sandbox.resolve("tasks/k/db.pw");
      assertEquals(STORED, Files.readString(link));
      assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(link)));
      agent.kill("k");
      agent.await("k", TaskState.TASK_KILLED);
      assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
      try (Stream<Path> left = Files.walk(dir.resolve("shm"))) {
        assertEquals(List.of(), left.filter(Files::isRegularFile).toList());
      }
    }
  }

  @Test
  void aReferenceThatCannotBeResolvedFailsTheTaskNamingItAndNothingStarts() throws Exception {
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    try (LoopbackAgent agent = agent(sandbox, operator())) {
      agent.awaitSubscribe();
      agent.launch(ExecutorInProcessTest.documentTask("u", "touch started",
          secretConf("db,missing", null, "DB,OTHER", "db.pw,other")));
      TaskStatus failed = agent.await("u", TaskState.TASK_FAILED);
      assertEquals(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED, failed.getReason());
      assertTrue(failed.getMessage().contains("spark.mesos.executor.secret.names[1]")
          && failed.getMessage().contains("name 'missing'"), failed.getMessage());
      assertFalse(Files.exists(sandbox.resolve("tasks/u/started")));
      assertFalse(Files.exists(sandbox.resolve("tasks/u/db.pw"), LinkOption.NOFOLLOW_LINKS),
          "the file of the secret resolved before is not written");
      assertNoValueIn(agent.allUpdates, STORED);
    }
  }

  @Test
  void withoutAStoreAReferenceFailsNamingTheSetting() throws Exception {
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    try (LoopbackAgent agent = agent(sandbox, Map.of())) {
      agent.awaitSubscribe();
      agent.launch(ExecutorInProcessTest.documentTask("n", "true", secretConf("db", null, "DB", "")));
      TaskStatus failed = agent.await("n", TaskState.TASK_FAILED);
      assertTrue(failed.getMessage().contains("no secret store is configured (set "
          + SecretStores.STORE_VARIABLE), failed.getMessage());
    }
  }

  @Test
  void aNewExecutorInTheSameSandboxRemovesTheFilesAnEarlierOneLeft() throws Exception {
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    Map<String, String> operator = operator();
    SecretFileArea.TaskFiles left = SecretFileArea.forSandbox(sandbox, operator).create(); // its executor was killed
    Path file = left.write(STORED.getBytes(StandardCharsets.UTF_8), Optional.empty());
    left.link(sandbox.resolve("left.pw"), file);
    try (LoopbackAgent agent = agent(sandbox, operator)) {
      agent.awaitSubscribe();
      assertFalse(Files.exists(file, LinkOption.NOFOLLOW_LINKS));
      assertFalse(Files.exists(sandbox.resolve("left.pw"), LinkOption.NOFOLLOW_LINKS));
    }
  }

  @Test
  void theOperatorsRegistryCredentialsAreResolvedForAContainerAndNeverReachIt() throws Exception {
    TestEngine.get(); // skips with a message where there is no engine, never under CI=true
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    Map<String, String> operator = new java.util.HashMap<>(operator());
    operator.put(io.github.sparkmesos.executor.pipeline.SecretSupply.REGISTRY_CONFIG_VARIABLE, "absent#config");
    try (LoopbackAgent agent = agent(sandbox, operator)) {
      agent.awaitSubscribe();
      agent.launch(ExecutorInProcessTest.documentTask("nocreds", "true",
          Map.of("spark.mesos.executor.docker.image", TestEngine.BUSYBOX)));
      TaskStatus failed = agent.await("nocreds", TaskState.TASK_FAILED);
      assertTrue(failed.getMessage().contains(io.github.sparkmesos.executor.pipeline.SecretSupply.REGISTRY_CONFIG_VARIABLE)
          && failed.getMessage().contains("name 'absent' key 'config'"), failed.getMessage());
    }
    Files.writeString(dir.resolve("store/registry"), "{\"auths\": {}}");
    Files.setPosixFilePermissions(dir.resolve("store/registry"), PosixFilePermissions.fromString("rw-------"));
    operator.put(io.github.sparkmesos.executor.pipeline.SecretSupply.REGISTRY_CONFIG_VARIABLE, "registry");
    try (LoopbackAgent agent = agent(Files.createDirectories(dir.resolve("sandbox2")), operator)) {
      agent.awaitSubscribe();
      agent.launch(ExecutorInProcessTest.documentTask("creds", "ls -a . > listing",
          Map.of("spark.mesos.executor.docker.image", TestEngine.BUSYBOX)));
      agent.await("creds", TaskState.TASK_FINISHED);
      assertFalse(Files.readString(dir.resolve("sandbox2/tasks/creds/listing")).contains(".docker"));
      try (Stream<Path> left = Files.walk(dir.resolve("shm"))) {
        assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "the credentials' file is gone");
      }
    }
  }

  @Test
  void inAContainerFilesAreMountedReadOnlyAndVariablesPassedThroughTheEngine() throws Exception {
    TestEngine.get(); // skips with a message where there is no engine, never under CI=true
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    try (LoopbackAgent agent = agent(sandbox, operator())) {
      agent.awaitSubscribe();
      Map<String, String> conf = secretConf("db", null, "DB", "db.pw");
      conf.put("spark.mesos.executor.docker.image", TestEngine.BUSYBOX);
      agent.launch(ExecutorInProcessTest.documentTask("d", "printf %s \"$DB\" | sha256sum > env.db;"
          + " sha256sum < db.pw > file.db; stat -c %a db.pw > mode; echo x 2> denied > db.pw || echo refused > write",
          conf));
      agent.await("d", TaskState.TASK_FINISHED);
      Path d = sandbox.resolve("tasks/d");
      assertTrue(Files.readString(d.resolve("env.db")).startsWith(sha256(STORED)));
      assertTrue(Files.readString(d.resolve("file.db")).startsWith(sha256(STORED)));
      assertEquals("400\n", Files.readString(d.resolve("mode")));
      assertEquals("refused\n", Files.readString(d.resolve("write")), "mounted read-only");
      Waits.awaitCondition(() -> !Files.exists(d.resolve("db.pw"), LinkOption.NOFOLLOW_LINKS), Duration.ofSeconds(30),
          "the mount point to go with the container");
      try (Stream<Path> left = Files.walk(dir.resolve("shm"))) {
        assertEquals(List.of(), left.filter(Files::isRegularFile).toList());
      }
      assertNoValueIn(agent.allUpdates, STORED);
    }
  }
}
