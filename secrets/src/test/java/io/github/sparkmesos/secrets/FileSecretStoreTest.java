package io.github.sparkmesos.secrets;

import static io.github.sparkmesos.secrets.NoValues.assertAbsent;
import static io.github.sparkmesos.secrets.NoValues.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSecretStoreTest {

  private static final String DB = "db-value-7f3a";
  private static final String PASSWORD = "password-value-91c2";
  private static final String OUTSIDE = "outside-value-55e0";

  @TempDir Path tmp;
  private Path store;
  private FileSecretStore resolver;

  @BeforeEach
  void store() throws Exception {
    store = Files.createDirectory(tmp.resolve("store"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
    write(store.resolve("db"), DB, "rw-------");
    write(store.resolve("app/password"), PASSWORD, "r--r-----");
    write(tmp.resolve("outside"), OUTSIDE, "rw-------");
    resolver = new FileSecretStore(store);
  }

  @Test
  void readsANameWithoutKey() throws Exception {
    assertArrayEquals(DB.getBytes(StandardCharsets.UTF_8), resolver.resolve(SecretReference.of("db")));
  }

  @Test
  void readsANameWithAKey() throws Exception {
    assertArrayEquals(PASSWORD.getBytes(StandardCharsets.UTF_8),
        resolver.resolve(SecretReference.of("app", "password")));
  }

  @Test
  void readsANestedNameAndASymlinkThatStaysInside() throws Exception {
    write(store.resolve("team/db"), DB, "rw-------");
    Files.createSymbolicLink(store.resolve("alias"), store.resolve("db"));
    assertArrayEquals(DB.getBytes(StandardCharsets.UTF_8), resolver.resolve(SecretReference.of("team/db")));
    assertArrayEquals(DB.getBytes(StandardCharsets.UTF_8), resolver.resolve(SecretReference.of("alias")));
  }

  @Test
  void refusesTraversalInTheName() {
    refused(SecretReference.of("../outside"), "segment");
    refused(SecretReference.of("a/../../outside"), "segment");
    refused(SecretReference.of("app/./password"), "segment");
    refused(SecretReference.of("app//password"), "segment");
    refused(SecretReference.of(tmp.resolve("outside").toString()), "absolute");
    refused(SecretReference.of("db\0"), "NUL");
    refused(SecretReference.of(""), "empty");
  }

  @Test
  void refusesTraversalInTheKey() {
    refused(SecretReference.of("app", "../../outside"), "'/'");
    refused(SecretReference.of("app", ".."), "segment");
    refused(SecretReference.of("app", "a/b"), "'/'");
    refused(SecretReference.of("app", "/etc/passwd"), "'/'");
    refused(SecretReference.of("app", "pass\0word"), "NUL");
  }

  @Test
  void refusesASymlinkThatLeadsOut() throws Exception {
    Files.createSymbolicLink(store.resolve("link"), tmp.resolve("outside"));
    Files.createSymbolicLink(store.resolve("linkdir"), tmp);
    refused(SecretReference.of("link"), "leads out");
    refused(SecretReference.of("linkdir", "outside"), "leads out");
  }

  @Test
  void refusesAFileOthersMayRead() throws Exception {
    Path file = write(store.resolve("open"), DB, "rw-r--r--");
    SecretException e = refused(SecretReference.of("open"), "rw-r--r--");
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    write(store.resolve("writable"), DB, "rw-----w-");
    refused(SecretReference.of("writable"), "rw-----w-");
  }

  @Test
  void refusesADirectoryGroupOrOthersMayWrite() throws Exception {
    Files.setPosixFilePermissions(store.resolve("app"), PosixFilePermissions.fromString("rwxrwx---"));
    refused(SecretReference.of("app", "password"), "rwxrwx---");
    Files.setPosixFilePermissions(store.resolve("app"), PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxrwxrwx"));
    refused(SecretReference.of("db"), "must not be writable by group or others");
  }

  @Test
  void refusesAMissingFileADirectoryAndATooLargeFile() throws Exception {
    refused(SecretReference.of("nothing"), "no such secret");
    refused(SecretReference.of("app", "nothing"), "no such secret");
    refused(SecretReference.of("app"), "not a regular file");
    Path big = store.resolve("big");
    Files.write(big, new byte[SecretFiles.MAX_BYTES + 1]);
    Files.setPosixFilePermissions(big, PosixFilePermissions.fromString("rw-------"));
    refused(SecretReference.of("big"), "more than");
  }

  @Test
  void refusesARelativeOrMissingDirectory() {
    assertThrows(IllegalArgumentException.class, () -> new FileSecretStore(Path.of("relative")));
    assertThrows(IllegalArgumentException.class, () -> new FileSecretStore(tmp.resolve("none")));
  }

  private SecretException refused(SecretReference ref, String reason) {
    SecretException e = assertThrows(SecretException.class, () -> resolver.resolve(ref));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(e.getMessage().contains("name '" + ref.name() + "'"), e.getMessage());
    ref.key().ifPresent(k -> assertTrue(e.getMessage().contains("key '" + k + "'"), e.getMessage()));
    assertAbsent(e, DB, PASSWORD, OUTSIDE);
    return e;
  }
}
