package io.github.sparkmesos.fetcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Writes the source (or, for a plain {@code .gz}, its decompressed content) to a file in the sandbox: to a
 * temporary name {@code .fetch-<random>.part} beside the target first, then an atomic rename, so no partial
 * file is ever visible. Missing parent directories of an output_file are created (and removed again on
 * failure); an existing parent that is a symlink is refused.
 */
final class WriteFileStep implements FetchStep {

  private final String relativeName;
  private final boolean gunzip;
  private final int mode;
  private final long maxExpandedBytes;

  WriteFileStep(String relativeName, boolean gunzip, int mode, long maxExpandedBytes) {
    this.relativeName = relativeName;
    this.gunzip = gunzip;
    this.mode = mode;
    this.maxExpandedBytes = maxExpandedBytes;
  }

  @Override
  public StepOutcome run(TransferStream source, Path sandbox) throws StepException {
    PathGuard guard = new PathGuard(sandbox);
    Path target;
    try {
      target = guard.resolve(relativeName);
    } catch (PathGuard.Refusal r) {
      throw new StepException("the output file '" + Names.display(relativeName) + "' " + r.getMessage());
    }
    if (target.equals(guard.root())) {
      throw new StepException("the output file '" + Names.display(relativeName) + "' names the sandbox itself");
    }
    List<Path> created = new ArrayList<>();
    Path temp = null;
    boolean done = false;
    try {
      created.addAll(guard.createParents(target));
      BasicFileAttributes existing = PathGuard.lstat(target);
      if (existing != null && existing.isDirectory()) {
        throw new StepException("'" + guard.relative(target) + "' already exists in the sandbox as a directory");
      }
      temp = Files.createTempFile(target.getParent(), ".fetch-", ".part");
      write(source, temp);
      source.finish();
      Files.setAttribute(temp, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      done = true;
      return new StepOutcome(target, gunzip);
    } catch (PathGuard.Refusal r) {
      throw new StepException("the output file '" + Names.display(relativeName) + "' " + r.getMessage(),
          r.getCause());
    } catch (IOException e) {
      throw new StepException("cannot write '" + guard.relative(target) + "' in the sandbox: "
          + TransferStream.messageOf(e), e);
    } finally {
      if (!done) {
        Trees.deleteQuietly(temp);
        Collections.reverse(created);
        created.forEach(Trees::deleteQuietly);
      }
    }
  }

  private void write(TransferStream source, Path temp) throws StepException, IOException {
    ExpansionBudget budget = new ExpansionBudget(maxExpandedBytes);
    try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
      if (!gunzip) {
        IoCopy.copy(source, out, budget);
        return;
      }
      InputStream decompressed = openGzip(source);
      try (decompressed) {
        IoCopy.copy(decompressed, out, budget);
      }
    } catch (IoCopy.ReadFailed e) {
      throw source.failure(e.original(), gunzip ? "not a valid gzip file" : "reading the source failed");
    } catch (IoCopy.BudgetExceeded e) {
      throw new StepException("'" + Names.display(relativeName) + "' decompresses to more than "
          + maxExpandedBytes + " bytes (max expanded bytes; a decompression bomb?)");
    }
  }

  private static InputStream openGzip(TransferStream source) throws StepException {
    try {
      return Decompressors.open(ArchiveFormat.GZIP, IoCopy.nonClosing(source));
    } catch (IOException e) {
      throw source.failure(e, "not a valid gzip file");
    }
  }
}
