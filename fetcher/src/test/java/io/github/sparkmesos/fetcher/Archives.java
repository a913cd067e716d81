package io.github.sparkmesos.fetcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/** Builds archives in memory for tests, hostile ones included (names are written exactly as given). */
final class Archives {

  static final FileTime MTIME = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));

  private Archives() {
  }

  static Tar tar() {
    return new Tar();
  }

  static Zip zip() {
    return new Zip();
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static byte[] bzip2(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new BZip2CompressorOutputStream(bytes)) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static byte[] xz(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new XZCompressorOutputStream(bytes)) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** {@code data} as two concatenated gzip members, split at {@code at} (what pigz and cat a.gz b.gz make). */
  static byte[] gzipTwoMembers(byte[] data, int at) {
    byte[] first = gzip(java.util.Arrays.copyOfRange(data, 0, at));
    byte[] second = gzip(java.util.Arrays.copyOfRange(data, at, data.length));
    byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  static final class Tar {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes);

    private Tar() {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    Tar dir(String name, int mode) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_DIR, true);
      entry.setMode(040000 | mode);
      return put(entry, null);
    }

    Tar file(String name, String content, int mode) {
      return file(name, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    Tar file(String name, byte[] content, int mode) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL, true);
      entry.setMode(0100000 | mode);
      entry.setSize(content.length);
      return put(entry, content);
    }

    Tar symlink(String name, String target) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
      entry.setLinkName(target);
      entry.setMode(0120777);
      return put(entry, null);
    }

    Tar hardLink(String name, String target) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK, true);
      entry.setLinkName(target);
      entry.setMode(0100644);
      return put(entry, null);
    }

    /** A device, FIFO or other entry of {@code type} (a tar type flag). */
    Tar special(String name, byte type) {
      TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
      entry.setMode(0644);
      entry.setDevMajor(1);
      entry.setDevMinor(3);
      return put(entry, null);
    }

    private Tar put(TarArchiveEntry entry, byte[] content) {
      try {
        entry.setModTime(MTIME);
        out.putArchiveEntry(entry);
        if (content != null) {
          out.write(content);
        }
        out.closeArchiveEntry();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    byte[] bytes() {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    byte[] tgz() {
      return gzip(bytes());
    }

    byte[] tbz2() {
      return bzip2(bytes());
    }

    byte[] txz() {
      return xz(bytes());
    }
  }

  static final class Zip {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes);

    Zip dir(String name, int mode) {
      ZipArchiveEntry entry = new ZipArchiveEntry(name.endsWith("/") ? name : name + "/");
      entry.setUnixMode(040000 | mode);
      return put(entry, new byte[0]);
    }

    Zip file(String name, String content, int mode) {
      return file(name, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    Zip file(String name, byte[] content, int mode) {
      ZipArchiveEntry entry = new ZipArchiveEntry(name);
      entry.setUnixMode(0100000 | mode);
      return put(entry, content);
    }

    Zip symlink(String name, String target) {
      ZipArchiveEntry entry = new ZipArchiveEntry(name);
      entry.setUnixMode(0120777);
      return put(entry, target.getBytes(StandardCharsets.UTF_8));
    }

    /** An entry whose Unix mode says FIFO (010000), character device (020000) or block device (060000). */
    Zip special(String name, int typeAndMode) {
      ZipArchiveEntry entry = new ZipArchiveEntry(name);
      entry.setUnixMode(typeAndMode);
      return put(entry, new byte[0]);
    }

    private Zip put(ZipArchiveEntry entry, byte[] content) {
      try {
        entry.setLastModifiedTime(MTIME);
        out.putArchiveEntry(entry);
        out.write(content);
        out.closeArchiveEntry();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    byte[] bytes() {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }
  }
}
