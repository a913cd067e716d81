package io.github.sparkmesos.fetcher.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps paths inside one root directory: lexical containment of names (rule 1 of the hardened extractor),
 * and an {@code lstat} of every existing component between the root and a parent, refusing symlinks
 * (rule 2), so that nothing is ever written through a link.
 */
final class PathGuard {

  /** A name or path that must not be used; the message is a predicate such as "leaves the target directory". */
  static final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;

    Refusal(String reason) {
      super(reason);
    }

    Refusal(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  private final Path root;

  PathGuard(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  /** {@code name} resolved against the root and normalized; may be the root itself. */
  Path resolve(String name) throws Refusal {
    if (name == null || name.isEmpty()) {
      throw new Refusal("has an empty name");
    }
    if (name.indexOf('\0') >= 0) {
      throw new Refusal("contains a NUL character");
    }
    if (name.startsWith("/")) {
      throw new Refusal("is an absolute path");
    }
    Path relative;
    try {
      relative = root.getFileSystem().getPath(name);
    } catch (InvalidPathException e) {
      throw new Refusal("has a name this file system cannot represent");
    }
    if (relative.isAbsolute()) {
      throw new Refusal("is an absolute path");
    }
    Path resolved = root.resolve(relative).normalize();
    if (!resolved.startsWith(root)) {
      throw new Refusal("leaves the target directory");
    }
    return resolved;
  }

  /** {@code path} relative to the root, for messages (control characters escaped). */
  String relative(Path path) {
    return path.equals(root) ? "." : Names.display(root.relativize(path).toString());
  }

  /**
   * Makes sure every directory between the root and {@code path}'s parent exists and is a real directory.
   *
   * @return the directories created, outermost first
   */
  List<Path> createParents(Path path) throws Refusal {
    return walkParents(path, true);
  }

  /** Refuses if an existing component between the root and {@code path}'s parent is not a real directory. */
  void checkParents(Path path) throws Refusal {
    walkParents(path, false);
  }

  private List<Path> walkParents(Path path, boolean create) throws Refusal {
    List<Path> created = new ArrayList<>();
    Path parent = path.getParent();
    if (parent == null || parent.equals(root)) {
      return created;
    }
    if (!parent.startsWith(root)) {
      throw new IllegalArgumentException(path + " is not below " + root);
    }
    Path current = root;
    for (Path part : root.relativize(parent)) {
      current = current.resolve(part);
      BasicFileAttributes attributes;
      try {
        attributes = lstat(current);
      } catch (IOException e) {
        throw new Refusal("could not be written: cannot inspect '" + relative(current) + "': "
            + TransferStream.messageOf(e), e);
      }
      if (attributes == null) {
        if (!create) {
          return created;
        }
        try {
          Files.createDirectory(current);
        } catch (IOException e) {
          throw new Refusal("could not be written: cannot create the directory '" + relative(current)
              + "': " + TransferStream.messageOf(e), e);
        }
        created.add(current);
      } else if (attributes.isSymbolicLink()) {
        throw new Refusal("goes through the symlink '" + relative(current) + "'");
      } else if (!attributes.isDirectory()) {
        throw new Refusal("needs '" + relative(current) + "' to be a directory, but it is not one");
      }
    }
    return created;
  }

  /** The attributes of {@code path} itself (a link is not followed), or null if it does not exist. */
  static BasicFileAttributes lstat(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
