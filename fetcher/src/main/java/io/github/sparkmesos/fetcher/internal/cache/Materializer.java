package io.github.sparkmesos.fetcher.internal.cache;

import io.github.sparkmesos.fetcher.internal.Staging;
import io.github.sparkmesos.fetcher.internal.StepException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Puts cached content into a sandbox without extracting anything: files are hard links to the cache's
 * read-only files, directories and symlinks are recreated. When a link cannot be made (the sandbox is on
 * another file system or mount, EXDEV; or the kernel's protected_hardlinks refuses, EPERM) the files are
 * copied instead, with the modes the archive gave them. Nothing is visible in the sandbox before
 * everything is in place: a tree is built in a staging directory {@code .fetch-<random>} in the sandbox
 * and its top-level entries renamed into the sandbox; a single file goes to a temporary name and is renamed.
 */
final class Materializer {

  /** How a materialisation went; {@code copies > 0} when the sandbox could not share the cache's inodes. */
  record Counts(int links, int copies) {
  }

  private boolean linking = true;
  private int links;
  private int copies;

  /** Materialises the tree at {@code treeRoot} (listed by {@code list}) into the sandbox root. */
  Counts tree(Path treeRoot, TreeList list, Path sandbox) throws StepException {
    Path staging;
    try {
      staging = Files.createTempDirectory(sandbox, ".fetch-");
    } catch (IOException e) {
      throw new StepException("cannot create a staging directory in the sandbox: " + CacheFiles.messageOf(e), e);
    }
    try {
      List<TreeList.Node> directories = new ArrayList<>();
      for (TreeList.Node node : list.nodes()) {
        Path to = staging.resolve(node.path());
        try {
          switch (node.kind()) {
            case DIRECTORY -> {
              Files.createDirectory(to);
              directories.add(node);
            }
            case FILE -> place(treeRoot.resolve(node.path()), to, node.mode(), node.mtime(), false);
            case SYMLINK -> {
              Files.createSymbolicLink(to, to.getFileSystem().getPath(node.target()));
              setMtime(to, node.mtime());
            }
            default -> throw new IllegalStateException(node.kind().toString());
          }
        } catch (IOException | InvalidPathException e) {
          throw new StepException("cannot materialise '" + node.path() + "' from the cache: "
              + CacheFiles.messageOf(e), e);
        }
      }
      Collections.reverse(directories); // deepest first: a read-only directory must not block its children
      for (TreeList.Node dir : directories) {
        Path path = staging.resolve(dir.path());
        try {
          CacheFiles.setMode(path, dir.mode());
          setMtime(path, dir.mtime());
        } catch (IOException e) {
          throw new StepException("cannot set the mode of '" + dir.path() + "': " + CacheFiles.messageOf(e), e);
        }
      }
      Staging.moveInto(staging, sandbox);
      return new Counts(links, copies);
    } finally {
      CacheFiles.deleteTree(staging);
    }
  }

  /**
   * Materialises one file at {@code relativeName} in the sandbox (missing parent directories are created;
   * an existing file is replaced, as a direct fetch does).
   *
   * @param privateCopy copy instead of linking, with {@code copyMode} and the current time as mtime
   */
  Counts file(Path from, Path sandbox, String relativeName, boolean privateCopy, int copyMode)
      throws StepException {
    Path root = sandbox.toAbsolutePath().normalize();
    Path target;
    try {
      target = root.resolve(relativeName).normalize();
    } catch (InvalidPathException e) {
      throw new StepException("the output file '" + relativeName + "' has a name this file system cannot represent");
    }
    if (!target.startsWith(root) || target.equals(root)) {
      throw new StepException("the output file '" + relativeName + "' leaves the sandbox");
    }
    List<Path> created = new ArrayList<>();
    Path temp = null;
    boolean done = false;
    try {
      createParents(root, target, relativeName, created);
      BasicFileAttributes existing = lstat(target);
      if (existing != null && existing.isDirectory()) {
        throw new StepException("'" + root.relativize(target) + "' already exists in the sandbox as a directory");
      }
      temp = target.resolveSibling(".fetch-" + CacheFiles.randomSuffix() + ".part");
      if (privateCopy) {
        Files.copy(from, temp);
        CacheFiles.setMode(temp, copyMode);
        copies++;
      } else {
        place(from, temp, copyMode, null, true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      done = true;
      return new Counts(links, copies);
    } catch (IOException e) {
      throw new StepException("cannot write '" + root.relativize(target) + "' in the sandbox: "
          + CacheFiles.messageOf(e), e);
    } finally {
      if (!done) {
        CacheFiles.deleteTree(temp);
        Collections.reverse(created);
        created.forEach(CacheFiles::deleteTree);
      }
    }
  }

  /** A hard link to {@code from} at {@code to}, else (from the first refusal on) a copy with {@code mode}. */
  private void place(Path from, Path to, int mode, java.time.Instant mtime, boolean keepMtime) throws IOException {
    if (linking) {
      try {
        Files.createLink(to, from);
        links++;
        return;
      } catch (FileAlreadyExistsException | NoSuchFileException e) {
        throw e;
      } catch (FileSystemException e) {
        linking = false; // EXDEV (another file system or mount) or EPERM (protected_hardlinks): copy
      }
    }
    Files.copy(from, to, keepMtime ? new StandardCopyOption[] {StandardCopyOption.COPY_ATTRIBUTES}
        : new StandardCopyOption[0]);
    CacheFiles.setMode(to, mode);
    if (mtime != null) {
      setMtime(to, mtime);
    }
    copies++;
  }

  /** Creates the missing directories between the sandbox and {@code target}'s parent; refuses symlinks there. */
  private static void createParents(Path root, Path target, String name, List<Path> created)
      throws StepException, IOException {
    Path current = root;
    for (Path part : root.relativize(target.getParent() == null ? root : target.getParent())) {
      if (part.toString().isEmpty()) {
        continue;
      }
      current = current.resolve(part);
      BasicFileAttributes attributes = lstat(current);
      if (attributes == null) {
        Files.createDirectory(current);
        created.add(current);
      } else if (attributes.isSymbolicLink()) {
        throw new StepException("the output file '" + name + "' goes through the symlink '"
            + root.relativize(current) + "'");
      } else if (!attributes.isDirectory()) {
        throw new StepException("the output file '" + name + "' needs '" + root.relativize(current)
            + "' to be a directory, but it is not one");
      }
    }
  }

  private static BasicFileAttributes lstat(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static void setMtime(Path path, java.time.Instant mtime) {
    try {
      Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(FileTime.from(mtime), null, null);
    } catch (IOException | UnsupportedOperationException ignored) {
      // cosmetic; some file systems cannot set the mtime of a symlink
    }
  }
}
