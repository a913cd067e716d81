package io.github.sparkmesos.fetcher.internal;

import java.util.List;
import java.util.Locale;

/** What to do with a fetched file, decided from its name (as Mesos does: by extension only). */
public enum ArchiveFormat {
  /** Not an archive: written as is. */
  NONE("file", List.of()),
  /** A single gzip-compressed file, decompressed to its name without {@code .gz}. */
  GZIP("gzip file", List.of(".gz")),
  TAR("tar archive", List.of(".tar")),
  TAR_GZIP("tar.gz archive", List.of(".tar.gz", ".tgz")),
  TAR_BZIP2("tar.bz2 archive", List.of(".tar.bz2", ".tbz2")),
  TAR_XZ("tar.xz archive", List.of(".tar.xz", ".txz")),
  ZIP("zip archive", List.of(".zip"));

  /** Checked in this order, so that {@code .tar.gz} wins over {@code .gz}. */
  private static final List<ArchiveFormat> DETECTION_ORDER = List.of(TAR_GZIP, TAR_BZIP2, TAR_XZ, TAR, ZIP, GZIP);

  private final String description;
  private final List<String> extensions;

  ArchiveFormat(String description, List<String> extensions) {
    this.description = description;
    this.extensions = extensions;
  }

  public String description() {
    return description;
  }

  public boolean isTar() {
    return this == TAR || this == TAR_GZIP || this == TAR_BZIP2 || this == TAR_XZ;
  }

  /** The format of a file called {@code fileName} (a relative path); case-insensitive. */
  public static ArchiveFormat detect(String fileName) {
    String base = baseName(fileName).toLowerCase(Locale.ROOT);
    for (ArchiveFormat format : DETECTION_ORDER) {
      for (String extension : format.extensions) {
        if (base.length() > extension.length() && base.endsWith(extension)) {
          return format;
        }
      }
    }
    return NONE;
  }

  /** For {@link #GZIP}: the name without its {@code .gz}. */
  public static String withoutGzipExtension(String fileName) {
    return fileName.substring(0, fileName.length() - ".gz".length());
  }

  private static String baseName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
