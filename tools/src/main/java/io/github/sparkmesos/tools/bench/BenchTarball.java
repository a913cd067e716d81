package io.github.sparkmesos.tools.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A Spark-like executor tarball for the launch benchmark: 400 files of 256 KiB of random bytes (100 MiB,
 * incompressible as jars are) in one top directory, generated once and kept.
 */
final class BenchTarball {

  static final String NAME = "bench-100m.tgz";
  private static final int FILES = 400;
  private static final int FILE_SIZE = 256 << 10;

  private BenchTarball() {}

  /** {@code dir/bench-100m.tgz}, generated when missing. */
  static Path ensure(Path dir) throws IOException {
    Path target = dir.resolve(NAME);
    if (Files.isRegularFile(target)) {
      return target;
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + NAME + ".", ".tmp");
    try {
      write(tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return target;
  }

  private static void write(Path out) throws IOException {
    SplittableRandom random = new SplittableRandom(3);
    byte[] content = new byte[FILE_SIZE];
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20);
        OutputStream gz = fastGzip(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      for (String dir : new String[] {"bench-dist/", "bench-dist/jars/"}) {
        tar.putArchiveEntry(new TarArchiveEntry(dir));
        tar.closeArchiveEntry();
      }
      for (int i = 0; i < FILES; i++) {
        random.nextBytes(content);
        TarArchiveEntry entry = new TarArchiveEntry(String.format("bench-dist/jars/part-%03d.jar", i));
        entry.setSize(FILE_SIZE);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }

  /** Random bytes do not compress: the fastest level makes the same file in a fraction of the time. */
  private static OutputStream fastGzip(OutputStream out) throws IOException {
    return new GZIPOutputStream(out, 1 << 16) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    };
  }
}
