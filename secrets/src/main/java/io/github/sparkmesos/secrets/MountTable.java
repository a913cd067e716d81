package io.github.sparkmesos.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The kernel's table of mounts ({@code /proc/self/mounts}), asked which filesystem holds a path. */
final class MountTable {

  private static final Path MOUNTS = Path.of("/proc/self/mounts");

  private MountTable() {}

  /** Whether the mount that holds {@code path} keeps its files in memory (tmpfs or ramfs). */
  static boolean isMemoryBacked(Path path) {
    try {
      return isMemoryBacked(path, Files.readAllLines(MOUNTS, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return false; // no /proc: nothing is known to be memory-backed
    }
  }

  /** @param mounts lines of {@code /proc/self/mounts}: device, mount point (octal escapes), type, ... */
  static boolean isMemoryBacked(Path path, List<String> mounts) {
    Path target = path.toAbsolutePath().normalize();
    Path best = null;
    String bestType = "";
    for (String line : mounts) {
      String[] fields = line.split(" ");
      if (fields.length < 3) {
        continue;
      }
      Path mountPoint = Path.of(unescape(fields[1]));
      // the last mount of the longest matching point is the one in effect
      if (target.startsWith(mountPoint) && (best == null || mountPoint.getNameCount() >= best.getNameCount())) {
        best = mountPoint;
        bestType = fields[2];
      }
    }
    return bestType.equals("tmpfs") || bestType.equals("ramfs");
  }

  /** The kernel writes a space, tab, newline or backslash in a mount point as a three-digit octal escape. */
  private static String unescape(String field) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
