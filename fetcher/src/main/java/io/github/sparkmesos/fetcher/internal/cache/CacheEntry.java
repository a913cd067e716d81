package io.github.sparkmesos.fetcher.internal.cache;

import io.github.sparkmesos.fetcher.internal.ArchiveFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

/**
 * A published entry, {@code entries/<key>/}:
 * <pre>
 *   entry.properties        the redacted URI, the user, the archive's SHA-256, size, mtime, mode and inode
 *   archive                 the raw bytes of the resource, 0444
 *   tree-&lt;FORMAT&gt;/          the extracted tree (files 0444 or 0555, directories 0755), for archives
 *   tree-&lt;FORMAT&gt;.list      its {@link TreeList}; written after the tree, so a tree without a list is incomplete
 *   used                    empty; its mtime is the last use (LRU eviction)
 * </pre>
 * The properties are written before the staging directory is renamed to {@code entries/<key>}, so a
 * published directory is complete. Read and used under the entry's shared lock; changed only under its
 * exclusive lock.
 */
final class CacheEntry {

  static final String PROPERTIES = "entry.properties";
  static final String ARCHIVE = "archive";
  static final String USED = "used";
  private static final String STAT = "unix:mode,size,lastModifiedTime,ino";

  private final Path dir;
  private final String sha256;
  private final long archiveSize;
  private final Instant archiveMtime;
  private final int archiveMode;
  private final long archiveInode;

  private CacheEntry(Path dir, String sha256, long archiveSize, Instant archiveMtime, int archiveMode,
            long archiveInode) {
    this.dir = dir;
    this.sha256 = sha256;
    this.archiveSize = archiveSize;
    this.archiveMtime = archiveMtime;
    this.archiveMode = archiveMode;
    this.archiveInode = archiveInode;
  }

  /** The entry in {@code dir}; null if there is none. */
  static CacheEntry read(Path dir) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(dir.resolve(PROPERTIES))) {
      p.load(in);
    } catch (NoSuchFileException e) {
      return null;
    }
    try {
      return new CacheEntry(dir, require(p, "sha256"), Long.parseLong(require(p, "archive.size")),
          Instant.parse(require(p, "archive.mtime")), Integer.parseInt(require(p, "archive.mode"), 8),
          Long.parseLong(require(p, "archive.inode")));
    } catch (RuntimeException e) {
      throw new IOException("corrupt " + dir.resolve(PROPERTIES) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Completes a staged entry: makes the archive read-only and writes the properties and the use marker.
   * The caller then renames {@code stage} to {@code entries/<key>}.
   */
  static void complete(Path stage, String uri, String user, String sha256) throws IOException {
    Path archive = stage.resolve(ARCHIVE);
    CacheFiles.setMode(archive, TreeList.READ_ONLY);
    Map<String, Object> stat = Files.readAttributes(archive, STAT, LinkOption.NOFOLLOW_LINKS);
    Properties p = new Properties();
    p.setProperty("version", "1");
    p.setProperty("uri", uri);
    if (user != null) {
      p.setProperty("user", user);
    }
    p.setProperty("sha256", sha256);
    p.setProperty("archive.size", String.valueOf(stat.get("size")));
    p.setProperty("archive.mtime", ((FileTime) stat.get("lastModifiedTime")).toInstant().toString());
    p.setProperty("archive.mode", Integer.toOctalString((Integer) stat.get("mode") & 07777));
    p.setProperty("archive.inode", String.valueOf(stat.get("ino")));
    p.setProperty("created", Instant.now().toString());
    try (OutputStream out = Files.newOutputStream(stage.resolve(PROPERTIES))) {
      p.store(out, "spark-mesos fetch cache entry");
    }
    Files.createFile(stage.resolve(USED));
  }

  Path dir() {
    return dir;
  }

  Path archive() {
    return dir.resolve(ARCHIVE);
  }

  String sha256() {
    return sha256;
  }

  long archiveSize() {
    return archiveSize;
  }

  /** Whether the archive is still the published file (stat only; {@link #sha256()} is checked on rebuilds). */
  boolean archiveIntact() {
    try {
      Map<String, Object> stat = Files.readAttributes(archive(), STAT, LinkOption.NOFOLLOW_LINKS);
      return (Integer) stat.get("mode") == (0100000 | archiveMode)
          && (Long) stat.get("size") == archiveSize
          && (Long) stat.get("ino") == archiveInode
          && ((FileTime) stat.get("lastModifiedTime")).toInstant().equals(archiveMtime);
    } catch (IOException e) {
      return false;
    }
  }

  static String treeName(ArchiveFormat format) {
    return "tree-" + format.name();
  }

  Path treeDir(ArchiveFormat format) {
    return dir.resolve(treeName(format));
  }

  Path treeList(ArchiveFormat format) {
    return dir.resolve(treeName(format) + ".list");
  }

  /** The list of the tree for {@code format}, or null if there is no complete one. */
  TreeList tree(ArchiveFormat format) {
    try {
      return Files.isDirectory(treeDir(format), LinkOption.NOFOLLOW_LINKS) ? TreeList.read(treeList(format)) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Records a use now (the LRU clock). */
  void touch() {
    try {
      Files.setLastModifiedTime(dir.resolve(USED), FileTime.from(Instant.now()));
    } catch (IOException e) {
      try {
        Files.createFile(dir.resolve(USED));
      } catch (IOException ignored) {
        // the entry then looks old to eviction, which is safe
      }
    }
  }

  /** The last use of the entry in {@code dir}, for eviction; the epoch if unknown. */
  static Instant lastUse(Path dir) {
    try {
      return Files.getLastModifiedTime(dir.resolve(USED), LinkOption.NOFOLLOW_LINKS).toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }

  /** Bytes the entry in {@code dir} holds: the archive and every tree; 0 if unknown. */
  static long bytes(Path dir) {
    long total = 0;
    try {
      CacheEntry entry = read(dir);
      total = entry == null ? 0 : entry.archiveSize;
    } catch (IOException e) {
      return 0;
    }
    try (DirectoryStream<Path> lists = Files.newDirectoryStream(dir, "tree-*.list")) {
      for (Path list : lists) {
        total += TreeList.bytesOf(list);
      }
    } catch (IOException ignored) {
      // counted what could be read
    }
    return total;
  }

  private static String require(Properties p, String name) {
    String value = p.getProperty(name);
    if (value == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return value;
  }
}
