package io.github.sparkmesos.fetcher.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A private directory {@code .fetch-<random>} inside the sandbox that an archive is extracted into. Only
 * when everything succeeded are its top-level entries renamed into the sandbox; otherwise, and always on
 * {@link #close()}, it is removed with all it holds.
 */
public final class Staging implements AutoCloseable {

  private final Path sandbox;
  private final Path dir;

  private Staging(Path sandbox, Path dir) {
    this.sandbox = sandbox;
    this.dir = dir;
  }

  static Staging create(Path sandbox) throws StepException {
    try {
      return new Staging(sandbox, Files.createTempDirectory(sandbox, ".fetch-"));
    } catch (IOException e) {
      throw new StepException("cannot create a staging directory in the sandbox: "
          + TransferStream.messageOf(e), e);
    }
  }

  Path dir() {
    return dir;
  }

  /**
   * Moves every top-level entry into the sandbox. Fails before moving anything if a name is already taken
   * in the sandbox; if a move fails, moves the others back.
   */
  void commit() throws StepException {
    moveInto(dir, sandbox);
  }

  /**
   * Moves every top-level entry of {@code dir} into {@code sandbox}: nothing if a name is already taken
   * there; if a move fails, the entries moved so far go back.
   */
  public static void moveInto(Path dir, Path sandbox) throws StepException {
    List<Path> entries;
    try (Stream<Path> list = Files.list(dir)) {
      entries = list.sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new StepException("cannot list the staging directory: " + TransferStream.messageOf(e), e);
    }
    for (Path entry : entries) {
      Path target = sandbox.resolve(entry.getFileName());
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new StepException("the archive's top-level entry '" + Names.display(entry.getFileName().toString())
            + "' already exists in the sandbox");
      }
    }
    List<Path> moved = new ArrayList<>();
    for (Path entry : entries) {
      Path target = sandbox.resolve(entry.getFileName());
      try {
        Files.move(entry, target, StandardCopyOption.ATOMIC_MOVE);
        moved.add(target);
      } catch (IOException e) {
        moveBack(moved, dir);
        throw new StepException("cannot move '" + Names.display(entry.getFileName().toString())
            + "' into the sandbox: " + TransferStream.messageOf(e), e);
      }
    }
  }

  private static void moveBack(List<Path> moved, Path dir) {
    for (Path target : moved) {
      try {
        Files.move(target, dir.resolve(target.getFileName()), StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        Trees.deleteQuietly(target);
      }
    }
  }

  /** Removes the staging directory and whatever is still in it. */
  @Override
  public void close() {
    Trees.deleteQuietly(dir);
  }
}
