package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.FetcherOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Extracts a tar (plain, gzip, bzip2 or xz) in one pass from the source stream, without a temporary copy of
 * the archive, through the {@link SafeExtractor} into a {@link Staging} directory, then moves the result into
 * the sandbox.
 */
final class ExtractTarStep implements FetchStep {

  /** GNU tar's volume label ({@code --label}), which commons-compress has no constant for. */
  private static final byte GNU_VOLUME_HEADER = 'V';

  private final ArchiveFormat format;
  private final FetcherOptions options;

  ExtractTarStep(ArchiveFormat format, FetcherOptions options) {
    if (!format.isTar()) {
      throw new IllegalArgumentException(format + " is not a tar format");
    }
    this.format = format;
    this.options = options;
  }

  @Override
  public StepOutcome run(TransferStream source, Path sandbox) throws StepException {
    ExpansionBudget budget = new ExpansionBudget(options.maxExpandedBytes());
    try (Staging staging = Staging.create(sandbox)) {
      SafeExtractor extractor = new SafeExtractor(staging.dir(), SymlinkPolicy.LENIENT,
          options.maxArchiveEntries(), budget);
      extract(source, extractor, budget);
      source.finish();
      extractor.finish();
      staging.commit();
    }
    return new StepOutcome(sandbox, true);
  }

  private void extract(TransferStream source, SafeExtractor extractor, ExpansionBudget budget) throws StepException {
    try (InputStream decompressed = Decompressors.open(format, IoCopy.nonClosing(source));
       TarArchiveInputStream tar = new TarArchiveInputStream(decompressed, StandardCharsets.UTF_8.name())) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        unpack(entry, tar, extractor);
      }
      drain(decompressed, budget);
    } catch (IOException e) {
      throw source.failure(e, "not a valid " + format.description());
    }
  }

  private static void unpack(TarArchiveEntry entry, InputStream content, SafeExtractor extractor)
      throws StepException, IOException {
    String name = entry.getName();
    byte type = entry.getLinkFlag();
    if (entry.isCharacterDevice()) {
      extractor.refuse(name, "is a character device; device entries are not allowed");
    } else if (entry.isBlockDevice()) {
      extractor.refuse(name, "is a block device; device entries are not allowed");
    } else if (entry.isFIFO()) {
      extractor.refuse(name, "is a FIFO; special files are not allowed");
    } else if (entry.isSymbolicLink()) {
      extractor.symlink(name, entry.getLinkName(), entry.getLastModifiedTime());
    } else if (entry.isLink()) {
      extractor.hardLink(name, entry.getLinkName());
    } else if (entry.isDirectory()) {
      extractor.directory(name, entry.getMode(), entry.getLastModifiedTime());
    } else if (type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM
        || type == TarConstants.LF_CONTIG || entry.isSparse()) {
      extractor.file(name, content, entry.getMode(), entry.getLastModifiedTime());
    } else if (type == GNU_VOLUME_HEADER) {
      return; // a GNU volume label names no file
    } else {
      extractor.refuse(name, "has the unsupported tar entry type '" + Names.display(String.valueOf((char) type))
          + "'");
    }
  }

  /** Reads the rest of the decompressed stream, which also checks the compressed stream to its end. */
  private static void drain(InputStream decompressed, ExpansionBudget budget) throws IOException, StepException {
    byte[] buffer = new byte[IoCopy.BUFFER];
    int n;
    while ((n = decompressed.read(buffer)) != -1) {
      if (!budget.take(n)) {
        throw new StepException("the archive expands beyond the limit of " + budget.limit()
            + " bytes (max expanded bytes; a decompression bomb?)");
      }
    }
  }
}
