package io.github.sparkmesos.tools.demo;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A minimal Spark 3.5.9 binary distribution, built from the jars Maven resolved from Central
 * (spark-testkit/target/spark-jars), for the demo and the end-to-end tests: what
 * {@code spark.executor.uri} would point at on a real cluster.
 *
 * <pre>
 * spark-3.5.9-bin-sme/bin/spark-class          (0755; minimal launcher, see the resource)
 * spark-3.5.9-bin-sme/conf/log4j2.properties   (INFO to stderr, ms timestamps)
 * spark-3.5.9-bin-sme/jars/*.jar
 * spark-3.5.9-bin-sme/RELEASE
 * </pre>
 *
 * The file name starts with {@code spark-3.}, so Spark's Mesos backend turns it into the command
 * {@code cd spark-3*; ./bin/spark-class ...}.
 */
public final class SparkDistribution {

  public static final String SPARK_VERSION = "3.5.9";
  /** The top directory inside the tarball. */
  public static final String TOP_DIR = "spark-" + SPARK_VERSION + "-bin-sme";
  static final String RELEASE_TEXT = "Spark " + SPARK_VERSION + " built from Maven Central jars by spark-mesos-executor\n";
  static final String SPARK_CLASS_RESOURCE = "spark-class";
  static final String LOG4J2_RESOURCE = "log4j2.properties";

  private static final int MODE_DIR = 0755;
  private static final int MODE_EXEC = 0755;
  private static final int MODE_FILE = 0644;
  private static final int BUFFER = 1 << 20;

  private SparkDistribution() {
  }

  /** {@code spark-3.5.9-bin-sme.tgz}. */
  public static String tarballFileName() {
    return TOP_DIR + ".tgz";
  }

  /**
   * Returns {@code cacheDir/spark-3.5.9-bin-sme.tgz}, building it from the {@code *.jar} files in
   * {@code sparkJarsDir} only when it does not exist yet. The tarball is written to a temp file in
   * {@code cacheDir} and then published atomically (the first finished builder wins; a concurrent
   * builder discards its copy), so nobody ever sees a partial tarball. A builder that dies leaves
   * only its own {@code .*.tmp} file behind.
   */
  public static Path ensureTarball(Path sparkJarsDir, Path cacheDir) throws IOException {
    Path target = cacheDir.resolve(tarballFileName());
    if (Files.isRegularFile(target)) {
      return target;
    }
    List<Path> jars = listJars(sparkJarsDir);
    Files.createDirectories(cacheDir);
    Path tmp = Files.createTempFile(cacheDir, "." + tarballFileName() + ".", ".tmp");
    try {
      readableByAll(tmp); // createTempFile makes it 0600; the tarball may be served or fetched by another user
      writeTarball(jars, tmp);
      publish(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return target;
  }

  private static void readableByAll(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
  }

  private static List<Path> listJars(Path sparkJarsDir) throws IOException {
    if (!Files.isDirectory(sparkJarsDir)) {
      throw new IOException("Spark jars directory " + sparkJarsDir + " does not exist"
          + " (build spark-testkit first: mvn -pl spark-testkit package)");
    }
    List<Path> jars;
    try (Stream<Path> s = Files.list(sparkJarsDir)) {
      jars = s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
    }
    if (jars.isEmpty()) {
      throw new IOException("no *.jar in " + sparkJarsDir);
    }
    return jars;
  }

  /** Link (fails if the target exists: first builder wins); rename where hard links are not available. */
  private static void publish(Path tmp, Path target) throws IOException {
    try {
      Files.createLink(target, tmp);
      return;
    } catch (FileAlreadyExistsException e) {
      return; // a concurrent builder finished first; its tarball is equivalent
    } catch (UnsupportedOperationException | IOException e) {
      // no hard links on this file system: fall through to an atomic rename
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot publish " + target + " atomically", e);
    }
  }

  private static void writeTarball(List<Path> jars, Path out) throws IOException {
    long now = System.currentTimeMillis();
    try (OutputStream file = Files.newOutputStream(out);
        OutputStream buffered = new BufferedOutputStream(file, BUFFER);
        GZIPOutputStream gz = new GZIPOutputStream(buffered, BUFFER);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);

      directory(tar, TOP_DIR + "/", now);
      directory(tar, TOP_DIR + "/bin/", now);
      bytes(tar, TOP_DIR + "/bin/spark-class", resource(SPARK_CLASS_RESOURCE), MODE_EXEC, now);
      directory(tar, TOP_DIR + "/conf/", now);
      bytes(tar, TOP_DIR + "/conf/log4j2.properties", resource(LOG4J2_RESOURCE), MODE_FILE, now);
      directory(tar, TOP_DIR + "/jars/", now);
      for (Path jar : jars) {
        TarArchiveEntry e = new TarArchiveEntry(TOP_DIR + "/jars/" + jar.getFileName());
        e.setSize(Files.size(jar));
        e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~07777 | MODE_FILE);
        e.setModTime(Files.getLastModifiedTime(jar).toMillis());
        tar.putArchiveEntry(e);
        Files.copy(jar, tar);
        tar.closeArchiveEntry();
      }
      bytes(tar, TOP_DIR + "/RELEASE", RELEASE_TEXT.getBytes(StandardCharsets.UTF_8), MODE_FILE, now);
      tar.finish();
    }
  }

  private static void directory(TarArchiveOutputStream tar, String name, long mtime) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~07777 | MODE_DIR);
    e.setModTime(mtime);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void bytes(TarArchiveOutputStream tar, String name, byte[] content, int mode, long mtime)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(content.length);
    e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~07777 | mode);
    e.setModTime(mtime);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  /** The content of a resource next to this class ({@code spark-class}, {@code log4j2.properties}). */
  static byte[] resource(String name) throws IOException {
    try (InputStream in = SparkDistribution.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("resource " + name + " missing next to " + SparkDistribution.class.getName());
      }
      return in.readAllBytes();
    }
  }
}
