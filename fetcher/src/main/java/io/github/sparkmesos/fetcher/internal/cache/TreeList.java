package io.github.sparkmesos.fetcher.internal.cache;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The manifest of an extracted tree in the cache: every directory, file and symlink, parents before
 * children, with what a materialisation needs (original modes, mtimes, link targets) and what the
 * integrity check compares (for files: type and mode, size, mtime to the nanosecond, inode number).
 *
 * <p>File format ({@code tree-<FORMAT>.list}, UTF-8, names URL-encoded):
 * <pre>
 *   tree-list 1 &lt;bytes&gt; &lt;count&gt;
 *   d &lt;path&gt; &lt;mode&gt; &lt;mtime&gt;
 *   f &lt;path&gt; &lt;mode&gt; &lt;mtime&gt; &lt;size&gt; &lt;cache mode&gt; &lt;inode&gt;
 *   l &lt;path&gt; &lt;target&gt; &lt;mtime&gt;
 * </pre>
 * (tab-separated; modes octal; mtimes as ISO-8601 instants).
 */
final class TreeList {

  static final String HEADER = "tree-list";
  static final int READ_ONLY = 0444;
  static final int READ_ONLY_EXECUTABLE = 0555;
  private static final int TYPE_MASK = 0170000;
  private static final int TYPE_REGULAR = 0100000;
  private static final int TYPE_DIRECTORY = 0040000;
  private static final int TYPE_SYMLINK = 0120000;
  private static final String STAT = "unix:mode,size,lastModifiedTime,ino";

  enum Kind { DIRECTORY, FILE, SYMLINK }

  /**
   * One path of the tree.
   *
   * @param path      relative to the tree root, '/'-separated
   * @param mode      the permission bits the archive gave it (07777)
   * @param cacheMode files: the cache's read-only mode, 0444 or 0555
   * @param target    symlinks: the link target
   */
  record Node(Kind kind, String path, int mode, Instant mtime, long size, int cacheMode, long inode, String target) {
  }

  private final List<Node> nodes;
  private final long bytes;

  private TreeList(List<Node> nodes, long bytes) {
    this.nodes = Collections.unmodifiableList(nodes);
    this.bytes = bytes;
  }

  List<Node> nodes() {
    return nodes;
  }

  /** The sum of the file sizes. */
  long bytes() {
    return bytes;
  }

  /**
   * Lists the tree below {@code root} (links not followed). Directories are made 0755 in passing (their
   * modes are recorded and applied in sandboxes; the cache's own copies only need to be traversable).
   */
  static TreeList scan(Path root) throws IOException {
    List<Node> nodes = new ArrayList<>();
    long bytes = 0;
    Deque<Path> pending = new ArrayDeque<>();
    pending.push(root);
    while (!pending.isEmpty()) {
      Path dir = pending.pop();
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
        list.forEach(children::add);
      }
      children.sort(null);
      List<Path> subdirectories = new ArrayList<>();
      for (Path child : children) {
        String path = root.relativize(child).toString();
        Map<String, Object> stat = Files.readAttributes(child, STAT, LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) stat.get("mode");
        Instant mtime = ((FileTime) stat.get("lastModifiedTime")).toInstant();
        int type = mode & TYPE_MASK;
        if (type == TYPE_SYMLINK) {
          nodes.add(new Node(Kind.SYMLINK, path, 0777, mtime, 0, 0, 0,
              Files.readSymbolicLink(child).toString()));
        } else if (type == TYPE_DIRECTORY) {
          nodes.add(new Node(Kind.DIRECTORY, path, mode & 07777, mtime, 0, 0, 0, null));
          if ((mode & 07777) != 0755) {
            CacheFiles.setMode(child, 0755);
          }
          subdirectories.add(child);
        } else if (type == TYPE_REGULAR) {
          long size = (Long) stat.get("size");
          int cacheMode = (mode & 0111) != 0 ? READ_ONLY_EXECUTABLE : READ_ONLY;
          nodes.add(new Node(Kind.FILE, path, mode & 07777, mtime, size, cacheMode, (Long) stat.get("ino"),
              null));
          bytes += size;
        } else {
          throw new IOException("'" + path + "' is neither a file, a directory nor a symlink");
        }
      }
      // depth first, parents before children: push in reverse so the first subdirectory comes next
      for (int i = subdirectories.size() - 1; i >= 0; i--) {
        pending.push(subdirectories.get(i));
      }
    }
    return new TreeList(nodes, bytes);
  }

  /** Makes every file of the tree read-only (0444, or 0555 if it was executable), as recorded. */
  void makeReadOnly(Path root) throws IOException {
    for (Node node : nodes) {
      if (node.kind() == Kind.FILE) {
        CacheFiles.setMode(root.resolve(node.path()), node.cacheMode());
      }
    }
  }

  /**
   * Whether every file is still what was published: a regular file with the cache's mode, size, mtime and
   * inode. A stat per file, no hashing. A task that writes through its hard link changes the mtime (and
   * usually the size); one that makes its link writable changes the mode of the shared inode.
   */
  boolean intact(Path root) {
    for (Node node : nodes) {
      if (node.kind() != Kind.FILE) {
        continue;
      }
      Map<String, Object> stat;
      try {
        stat = Files.readAttributes(root.resolve(node.path()), STAT, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        return false;
      }
      if ((Integer) stat.get("mode") != (TYPE_REGULAR | node.cacheMode())
          || (Long) stat.get("size") != node.size()
          || (Long) stat.get("ino") != node.inode()
          || !((FileTime) stat.get("lastModifiedTime")).toInstant().equals(node.mtime())) {
        return false;
      }
    }
    return true;
  }

  /** Writes the list to {@code file} through a temporary file and a rename. */
  void write(Path file) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + "." + CacheFiles.randomSuffix() + ".tmp");
    try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
      out.write(HEADER + "\t1\t" + bytes + "\t" + nodes.size() + "\n");
      for (Node node : nodes) {
        switch (node.kind()) {
          case DIRECTORY -> out.write("d\t" + encode(node.path()) + "\t" + Integer.toOctalString(node.mode())
              + "\t" + node.mtime() + "\n");
          case FILE -> out.write("f\t" + encode(node.path()) + "\t" + Integer.toOctalString(node.mode())
              + "\t" + node.mtime() + "\t" + node.size() + "\t" + Integer.toOctalString(node.cacheMode())
              + "\t" + node.inode() + "\n");
          case SYMLINK -> out.write("l\t" + encode(node.path()) + "\t" + encode(node.target()) + "\t"
              + node.mtime() + "\n");
          default -> throw new IllegalStateException(node.kind().toString());
        }
      }
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads a list written by {@link #write}; null if there is none. */
  static TreeList read(Path file) throws IOException {
    List<Node> nodes = new ArrayList<>();
    long bytes;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String[] header = split(in.readLine(), 4);
      if (!header[0].equals(HEADER) || !header[1].equals("1")) {
        throw new IOException("not a tree list: " + file);
      }
      bytes = Long.parseLong(header[2]);
      int count = Integer.parseInt(header[3]);
      for (int i = 0; i < count; i++) {
        nodes.add(parse(in.readLine(), file));
      }
    } catch (NoSuchFileException e) {
      return null;
    } catch (RuntimeException e) {
      throw new IOException("corrupt tree list " + file + ": " + e, e);
    }
    return new TreeList(nodes, bytes);
  }

  /** The byte count in the header of a list, or 0 if it cannot be read. */
  static long bytesOf(Path file) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return Long.parseLong(split(in.readLine(), 4)[2]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static Node parse(String line, Path file) throws IOException {
    if (line == null) {
      throw new IOException("truncated tree list " + file);
    }
    char type = line.charAt(0);
    switch (type) {
      case 'd': {
        String[] f = split(line, 4);
        return new Node(Kind.DIRECTORY, checked(decode(f[1])), Integer.parseInt(f[2], 8), Instant.parse(f[3]),
            0, 0, 0, null);
      }
      case 'f': {
        String[] f = split(line, 7);
        return new Node(Kind.FILE, checked(decode(f[1])), Integer.parseInt(f[2], 8), Instant.parse(f[3]),
            Long.parseLong(f[4]), Integer.parseInt(f[5], 8), Long.parseLong(f[6]), null);
      }
      case 'l': {
        String[] f = split(line, 4);
        return new Node(Kind.SYMLINK, checked(decode(f[1])), 0777, Instant.parse(f[3]), 0, 0, 0, decode(f[2]));
      }
      default:
        throw new IOException("unknown entry '" + type + "' in tree list " + file);
    }
  }

  /** A listed path must stay inside the tree: relative, normalized, no "..". */
  private static String checked(String path) throws IOException {
    Path p = Path.of(path);
    if (path.isEmpty() || p.isAbsolute() || !p.normalize().equals(p) || p.startsWith("..")) {
      throw new IOException("invalid path in tree list: " + path);
    }
    return path;
  }

  private static String[] split(String line, int fields) {
    String[] f = line.split("\t", -1);
    if (f.length != fields) {
      throw new IllegalArgumentException("expected " + fields + " fields, got " + f.length);
    }
    return f;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
