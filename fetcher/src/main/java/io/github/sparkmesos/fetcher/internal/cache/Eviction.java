package io.github.sparkmesos.fetcher.internal.cache;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps the cache under its size: least recently used entries first, and only entries nobody uses (the
 * evictor must get the entry's exclusive lock without waiting; every fetch and materialisation holds a
 * shared or exclusive lock on its entry). Runs under {@code locks/evict.lock}, so two evictors never count
 * the same bytes. Also removes what crashed fills and deletions left behind (staging directories whose key
 * nobody holds, the trash). Best effort: a failure here never fails a fetch.
 */
final class Eviction {

  private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

  private record Candidate(String key, Path dir, long bytes, Instant lastUse) {
  }

  private Eviction() {
  }

  /**
   * Evicts until the cache holds at most {@code maxBytes}; never {@code keep} (the caller's entry, whose
   * exclusive lock this thread holds). Returns the keys evicted.
   */
  @SuppressWarnings("try") // the evict lock is held for the duration of the block
  static List<String> run(CacheLayout layout, long maxBytes, String keep) {
    List<String> evicted = new ArrayList<>();
    try (CacheLocks.Lease ignored = CacheLocks.exclusive(layout.evictLock(), () -> { })) {
      sweep(layout, keep);
      List<Candidate> candidates = new ArrayList<>();
      long total = 0;
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.entries())) {
        for (Path dir : entries) {
          String key = dir.getFileName().toString();
          long bytes = CacheEntry.bytes(dir);
          total += bytes;
          if (KEY.matcher(key).matches() && !key.equals(keep)) {
            candidates.add(new Candidate(key, dir, bytes, CacheEntry.lastUse(dir)));
          }
        }
      }
      if (total <= maxBytes) {
        return evicted;
      }
      candidates.sort(Comparator.comparing(Candidate::lastUse));
      for (Candidate candidate : candidates) {
        if (total <= maxBytes) {
          break;
        }
        try (CacheLocks.Lease lease = CacheLocks.tryExclusive(layout.lockFile(candidate.key()))) {
          if (lease == null || !Files.exists(candidate.dir(), LinkOption.NOFOLLOW_LINKS)) {
            continue; // in use: never evicted
          }
          layout.discard(candidate.dir(), candidate.key());
          total -= candidate.bytes();
          evicted.add(candidate.key());
        }
      }
    } catch (IOException e) {
      // best effort: the cache may stay over its size until the next fill evicts
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return evicted;
  }

  /** Removes the trash and the staging directories of keys nobody holds (left by crashed processes). */
  private static void sweep(CacheLayout layout, String keep) throws IOException {
    try (DirectoryStream<Path> trash = Files.newDirectoryStream(layout.trash())) {
      for (Path path : trash) {
        CacheFiles.deleteTree(path);
      }
    }
    List<Path> staged = new ArrayList<>();
    try (DirectoryStream<Path> staging = Files.newDirectoryStream(layout.staging())) {
      staging.forEach(staged::add);
    }
    for (Path path : staged) {
      String name = path.getFileName().toString();
      int dot = name.indexOf('.');
      String key = dot < 0 ? name : name.substring(0, dot);
      if (!KEY.matcher(key).matches()) {
        CacheFiles.deleteTree(path);
        continue;
      }
      if (key.equals(keep)) {
        continue; // the caller's own staging, if any, is its business
      }
      try (CacheLocks.Lease lease = CacheLocks.tryExclusive(layout.lockFile(key))) {
        if (lease != null) {
          CacheFiles.deleteTree(path);
        }
      }
    }
  }
}
