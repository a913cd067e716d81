package io.github.sparkmesos.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileAreaTest {

  @TempDir Path temp;

  private SecretFileArea area(Path sandbox) {
    return SecretFileArea.forSandbox(sandbox, Map.of(SecretFileArea.DIRECTORY_VARIABLE, temp.resolve("shm").toString()));
  }

  @Test
  void aFileIsReadableByItsOwnerOnlyAndGoesWithItsLinkWhenTheTaskEnds() throws IOException {
    Files.createDirectories(temp.resolve("shm"));
    Path sandbox = Files.createDirectories(temp.resolve("sandbox"));
    SecretFileArea area = area(sandbox);
    Path link = sandbox.resolve("keytab");
    Path file;
    try (SecretFileArea.TaskFiles files = area.create()) {
      file = files.write("p4ssw0rd".getBytes(StandardCharsets.UTF_8), Optional.empty());
      files.link(link, file);
      assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(link)));
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.directory())));
      assertArrayEquals("p4ssw0rd".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(link));
      assertTrue(file.startsWith(temp.resolve("shm")));
      assertThrows(FileAlreadyExistsException.class, () -> files.link(link, file));
    }
    assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(file, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void aNewExecutorInTheSameSandboxRemovesWhatTheLastOneLeft() throws IOException {
    Files.createDirectories(temp.resolve("shm"));
    Path sandbox = Files.createDirectories(temp.resolve("sandbox"));
    SecretFileArea.TaskFiles left = area(sandbox).create(); // never closed: its executor was killed
    Path file = left.write(new byte[] {1, 2, 3, 4}, Optional.empty());
    left.link(sandbox.resolve("a"), file);
    Path other = Files.createDirectories(temp.resolve("other-sandbox"));
    assertEquals(0, SecretFileArea.removeLeftovers(other), "another sandbox's executor leaves them alone");
    assertTrue(Files.exists(file));

    assertEquals(1, SecretFileArea.removeLeftovers(sandbox), "found through the record in its sandbox");
    assertFalse(Files.exists(file, LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(sandbox.resolve("a"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void aLinkReplacedByTheTaskIsNotRemoved() throws IOException {
    Files.createDirectories(temp.resolve("shm"));
    Path sandbox = Files.createDirectories(temp.resolve("sandbox"));
    Path link = sandbox.resolve("a");
    try (SecretFileArea.TaskFiles files = area(sandbox).create()) {
      files.link(link, files.write(new byte[] {5, 6, 7, 8}, Optional.empty()));
      Files.delete(link);
      Files.writeString(link, "the task's own file");
    }
    assertEquals("the task's own file", Files.readString(link));
  }

  @Test
  void anAreaOpenToOthersIsRefused() throws IOException {
    Files.createDirectories(temp.resolve("shm"));
    Path sandbox = Files.createDirectories(temp.resolve("sandbox"));
    SecretFileArea area = area(sandbox);
    Files.createDirectory(area.root(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
    Files.setPosixFilePermissions(area.root(), PosixFilePermissions.fromString("rwxrwxrwx"));
    IOException e = assertThrows(IOException.class, area::create);
    assertTrue(e.getMessage().contains("closed to others"), e.getMessage());
  }

  @Test
  void withoutAMemoryBackedDirectoryTheFilesStayInTheSandbox() {
    Path sandbox = temp.resolve("sandbox");
    assertThrows(IllegalArgumentException.class,
        () -> SecretFileArea.forSandbox(sandbox, Map.of(SecretFileArea.DIRECTORY_VARIABLE, "relative")));
    SecretFileArea area = SecretFileArea.forSandbox(sandbox, Map.of());
    assertEquals(area.memoryBacked(), !area.root().startsWith(sandbox));
  }

  @Test
  void theMountTableSaysWhichPathsLiveInMemory() {
    List<String> mounts = List.of("overlay / overlay rw 0 0", "tmpfs /dev/shm tmpfs rw 0 0",
        "/dev/sda1 /dev/shm/disk ext4 rw 0 0", "tmpfs /with\\040space tmpfs rw 0 0");
    assertTrue(MountTable.isMemoryBacked(Path.of("/dev/shm/x"), mounts));
    assertFalse(MountTable.isMemoryBacked(Path.of("/dev/shm/disk/x"), mounts));
    assertFalse(MountTable.isMemoryBacked(Path.of("/tmp"), mounts));
    assertTrue(MountTable.isMemoryBacked(Path.of("/with space/y"), mounts));
  }
}
