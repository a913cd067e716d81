package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.secrets.SecretStores;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real executor JVM killed with SIGKILL while its task holds a file secret cannot remove the file; the next
 * executor started in the same sandbox does, at its start, before any task of its own.
 */
class SecretFilesAfterSigkillTest {

  private static final String VALUE = "left-behind-Wq4r-secret";

  @Test
  void theNextExecutorInTheSandboxRemovesWhatAKilledOneLeft(@TempDir Path dir) throws Exception {
    Path store = Files.createDirectories(dir.resolve("store"));
    Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(store.resolve("db"), VALUE);
    Files.setPosixFilePermissions(store.resolve("db"), PosixFilePermissions.fromString("rw-------"));
    Path sandbox = dir.resolve("sandbox");
    String storeSetting = SecretStores.STORE_VARIABLE + "=file:" + store;

    Harness first = HarnessRun.start(dir.resolve("first"), TaskFile.commandTask("held", "exec sleep 600",
        Map.of("spark.mesos.executor.secret.names", "db", "spark.mesos.executor.secret.filenames", "db.pw")),
        "--sandbox", sandbox.toString(), "--env", storeSetting);
    HarnessRun.awaitUpdate(first, "held", "TASK_RUNNING", Duration.ofMinutes(1));
    Path link = sandbox.resolve("tasks/held/db.pw");
    Path file = Files.readSymbolicLink(link);
    assertEquals(VALUE, Files.readString(link));
    assertTrue(ProcessHandle.of(first.executorPid()).orElseThrow().destroyForcibly()); // no exit hook runs
    HarnessRun.Run killed = HarnessRun.finish(first);
    assertEquals(9, killed.result().executorExit().orElseThrow().signal(), killed.stdout().toString());
    assertTrue(Files.exists(file), "a SIGKILLed executor cannot remove its task's file: " + file);

    HarnessRun.Run next = HarnessRun.run(dir.resolve("second"), TaskFile.commandTask("next", "true", Map.of()),
        "--sandbox", sandbox.toString());
    assertEquals(TaskState.TASK_FINISHED, next.result().terminal("next").state(), next.stdout().toString());
    assertFalse(Files.exists(file, LinkOption.NOFOLLOW_LINKS), "the next executor removed the file");
    assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS), "and the link to it");
  }
}
