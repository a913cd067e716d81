package io.github.sparkmesos.fetcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes archive entries below one target directory and never outside it, whatever the archive says.
 * Format-neutral: the tar and zip steps translate their entries into these calls.
 *
 * <ol>
 *   <li>Names (and hard-link targets) must be relative, without NUL, and stay inside the target after
 *       lexical normalization.</li>
 *   <li>Before an entry is written, every existing component between the target and its parent is
 *       {@code lstat}ed; a symlink there is refused (no write through an earlier link).</li>
 *   <li>Regular files: whatever exists at the name is deleted, then the file is created with
 *       {@code CREATE_NEW} and {@code NOFOLLOW_LINKS} (an existing link or hard link is never followed
 *       or truncated).</li>
 *   <li>Symlinks follow a {@link SymlinkPolicy}; hard links must point at a regular file already
 *       extracted (inside the target, not a symlink). Devices, FIFOs and other special entries are refused.</li>
 *   <li>Modes (with the setuid, setgid and sticky bits) and mtimes are applied; directory modes and mtimes
 *       last, deepest first, so a read-only directory does not block its children. Ownership is not
 *       changed: the fetcher runs as the task's user.</li>
 *   <li>The number of entries and the bytes written are limited (decompression bombs).</li>
 * </ol>
 *
 * Every refusal names the entry. The caller removes the target directory on failure.
 */
final class SafeExtractor {

  private record DirectoryEntry(String name, int mode, FileTime mtime) {
  }

  private final PathGuard guard;
  private final SymlinkPolicy symlinks;
  private final long maxEntries;
  private final ExpansionBudget budget;
  private final Map<Path, DirectoryEntry> directories = new LinkedHashMap<>();
  private long entries;

  SafeExtractor(Path target, SymlinkPolicy symlinks, long maxEntries, ExpansionBudget budget) {
    this.guard = new PathGuard(target);
    this.symlinks = symlinks;
    this.maxEntries = maxEntries;
    this.budget = budget;
  }

  /** A directory; its mode and mtime are applied by {@link #finish()}. */
  void directory(String name, int mode, FileTime mtime) throws StepException {
    admit(name);
    Path path = resolve(name);
    if (path.equals(guard.root())) {
      return; // "./": the target directory keeps its own mode
    }
    createParents(name, path);
    BasicFileAttributes existing = lstat(name, path);
    if (existing == null) {
      try {
        Files.createDirectory(path);
      } catch (IOException e) {
        throw writeFailure(name, e);
      }
    } else if (!existing.isDirectory()) {
      throw StepException.entry(name, "would replace the " + kind(existing) + " '" + guard.relative(path)
          + "' with a directory");
    }
    directories.put(path, new DirectoryEntry(name, mode & 07777, mtime));
  }

  /**
   * A regular file with the content read from {@code content}.
   *
   * @throws IOException if reading {@code content} fails (the caller knows whether the archive or the
   *                     transfer broke); every other failure is a {@link StepException}
   */
  void file(String name, InputStream content, int mode, FileTime mtime) throws StepException, IOException {
    admit(name);
    Path path = resolveBelowTarget(name);
    createParents(name, path);
    clear(name, path);
    try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      IoCopy.copy(content, out, budget);
    } catch (IoCopy.ReadFailed e) {
      throw e.original();
    } catch (IoCopy.BudgetExceeded e) {
      throw StepException.entry(name, "expands the archive beyond the limit of " + budget.limit()
          + " bytes (max expanded bytes; a decompression bomb?)");
    } catch (IOException e) {
      throw writeFailure(name, e);
    }
    applyMode(name, path, mode & 07777);
    applyMtime(name, path, mtime);
  }

  /** A symbolic link to {@code target}, checked against the {@link SymlinkPolicy}. */
  void symlink(String name, String target, FileTime mtime) throws StepException {
    admit(name);
    Path path = resolveBelowTarget(name);
    if (target == null || target.isEmpty()) {
      throw StepException.entry(name, "is a symlink with an empty target");
    }
    if (target.indexOf('\0') >= 0) {
      throw StepException.entry(name, "is a symlink whose target contains a NUL character");
    }
    Path linkTarget;
    try {
      linkTarget = path.getFileSystem().getPath(target);
    } catch (InvalidPathException e) {
      throw StepException.entry(name, "is a symlink whose target this file system cannot represent");
    }
    if (symlinks == SymlinkPolicy.STRICT
        && (linkTarget.isAbsolute() || !path.getParent().resolve(linkTarget).normalize().startsWith(guard.root()))) {
      throw StepException.entry(name, "is a symlink to '" + Names.display(target)
          + "', which leaves the target directory");
    }
    createParents(name, path);
    clear(name, path);
    try {
      Files.createSymbolicLink(path, linkTarget);
    } catch (IOException e) {
      throw writeFailure(name, e);
    }
    try {
      setMtime(path, mtime);
    } catch (IOException e) {
      // the mtime of a link is cosmetic; some file systems cannot set it
    }
  }

  /** A hard link to {@code target}, a regular file extracted before (named relative to the archive root). */
  void hardLink(String name, String target) throws StepException {
    admit(name);
    Path path = resolveBelowTarget(name);
    String linkTo = "is a hard link to '" + Names.display(target) + "', which ";
    Path existing;
    try {
      existing = guard.resolve(target);
      guard.checkParents(existing);
    } catch (PathGuard.Refusal r) {
      throw StepException.entry(name, linkTo + r.getMessage());
    }
    if (existing.equals(guard.root())) {
      throw StepException.entry(name, linkTo + "is the target directory");
    }
    BasicFileAttributes attributes = lstat(name, existing);
    if (attributes == null) {
      throw StepException.entry(name, linkTo + "does not come before it in the archive");
    } else if (attributes.isSymbolicLink()) {
      throw StepException.entry(name, linkTo + "is a symlink");
    } else if (!attributes.isRegularFile()) {
      throw StepException.entry(name, linkTo + "is not a regular file");
    }
    if (path.equals(existing)) {
      return;
    }
    createParents(name, path);
    clear(name, path);
    try {
      Files.createLink(path, existing);
    } catch (IOException e) {
      throw writeFailure(name, e);
    }
  }

  /** Refuses an entry that cannot be extracted, for example a device; {@code reason} completes the sentence. */
  void refuse(String name, String reason) throws StepException {
    throw StepException.entry(name, reason);
  }

  /** Applies the modes and mtimes of directories, deepest first. */
  void finish() throws StepException {
    List<Map.Entry<Path, DirectoryEntry>> dirs = new ArrayList<>(directories.entrySet());
    dirs.sort(Comparator.comparingInt((Map.Entry<Path, DirectoryEntry> e) -> e.getKey().getNameCount()).reversed());
    for (Map.Entry<Path, DirectoryEntry> dir : dirs) {
      Path path = dir.getKey();
      DirectoryEntry entry = dir.getValue();
      BasicFileAttributes attributes = lstat(entry.name(), path);
      if (attributes == null || !attributes.isDirectory()) {
        continue;
      }
      applyMode(entry.name(), path, entry.mode());
      applyMtime(entry.name(), path, entry.mtime());
    }
  }

  private void admit(String name) throws StepException {
    if (++entries > maxEntries) {
      throw StepException.entry(name, "is beyond the limit of " + maxEntries
          + " entries per archive (max archive entries; a decompression bomb?)");
    }
  }

  private Path resolve(String name) throws StepException {
    try {
      return guard.resolve(name);
    } catch (PathGuard.Refusal r) {
      throw StepException.entry(name, r.getMessage());
    }
  }

  private Path resolveBelowTarget(String name) throws StepException {
    Path path = resolve(name);
    if (path.equals(guard.root())) {
      throw StepException.entry(name, "names the target directory itself");
    }
    return path;
  }

  private void createParents(String name, Path path) throws StepException {
    try {
      guard.createParents(path);
    } catch (PathGuard.Refusal r) {
      throw StepException.entry(name, r.getMessage(), r.getCause());
    }
  }

  /** Removes what exists at {@code path} (never following it); refuses to replace a directory. */
  private void clear(String name, Path path) throws StepException {
    BasicFileAttributes existing = lstat(name, path);
    if (existing == null) {
      return;
    }
    if (existing.isDirectory()) {
      throw StepException.entry(name, "would replace the directory '" + guard.relative(path) + "'");
    }
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw writeFailure(name, e);
    }
  }

  private BasicFileAttributes lstat(String name, Path path) throws StepException {
    try {
      return PathGuard.lstat(path);
    } catch (IOException e) {
      throw writeFailure(name, e);
    }
  }

  private static void applyMode(String name, Path path, int mode) throws StepException {
    try {
      // setPosixFilePermissions cannot set 07000; chmod after writing (no chown here, which would clear them)
      Files.setAttribute(path, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException e) {
      throw StepException.entry(name, "could not be written: cannot set mode " + Integer.toOctalString(mode)
          + ": " + TransferStream.messageOf(e), e);
    }
  }

  private static void applyMtime(String name, Path path, FileTime mtime) throws StepException {
    try {
      setMtime(path, mtime);
    } catch (IOException e) {
      throw writeFailure(name, e);
    }
  }

  private static void setMtime(Path path, FileTime mtime) throws IOException {
    if (mtime != null) {
      Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(mtime, null, null);
    }
  }

  private static StepException writeFailure(String name, IOException e) {
    return StepException.entry(name, "could not be written: " + TransferStream.messageOf(e), e);
  }

  private static String kind(BasicFileAttributes attributes) {
    if (attributes.isSymbolicLink()) {
      return "symlink";
    }
    return attributes.isRegularFile() ? "file" : "special file";
  }
}
