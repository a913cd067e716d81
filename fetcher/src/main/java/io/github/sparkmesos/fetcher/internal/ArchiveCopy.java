package io.github.sparkmesos.fetcher.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The raw bytes of a download kept beside what the step makes of them (the cache keeps both): written to a
 * temporary file {@code .fetch-<random>.part} next to the target while the transfer runs, renamed onto the
 * target by {@link TransferStream#finish()} once the length and checksum are right, and removed again by
 * {@link #discard()} if the download fails after all. A write failure does not disturb the transfer: it is
 * reported when the copy is committed.
 */
final class ArchiveCopy {

  private final Path target;
  private final Path temp;
  private final OutputStream out;
  private IOException writeFailure;
  private boolean closed;
  private boolean committed;

  private ArchiveCopy(Path target, Path temp, OutputStream out) {
    this.target = target;
    this.temp = temp;
    this.out = out;
  }

  static ArchiveCopy create(Path target) throws StepException {
    Path absolute = target.toAbsolutePath().normalize();
    Path temp = null;
    try {
      temp = Files.createTempFile(absolute.getParent(), ".fetch-", ".part");
      OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS), IoCopy.BUFFER);
      return new ArchiveCopy(absolute, temp, out);
    } catch (IOException e) {
      Trees.deleteQuietly(temp);
      throw new StepException("cannot keep a copy of the download at '" + absolute + "': "
          + TransferStream.messageOf(e), e);
    }
  }

  void write(byte[] b, int off, int len) {
    if (writeFailure != null) {
      return;
    }
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      writeFailure = e;
    }
  }

  /** Closes the temporary file and renames it onto the target. */
  void commit() throws StepException {
    closeQuietly();
    if (writeFailure != null) {
      throw new StepException("cannot keep a copy of the download at '" + target + "': "
          + TransferStream.messageOf(writeFailure), writeFailure);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      committed = true;
    } catch (IOException e) {
      throw new StepException("cannot keep a copy of the download at '" + target + "': "
          + TransferStream.messageOf(e), e);
    }
  }

  /** Removes the temporary file, and the target if this copy was committed onto it. */
  void discard() {
    closeQuietly();
    Trees.deleteQuietly(temp);
    if (committed) {
      Trees.deleteQuietly(target);
    }
  }

  private void closeQuietly() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      if (writeFailure == null) {
        writeFailure = e;
      }
    }
  }
}
