package io.github.sparkmesos.fetcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every path under a root with its type, mode, size, content hash or link target; links are not followed. */
final class TreeSnapshot {

  private TreeSnapshot() {
  }

  static Map<String, String> of(Path root) {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      paths.forEach(p -> tree.put(root.relativize(p).toString(), describe(p)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tree;
  }

  private static String describe(Path p) {
    try {
      int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      if (Files.isSymbolicLink(p)) {
        return "link -> " + Files.readSymbolicLink(p);
      }
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        return "dir " + Integer.toOctalString(mode & 07777);
      }
      byte[] content = Files.readAllBytes(p);
      return "file " + Integer.toOctalString(mode & 07777) + " " + content.length + " #" + Arrays.hashCode(content)
          + " mtime " + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
