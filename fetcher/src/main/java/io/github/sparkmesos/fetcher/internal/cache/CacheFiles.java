package io.github.sparkmesos.fetcher.internal.cache;

import io.github.sparkmesos.fetcher.internal.Trees;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** File helpers of the cache (and of the command line, which removes what a failed run fetched). */
public final class CacheFiles {

  private static final SecureRandom RANDOM = new SecureRandom();

  private CacheFiles() {
  }

  /**
   * Deletes {@code path} and, if it is a directory (not a link to one), everything below it; best effort.
   * Read-only directories are made writable first; symlinks are never followed.
   */
  public static void deleteTree(Path path) {
    Trees.deleteQuietly(path);
  }

  /** The SHA-256 of a file's bytes, 64 lowercase hex digits. */
  static String sha256(Path file) throws IOException {
    MessageDigest digest = newSha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  /** 16 random hex digits, for names that must not collide. */
  static String randomSuffix() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The mode bits (type and permissions) of {@code path} itself. */
  static int mode(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
  }

  static void setMode(Path path, int permissions) throws IOException {
    Files.setAttribute(path, "unix:mode", permissions, LinkOption.NOFOLLOW_LINKS);
  }

  static String messageOf(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
