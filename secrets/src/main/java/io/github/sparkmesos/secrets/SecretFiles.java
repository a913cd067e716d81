package io.github.sparkmesos.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Reads a file that holds a secret (a value, or a store's token) with the checks ssh makes of a private key:
 * a regular file, neither readable nor writable by others, and at most {@value #MAX_BYTES} bytes. Messages name
 * the file and its mode, never its content.
 */
final class SecretFiles {

  static final int MAX_BYTES = 1 << 20;

  private SecretFiles() {}

  /**
   * The content of {@code file}, which must already be a real path (symlinks followed).
   *
   * @throws IOException naming the file when a check fails
   */
  static byte[] read(Path file) throws IOException {
    PosixFileAttributes attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attrs.isRegularFile()) {
      throw new IOException(file + " is not a regular file");
    }
    Set<PosixFilePermission> mode = attrs.permissions();
    if (mode.contains(PosixFilePermission.OTHERS_READ) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(file + " has mode " + PosixFilePermissions.toString(mode)
          + ": a secret file must not be readable or writable by others");
    }
    if (attrs.size() > MAX_BYTES) {
      throw new IOException(file + " has " + attrs.size() + " bytes, more than the " + MAX_BYTES + " allowed");
    }
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] content = in.readNBytes(MAX_BYTES + 1);
      if (content.length > MAX_BYTES) {
        throw new IOException(file + " grew past the " + MAX_BYTES + " bytes allowed");
      }
      return content;
    }
  }

  /**
   * Checks that {@code dir} (a real path) is a directory that neither group nor others may write.
   *
   * @throws IOException naming the directory and its mode
   */
  static void checkDirectory(Path dir) throws IOException {
    PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attrs.isDirectory()) {
      throw new IOException(dir + " is not a directory");
    }
    Set<PosixFilePermission> mode = attrs.permissions();
    if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(dir + " has mode " + PosixFilePermissions.toString(mode)
          + ": a secret directory must not be writable by group or others");
    }
  }
}
