package io.github.sparkmesos.fetcher.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Best-effort removal of what a failed fetch wrote. Never follows symlinks. */
public final class Trees {

  private Trees() {
  }

  /** Deletes {@code path} and, if it is a directory (not a link to one), everything below it. */
  public static void deleteQuietly(Path path) {
    if (path == null) {
      return;
    }
    try {
      Files.walkFileTree(path, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          makeOwnerAccessible(dir); // a read-only directory from an archive must not block cleanup
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS) && makeOwnerAccessible(file)) {
            deleteQuietly(file); // it could not be listed before
          } else {
            deleteIfExists(file);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
          deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException ignored) {
      // best effort: the fetch is failing already and reports its own reason
    }
  }

  private static boolean makeOwnerAccessible(Path dir) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
      if (permissions.addAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE))) {
        Files.setPosixFilePermissions(dir, permissions);
        return true;
      }
    } catch (IOException | UnsupportedOperationException ignored) {
      // best effort
    }
    return false;
  }

  private static void deleteIfExists(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // best effort
    }
  }
}
