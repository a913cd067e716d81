package io.github.sparkmesos.fetcher.internal.cache;

import io.github.sparkmesos.fetcher.FetchProgress;
import io.github.sparkmesos.fetcher.FetchRequest;
import io.github.sparkmesos.fetcher.internal.ArchiveFormat;
import io.github.sparkmesos.fetcher.internal.Download;
import io.github.sparkmesos.fetcher.internal.FetchPlan;
import io.github.sparkmesos.fetcher.internal.StepException;
import io.github.sparkmesos.fetcher.internal.UriRedactor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * One fetch through the cache.
 *
 * <ol>
 *   <li>Under the entry's <b>shared</b> lock: if the entry is published, its archive unchanged and (for an
 *       archive to extract) its tree for this format complete and unchanged (a stat per file, see
 *       {@link TreeList#intact}), record the use and materialise it. The shared lock is held until the
 *       sandbox is complete, so eviction and repairs wait.</li>
 *   <li>Otherwise, under the entry's <b>exclusive</b> lock (concurrent fetches of the same entry wait here,
 *       in any process): look again, then
 *       <ul>
 *         <li>remove stale staging directories of this key (a crashed fill), and the entry if its archive
 *             changed;</li>
 *         <li>if the tree is missing or changed: rebuild it from the kept archive, whose SHA-256 is checked
 *             again (a mismatch discards the entry);</li>
 *         <li>if there is no entry: download once into {@code staging/<key>.<n>}, keeping the raw bytes and
 *             extracting in the same pass, verify the expected checksum, make the files read-only, write the
 *             manifests and publish with one rename;</li>
 *         <li>materialise; then evict least recently used entries beyond the size limit.</li>
 *       </ul>
 *       An entry bigger than the whole cache is materialised from its staging directory and not kept.</li>
 * </ol>
 * A failure leaves no entry and no staging directory behind. Problems of the cache itself before anything was
 * transferred (locks not supported, directories not writable) make the fetch bypass the cache.
 */
final class CachedFetch {

  /** The cache cannot be used; nothing was transferred yet. */
  private static final class Unusable extends Exception {
    private static final long serialVersionUID = 1L;

    Unusable(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  /** A filled staging directory, not yet published. */
  private record Staged(Path dir, Path archive, Path treeDir, TreeList tree, String sha256, long archiveSize) {
    long bytes() {
      return archiveSize + (tree == null ? 0 : tree.bytes());
    }
  }

  private final FetchCache cache;
  private final CacheLayout layout;
  private final FetchRequest request;
  private final FetchPlan plan;
  private final String uri;
  private final FetchProgress progress;
  private final CacheEvents events;
  private final String key;
  private final ArchiveFormat format;
  private boolean reportedWait;

  CachedFetch(FetchCache cache, CacheLayout layout, FetchRequest request, FetchPlan plan, String uri,
        FetchProgress progress, CacheEvents events) {
    this.cache = cache;
    this.layout = layout;
    this.request = request;
    this.plan = plan;
    this.uri = uri;
    this.progress = progress;
    this.events = events;
    this.key = CacheKey.of(request, plan.expectedSha256());
    this.format = plan.format();
  }

  @SuppressWarnings("try") // the leases are held for the duration of their blocks
  FetchCache.Result run() throws StepException {
    try {
      try (CacheLocks.Lease shared = lock(true)) {
        FetchCache.Result hit = useIfIntact();
        if (hit != null) {
          return hit;
        }
      }
      try (CacheLocks.Lease exclusive = lock(false)) {
        return fillRepairAndUse();
      }
    } catch (Unusable e) {
      events.bypassing(uri, e.getMessage());
      return cache.direct(plan, uri, progress);
    }
  }

  private CacheLocks.Lease lock(boolean shared) throws Unusable, StepException {
    Path file = layout.lockFile(key);
    try {
      return shared ? CacheLocks.shared(file, this::waiting) : CacheLocks.exclusive(file, this::waiting);
    } catch (IOException e) {
      throw new Unusable("cannot lock the cache entry: " + CacheFiles.messageOf(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepException("interrupted while waiting for another fetch of the same URI");
    }
  }

  private void waiting() {
    if (!reportedWait) {
      reportedWait = true;
      events.waiting(uri);
    }
  }

  /** Step 1, under the shared lock: the entry as it is, or null. */
  private FetchCache.Result useIfIntact() throws StepException {
    CacheEntry entry;
    try {
      entry = CacheEntry.read(layout.entry(key));
    } catch (IOException e) {
      return null; // broken: the exclusive step discards it
    }
    if (entry == null || !entry.archiveIntact()) {
      return null;
    }
    TreeList tree = null;
    if (hasTree()) {
      tree = entry.tree(format);
      if (tree == null || !tree.intact(entry.treeDir(format))) {
        return null;
      }
    }
    entry.touch();
    return materialise(entry.archive(), hasTree() ? entry.treeDir(format) : null, tree, entry.sha256(),
        entry.archiveSize(), true);
  }

  /** Step 2, under the exclusive lock. */
  private FetchCache.Result fillRepairAndUse() throws StepException, Unusable {
    removeOwnStaging();
    Path dir = layout.entry(key);
    CacheEntry entry;
    try {
      entry = CacheEntry.read(dir);
    } catch (IOException e) {
      entry = null;
    }
    if (entry == null || !entry.archiveIntact()) {
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        layout.discard(dir, key); // broken, or a task wrote to the archive through a link
      }
      entry = null;
    }
    TreeList tree = null;
    if (entry != null && hasTree()) {
      tree = entry.tree(format);
      if (tree == null || !tree.intact(entry.treeDir(format))) {
        tree = rebuildTree(entry);
        if (tree == null) {
          entry = null;
        }
      }
    }
    boolean transferred = false;
    if (entry == null) {
      Staged staged = fill();
      transferred = true;
      CacheEntry published = staged.bytes() <= cache.maxBytes() ? publish(staged) : null;
      if (published == null) { // bigger than the whole cache, or it could not be published: not kept
        try {
          return materialise(staged.archive(), staged.treeDir(), staged.tree(), staged.sha256(),
              staged.archiveSize(), false);
        } finally {
          CacheFiles.deleteTree(staged.dir());
        }
      }
      entry = published;
      tree = staged.tree();
    }
    entry.touch();
    FetchCache.Result result = materialise(entry.archive(), hasTree() ? entry.treeDir(format) : null, tree,
        entry.sha256(), entry.archiveSize(), !transferred);
    Eviction.run(layout, cache.maxBytes(), key);
    return result;
  }

  /** Downloads the resource once into a staging directory: the raw archive and, for archives, the tree. */
  private Staged fill() throws StepException, Unusable {
    Path stage;
    try {
      stage = layout.newStaging(key);
    } catch (IOException e) {
      throw new Unusable("cannot create a staging directory in the cache: " + CacheFiles.messageOf(e), e);
    }
    boolean done = false;
    try {
      Path archive = stage.resolve(CacheEntry.ARCHIVE);
      Path treeDir = null;
      Download.Outcome outcome;
      FetchRequest fill = canonicalRequest(request.uri(), request.sha256(), request.user());
      if (hasTree()) {
        treeDir = Files.createDirectory(stage.resolve(CacheEntry.treeName(format)));
        outcome = Download.run(cache.sources(), cache.options(), FetchPlan.of(fill, treeDir), treeDir, archive,
            uri, progress);
      } else {
        outcome = Download.run(cache.sources(), cache.options(), FetchPlan.of(fill, stage), stage, null, uri,
            progress);
        Files.move(outcome.target(), archive, StandardCopyOption.ATOMIC_MOVE);
      }
      String sha256 = outcome.sha256() != null ? outcome.sha256() : CacheFiles.sha256(archive);
      String expected = plan.expectedSha256(); // verified by the download already; checked again before publishing
      if (expected != null && !expected.equals(sha256)) {
        throw new StepException("sha256 mismatch: expected " + expected + ", got " + sha256);
      }
      TreeList tree = hasTree() ? TreeList.scan(treeDir) : null;
      Staged staged = new Staged(stage, archive, treeDir, tree, sha256, Files.size(archive));
      done = true;
      return staged;
    } catch (IOException e) {
      throw new StepException("cannot fill the cache entry: " + CacheFiles.messageOf(e), e);
    } finally {
      if (!done) {
        CacheFiles.deleteTree(stage);
      }
    }
  }

  /** Makes a staged fill read-only, writes its manifests and renames it into place; null if that fails. */
  private CacheEntry publish(Staged staged) {
    try {
      if (staged.tree() != null) {
        staged.tree().makeReadOnly(staged.treeDir());
        staged.tree().write(staged.dir().resolve(CacheEntry.treeName(format) + ".list"));
      }
      CacheEntry.complete(staged.dir(), UriRedactor.redact(request.uri().strip()), request.user(),
          staged.sha256());
      Path dir = layout.entry(key);
      Files.move(staged.dir(), dir, StandardCopyOption.ATOMIC_MOVE);
      return CacheEntry.read(dir);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Rebuilds the tree of {@code format} from the entry's archive (a changed or missing tree, or a format
   * this entry has no tree for yet). Returns null, having discarded the entry, if the archive no longer has
   * its SHA-256.
   */
  private TreeList rebuildTree(CacheEntry entry) throws StepException, Unusable {
    Path stage;
    try {
      stage = layout.newStaging(key);
    } catch (IOException e) {
      throw new Unusable("cannot create a staging directory in the cache: " + CacheFiles.messageOf(e), e);
    }
    try {
      Path treeDir = Files.createDirectory(stage.resolve(CacheEntry.treeName(format)));
      String archive = entry.archive().toString();
      Download.Outcome outcome;
      try {
        outcome = Download.run(cache.sources(), cache.options(),
            FetchPlan.of(canonicalRequest(archive, entry.sha256(), null), treeDir), treeDir, null, archive,
            FetchProgress.NONE);
      } catch (StepException e) {
        if (!entry.sha256().equals(CacheFiles.sha256(entry.archive()))) {
          layout.discard(entry.dir(), key);
          return null;
        }
        throw new StepException("cannot rebuild the cached tree from the kept archive: " + e.getMessage(), e);
      }
      String sha256 = outcome.sha256() != null ? outcome.sha256() : CacheFiles.sha256(entry.archive());
      if (!entry.sha256().equals(sha256)) {
        layout.discard(entry.dir(), key);
        return null;
      }
      TreeList tree = TreeList.scan(treeDir);
      tree.makeReadOnly(treeDir);
      Path list = stage.resolve(CacheEntry.treeName(format) + ".list");
      tree.write(list);
      // the list goes last: a tree without its list is incomplete and rebuilt by the next fetch
      Files.deleteIfExists(entry.treeList(format));
      if (Files.exists(entry.treeDir(format), LinkOption.NOFOLLOW_LINKS)) {
        layout.discard(entry.treeDir(format), key);
      }
      Files.move(treeDir, entry.treeDir(format), StandardCopyOption.ATOMIC_MOVE);
      Files.move(list, entry.treeList(format), StandardCopyOption.ATOMIC_MOVE);
      return tree;
    } catch (IOException e) {
      throw new StepException("cannot rebuild the cached tree from the kept archive: " + CacheFiles.messageOf(e), e);
    } finally {
      CacheFiles.deleteTree(stage);
    }
  }

  /**
   * Puts the content into the sandbox: an archive's tree at the sandbox root, a decompressed .gz or a plain
   * file at its name. Plain files are linked (read-only); an executable gets a private copy with mode 0755
   * (it may need to be written or have its own mode, and a link would share the mode with every sandbox).
   */
  private FetchCache.Result materialise(Path archive, Path treeDir, TreeList tree, String sha256, long bytes,
                     boolean cached) throws StepException {
    Materializer materializer = new Materializer();
    Path sandbox = plan.sandbox();
    Path target;
    if (format == ArchiveFormat.NONE) {
      materializer.file(archive, sandbox, plan.fileName(), request.executable(),
          request.executable() ? 0755 : 0644);
      target = sandbox.resolve(plan.fileName()).normalize();
    } else if (format == ArchiveFormat.GZIP) {
      String name = ArchiveFormat.withoutGzipExtension(plan.fileName());
      materializer.file(treeDir.resolve(ArchiveFormat.withoutGzipExtension(canonicalName(format))), sandbox,
          name, false, 0644);
      target = sandbox.resolve(name).normalize();
    } else {
      materializer.tree(treeDir, tree, sandbox);
      target = sandbox;
    }
    return new FetchCache.Result(target, bytes, format != ArchiveFormat.NONE, sha256, cached);
  }

  /** Staging directories of this key are left by crashed fills: this thread holds the key exclusively. */
  private void removeOwnStaging() {
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(layout.staging(), key + ".*")) {
      for (Path path : stale) {
        CacheFiles.deleteTree(path);
      }
    } catch (IOException ignored) {
      // eviction sweeps them later
    }
  }

  private boolean hasTree() {
    return format != ArchiveFormat.NONE;
  }

  /**
   * The request that fills or rebuilds the entry: the same source, extracted (or not) as this fetch's
   * format says, under a fixed name, so that the tree does not depend on the output_file of the first fetch.
   */
  private FetchRequest canonicalRequest(String source, String sha256, String user) {
    return new FetchRequest(source, hasTree(), false, canonicalName(format), false, sha256, user);
  }

  static String canonicalName(ArchiveFormat format) {
    String name = switch (format) {
      case NONE -> "content";
      case GZIP -> "content.gz";
      case TAR -> "content.tar";
      case TAR_GZIP -> "content.tar.gz";
      case TAR_BZIP2 -> "content.tar.bz2";
      case TAR_XZ -> "content.tar.xz";
      case ZIP -> "content.zip";
    };
    if (format != ArchiveFormat.NONE && ArchiveFormat.detect(name) != format) {
      throw new IllegalStateException(name + " is not detected as " + format);
    }
    return name;
  }
}
