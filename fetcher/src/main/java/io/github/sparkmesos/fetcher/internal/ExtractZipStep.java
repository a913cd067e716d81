package io.github.sparkmesos.fetcher.internal;

import io.github.sparkmesos.fetcher.FetcherOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Enumeration;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Extracts a zip. The central directory (modes, symlink flags) is at the end of a zip, so the archive is
 * spooled to a temporary file {@code .fetch-<random>.zip.part} in the sandbox first (deleted afterwards) and
 * read with {@link ZipFile}; the entries then go through the {@link SafeExtractor} into a {@link Staging}
 * directory.
 */
final class ExtractZipStep implements FetchStep {

  /** Longer targets are not valid on Linux (PATH_MAX), and reading them must stay bounded. */
  static final int MAX_SYMLINK_TARGET = 4096;

  private static final int TYPE_MASK = 0170000;
  private static final int TYPE_REGULAR = 0100000;

  private final FetcherOptions options;

  ExtractZipStep(FetcherOptions options) {
    this.options = options;
  }

  @Override
  public StepOutcome run(TransferStream source, Path sandbox) throws StepException {
    Path spool = null;
    try {
      spool = createSpool(sandbox);
      spool(source, spool);
      source.finish();
      ExpansionBudget budget = new ExpansionBudget(options.maxExpandedBytes());
      try (Staging staging = Staging.create(sandbox)) {
        SafeExtractor extractor = new SafeExtractor(staging.dir(), SymlinkPolicy.LENIENT,
            options.maxArchiveEntries(), budget);
        extract(spool, extractor);
        extractor.finish();
        staging.commit();
      }
      return new StepOutcome(sandbox, true);
    } finally {
      Trees.deleteQuietly(spool);
    }
  }

  private static Path createSpool(Path sandbox) throws StepException {
    try {
      return Files.createTempFile(sandbox, ".fetch-", ".zip.part");
    } catch (IOException e) {
      throw new StepException("cannot create a temporary file in the sandbox: " + TransferStream.messageOf(e), e);
    }
  }

  private static void spool(TransferStream source, Path spool) throws StepException {
    try (OutputStream out = Files.newOutputStream(spool, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      IoCopy.copy(source, out, ExpansionBudget.unlimited());
    } catch (IoCopy.ReadFailed e) {
      throw source.failure(e.original(), "reading the source failed");
    } catch (IOException e) {
      throw new StepException("cannot write the zip archive to the sandbox: " + TransferStream.messageOf(e), e);
    }
  }

  private static void extract(Path spool, SafeExtractor extractor) throws StepException {
    try (ZipFile zip = ZipFile.builder().setPath(spool).get()) {
      Enumeration<ZipArchiveEntry> entries = zip.getEntriesInPhysicalOrder();
      while (entries.hasMoreElements()) {
        unpack(zip, entries.nextElement(), extractor);
      }
    } catch (IOException e) {
      throw new StepException("not a valid zip archive: " + TransferStream.messageOf(e), e);
    }
  }

  private static void unpack(ZipFile zip, ZipArchiveEntry entry, SafeExtractor extractor)
      throws StepException, IOException {
    String name = entry.getName();
    int unixMode = entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX ? entry.getUnixMode() : 0;
    int type = unixMode & TYPE_MASK;
    FileTime mtime = entry.getLastModifiedTime();
    if (entry.isUnixSymlink()) {
      extractor.symlink(name, symlinkTarget(zip, entry, extractor), mtime);
    } else if (entry.isDirectory()) {
      extractor.directory(name, permissions(unixMode, 0755), mtime);
    } else if (type != 0 && type != TYPE_REGULAR) {
      extractor.refuse(name, "is a special file (mode " + Integer.toOctalString(unixMode)
          + "); special files are not allowed");
    } else if (!zip.canReadEntryData(entry)) {
      extractor.refuse(name, "is encrypted or uses an unsupported compression method");
    } else {
      try (InputStream in = zip.getInputStream(entry)) {
        extractor.file(name, in, permissions(unixMode, 0644), mtime);
      }
    }
  }

  private static String symlinkTarget(ZipFile zip, ZipArchiveEntry entry, SafeExtractor extractor)
      throws IOException, StepException {
    byte[] target;
    try (InputStream in = zip.getInputStream(entry)) {
      target = in.readNBytes(MAX_SYMLINK_TARGET + 1);
    }
    if (target.length > MAX_SYMLINK_TARGET) {
      extractor.refuse(entry.getName(), "is a symlink whose target is longer than " + MAX_SYMLINK_TARGET + " bytes");
    }
    return new String(target, StandardCharsets.UTF_8);
  }

  private static int permissions(int unixMode, int fallback) {
    int permissions = unixMode & 07777;
    return permissions == 0 ? fallback : permissions;
  }
}
