package io.github.sparkmesos.fetcher.internal.cache;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A tar.gz built in memory for the cache tests, and what a sandbox must then look like: every path with
 * its type, permission bits and content hash (or link target).
 */
public final class TestTree {

  static final FileTime MTIME = FileTime.from(Instant.parse("2021-02-03T04:05:06Z"));

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;
  private final Map<String, String> direct = new TreeMap<>();
  private final Map<String, String> linked = new TreeMap<>();

  public TestTree() {
    try {
      tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
  }

  /** The usual test tree: nested directories, an executable, a read-only directory, a symlink. */
  public static TestTree sample() {
    return new TestTree()
        .dir("app", 0755)
        .dir("app/bin", 0750)
        .file("app/bin/run.sh", "#!/bin/sh\necho hello\n", 0755)
        .file("app/conf.txt", "setting=1\n", 0644)
        .file("app/private.key", "secret-ish\n", 0600)
        .dir("app/lib", 0555)
        .file("app/lib/big.bin", random(300_000, 7), 0644)
        .symlink("app/current", "bin/run.sh")
        .file("README", "read me\n", 0644);
  }

  public TestTree dir(String name, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name + "/", TarArchiveEntry.LF_DIR, true);
    entry.setMode(040000 | mode);
    put(entry, null);
    direct.put(name, "dir " + Integer.toOctalString(mode));
    linked.put(name, "dir " + Integer.toOctalString(mode));
    return this;
  }

  public TestTree file(String name, String content, int mode) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), mode);
  }

  public TestTree file(String name, byte[] content, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL, true);
    entry.setMode(0100000 | mode);
    entry.setSize(content.length);
    put(entry, content);
    direct.put(name, "file " + Integer.toOctalString(mode) + " " + sha256(content));
    linked.put(name, "file " + ((mode & 0111) != 0 ? "555" : "444") + " " + sha256(content));
    return this;
  }

  public TestTree symlink(String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
    entry.setLinkName(target);
    entry.setMode(0120777);
    put(entry, null);
    direct.put(name, "link -> " + target);
    linked.put(name, "link -> " + target);
    return this;
  }

  /** The .tar.gz; call once, after the entries. */
  public byte[] tgz() {
    try {
      tar.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A sandbox of hard links to the cache: files 0444, or 0555 if the archive made them executable. */
  public Map<String, String> expectLinked() {
    return linked;
  }

  /** A sandbox of copies: the archive's modes. */
  public Map<String, String> expectCopied() {
    return direct;
  }

  /** Every path below {@code root} described as {@link #expectLinked()} does; links not followed. */
  public static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (p.equals(root)) {
          continue;
        }
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        String name = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          tree.put(name, "link -> " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          tree.put(name, "dir " + Integer.toOctalString(mode));
        } else {
          tree.put(name, "file " + Integer.toOctalString(mode) + " " + sha256(Files.readAllBytes(p)));
        }
      }
    }
    return tree;
  }

  public static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new java.util.Random(seed).nextBytes(data);
    return data;
  }

  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void put(TarArchiveEntry entry, byte[] content) {
    try {
      entry.setModTime(MTIME);
      tar.putArchiveEntry(entry);
      if (content != null) {
        tar.write(content);
      }
      tar.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
