package io.github.sparkmesos.fetcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/** Opens the decompressor of a format over a stream; every one reads concatenated (multi-member) input. */
final class Decompressors {

  static final int GZIP_BUFFER = 64 * 1024;
  /** Enough for {@code xz -9e} (64 MiB dictionary); a hostile header cannot make us allocate more. */
  static final int XZ_MEMORY_LIMIT_KIB = 128 * 1024;

  private Decompressors() {
  }

  /** The decompressed stream; for {@link ArchiveFormat#TAR} the stream itself. */
  static InputStream open(ArchiveFormat format, InputStream in) throws IOException {
    switch (format) {
      case TAR:
        return in;
      case GZIP:
      case TAR_GZIP:
        // handles multi-member gzip (pigz, cat a.gz b.gz); measured faster than commons-compress
        return new GZIPInputStream(in, GZIP_BUFFER);
      case TAR_BZIP2:
        return new BZip2CompressorInputStream(in, true);
      case TAR_XZ:
        return XZCompressorInputStream.builder()
            .setInputStream(in)
            .setDecompressConcatenated(true)
            .setMemoryLimitKiB(XZ_MEMORY_LIMIT_KIB)
            .get();
      default:
        throw new IllegalArgumentException("no decompressor for " + format);
    }
  }
}
