package io.github.sparkmesos.fetcher.internal.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where things are in the cache directory:
 * <pre>
 *   entries/&lt;key&gt;/          published entries (see {@link CacheEntry})
 *   staging/&lt;key&gt;.&lt;n&gt;/      fills and tree rebuilds in progress; renamed into entries/ when complete
 *   trash/&lt;key&gt;.&lt;n&gt;/        entries and trees being deleted
 *   locks/&lt;key&gt;.lock       one lock file per key, never deleted
 *   locks/evict.lock        held while evicting
 * </pre>
 */
final class CacheLayout {

  private final Path root;
  private final Path entries;
  private final Path staging;
  private final Path trash;
  private final Path locks;

  private CacheLayout(Path root) {
    this.root = root;
    this.entries = root.resolve("entries");
    this.staging = root.resolve("staging");
    this.trash = root.resolve("trash");
    this.locks = root.resolve("locks");
  }

  /** Creates the directories if needed; the root is resolved to its real path (one lock table key per file). */
  static CacheLayout open(Path directory) throws IOException {
    Files.createDirectories(directory);
    CacheLayout layout = new CacheLayout(directory.toRealPath());
    Files.createDirectories(layout.entries);
    Files.createDirectories(layout.staging);
    Files.createDirectories(layout.trash);
    Files.createDirectories(layout.locks);
    return layout;
  }

  Path root() {
    return root;
  }

  Path entries() {
    return entries;
  }

  Path staging() {
    return staging;
  }

  Path trash() {
    return trash;
  }

  Path entry(String key) {
    return entries.resolve(key);
  }

  Path lockFile(String key) {
    return locks.resolve(key + ".lock");
  }

  Path evictLock() {
    return locks.resolve("evict.lock");
  }

  /** A new, empty staging directory for {@code key}. */
  Path newStaging(String key) throws IOException {
    return Files.createTempDirectory(staging, key + ".");
  }

  /** Moves {@code path} into the trash (one rename), then deletes it; best effort. */
  void discard(Path path, String key) {
    Path target = trash.resolve(key + "." + CacheFiles.randomSuffix());
    try {
      Files.move(path, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      target = path; // delete it where it is
    }
    CacheFiles.deleteTree(target);
  }
}
