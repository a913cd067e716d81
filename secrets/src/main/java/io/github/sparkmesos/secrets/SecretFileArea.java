package io.github.sparkmesos.secrets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an executor writes its tasks' file secrets: a directory of its own on a memory-backed filesystem (the
 * operator's {@value #DIRECTORY_VARIABLE}, else {@code /dev/shm} when it is a tmpfs), else under the sandbox. The
 * directory's name comes from the sandbox's path, so a new executor started in the same sandbox finds what an
 * earlier one left (after a SIGKILL) and removes it: each task's files, and the links that pointed at them.
 *
 * <p>Layout: {@code <base>/spark-mesos-executor-<hash of sandbox>/} (mode 0711: no one else lists it), then
 * {@code <n>/} (mode 0700, given to the task's user with its files) per task, holding its files (mode 0400) and
 * {@value #LINKS}, the paths of the links made to them, one per line.
 */
public final class SecretFileArea {

  /** The operator's memory-backed directory for file secrets. */
  public static final String DIRECTORY_VARIABLE = "SPARK_MESOS_EXECUTOR_SECRET_DIR";

  static final String LINKS = ".links";
  /** In the sandbox: the area's path, written when the area is first made, so a later executor finds it with a stat. */
  static final String RECORD = ".spark-mesos-executor-secret-area";
  private static final Path SHM = Path.of("/dev/shm");

  private final Path root;
  private final boolean memoryBacked;
  private final Path record;
  private int nextTask;

  /** @param record where the area's path is kept for a later executor of the same sandbox */
  SecretFileArea(Path root, boolean memoryBacked, Path record) {
    this.root = root;
    this.memoryBacked = memoryBacked;
    this.record = record;
  }

  /**
   * The area of the executor whose sandbox is {@code sandbox}.
   *
   * @param env the executor's environment ({@value #DIRECTORY_VARIABLE})
   * @throws IllegalArgumentException naming the variable when it names no directory
   */
  public static SecretFileArea forSandbox(Path sandbox, Map<String, String> env) {
    String name = "spark-mesos-executor-" + hash(sandbox.toAbsolutePath().normalize().toString());
    String chosen = env.get(DIRECTORY_VARIABLE);
    if (chosen != null && !chosen.isEmpty()) {
      Path base = Path.of(chosen);
      if (!base.isAbsolute() || !Files.isDirectory(base)) {
        throw new IllegalArgumentException(DIRECTORY_VARIABLE + "=" + chosen + " must name an existing directory");
      }
      return new SecretFileArea(base.resolve(name), true, sandbox.resolve(RECORD));
    }
    if (Files.isDirectory(SHM) && Files.isWritable(SHM) && MountTable.isMemoryBacked(SHM)) {
      return new SecretFileArea(SHM.resolve(name), true, sandbox.resolve(RECORD));
    }
    return new SecretFileArea(sandbox.resolve(".secrets"), false, sandbox.resolve(RECORD));
  }

  /** Whether the files live in memory (a tmpfs or ramfs), not on the sandbox's disk. */
  public boolean memoryBacked() {
    return memoryBacked;
  }

  public Path root() {
    return root;
  }

  /**
   * Removes what an earlier executor of {@code sandbox} left, found through the record it wrote there: one stat
   * when there is none, so an executor's start pays nothing for it.
   *
   * @return how many files were removed
   * @throws IOException when the recorded area is not this user's own directory, or cannot be cleared
   */
  public static int removeLeftovers(Path sandbox) throws IOException {
    Path record = sandbox.resolve(RECORD);
    if (!Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    String root = Files.readString(record, StandardCharsets.UTF_8).strip();
    return root.isEmpty() ? 0 : new SecretFileArea(Path.of(root), false, record).removeLeftovers();
  }

  /**
   * Removes what an earlier executor of this sandbox left: every task's links and files. Call once, before the
   * first task.
   *
   * @return how many files were removed
   * @throws IOException when the area is not this user's own directory, or cannot be cleared
   */
  public synchronized int removeLeftovers() throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    checkOwnDirectory(root);
    int removed = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(root)) {
      for (Path task : tasks) {
        removed += new TaskFiles(task).removeAll();
      }
    }
    return removed;
  }

  /** A new directory for one task's files. */
  public synchronized TaskFiles create() throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.createDirectories(root.getParent());
        // traversable, never listable: a task of another user reaches its own directory, given to it, only
        Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
      } catch (FileAlreadyExistsException e) {
        // made concurrently: checked below
      }
      Files.writeString(record, root + "\n", StandardCharsets.UTF_8);
    }
    checkOwnDirectory(root);
    while (true) {
      Path dir = root.resolve(Integer.toString(nextTask++));
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return new TaskFiles(dir);
      } catch (FileAlreadyExistsException e) {
        // a leftover not yet removed: take the next number
      }
    }
  }

  /**
   * A shared directory such as /dev/shm lets anyone create a name first: the area must be a real directory of
   * this user's, closed to others.
   */
  private static void checkOwnDirectory(Path dir) throws IOException {
    PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    String me = System.getProperty("user.name");
    String mode = PosixFilePermissions.toString(attrs.permissions());
    if (!attrs.isDirectory() || !attrs.owner().getName().equals(me) || !mode.substring(3).matches("-{2}[-x]-{2}[-x]")) {
      throw new IOException(dir + " is not a directory of " + me + " closed to others (owner " + attrs.owner().getName()
          + ", mode " + PosixFilePermissions.toString(attrs.permissions()) + "): refusing to keep secrets there");
    }
  }

  /** One task's secret files and the links made to them. */
  public static final class TaskFiles implements AutoCloseable {
    private final Path dir;
    private final List<Path> files = new ArrayList<>();

    TaskFiles(Path dir) {
      this.dir = dir;
    }

    public Path directory() {
      return dir;
    }

    /**
     * Writes a secret to a new file of mode 0400 (readable by its owner only) in this task's directory.
     *
     * @param owner the user the file is given to, when not this process's own (needs root)
     */
    public synchronized Path write(byte[] value, Optional<String> owner) throws IOException {
      Path file = dir.resolve("secret-" + files.size());
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS)) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        out.write(value);
      }
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
      if (owner.isPresent()) {
        Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner.get()));
      }
      files.add(file);
      return file;
    }

    /**
     * Makes {@code link} a symbolic link to {@code file} (made by {@link #write}), recorded first so that it is
     * removed with the files even if this executor dies. The link's directory must exist.
     *
     * @throws FileAlreadyExistsException when something is at {@code link} already
     */
    public synchronized void link(Path link, Path file) throws IOException {
      Files.writeString(dir.resolve(LINKS), link + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      Files.createSymbolicLink(link, file);
    }

    /** Removes the links (those still pointing here), the files and the directory. */
    @Override
    public void close() throws IOException {
      removeAll();
    }

    synchronized int removeAll() throws IOException {
      Path links = dir.resolve(LINKS);
      if (Files.exists(links, LinkOption.NOFOLLOW_LINKS)) {
        for (String line : Files.readAllLines(links, StandardCharsets.UTF_8)) {
          if (!line.isEmpty()) {
            removeLinkInto(Path.of(line));
          }
        }
      }
      int removed = 0;
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          Files.delete(entry);
          removed += entry.equals(links) ? 0 : 1;
        }
      } catch (NoSuchFileException e) {
        return 0;
      }
      Files.deleteIfExists(dir);
      files.clear();
      return removed;
    }

    /** A link is removed only while it still points into this task's directory: anything else is not ours. */
    private void removeLinkInto(Path link) throws IOException {
      if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).startsWith(dir)) {
        Files.deleteIfExists(link);
      }
    }
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
