package io.github.sparkmesos.fetcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sparkmesos.testing.Skips;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The few classes of the Hadoop client API that the fetcher reaches by reflection, with the real signatures
 * (checked against hadoop-client-api 3.3.4 with javap), compiled at test time into their own class loader so
 * that the rest of the tests run without them, as the fetcher does on a host without Hadoop. The file
 * system serves the {@code hdfs} scheme from the directory in the system property {@code fake.hadoop.root};
 * its implementation class is not public, like the real ones.
 */
final class FakeHadoop {

  static final String ROOT_PROPERTY = "fake.hadoop.root";

  private static final Map<String, String> SOURCES = Map.of(
      "org/apache/hadoop/conf/Configuration.java", """
                    package org.apache.hadoop.conf;
                    public class Configuration {
                        public Configuration() {
                        }
                    }
                    """,
      "org/apache/hadoop/fs/Path.java", """
                    package org.apache.hadoop.fs;
                    public class Path {
                        private final java.net.URI uri;
                        public Path(java.net.URI uri) {
                            this.uri = uri;
                        }
                        public java.net.URI toUri() {
                            return uri;
                        }
                    }
                    """,
      "org/apache/hadoop/fs/FileStatus.java", """
                    package org.apache.hadoop.fs;
                    public class FileStatus {
                        private final long length;
                        private final boolean directory;
                        public FileStatus(long length, boolean directory) {
                            this.length = length;
                            this.directory = directory;
                        }
                        public long getLen() {
                            return length;
                        }
                        public boolean isDirectory() {
                            return directory;
                        }
                    }
                    """,
      "org/apache/hadoop/fs/FSDataInputStream.java", """
                    package org.apache.hadoop.fs;
                    public class FSDataInputStream extends java.io.DataInputStream {
                        public FSDataInputStream(java.io.InputStream in) {
                            super(in);
                        }
                    }
                    """,
      "org/apache/hadoop/fs/FileSystem.java", """
                    package org.apache.hadoop.fs;
                    import java.io.FileNotFoundException;
                    import java.io.IOException;
                    import java.net.URI;
                    import java.nio.file.Files;
                    import org.apache.hadoop.conf.Configuration;
                    public abstract class FileSystem {
                        public static FileSystem get(URI uri, Configuration conf) throws IOException {
                            if (!"hdfs".equals(uri.getScheme())) {
                                throw new IOException("No FileSystem for scheme \\"" + uri.getScheme() + "\\"");
                            }
                            return new RootedFileSystem(java.nio.file.Path.of(System.getProperty("fake.hadoop.root")));
                        }
                        public abstract FileStatus getFileStatus(Path path) throws IOException;
                        public FSDataInputStream open(Path path) throws IOException {
                            return new FSDataInputStream(Files.newInputStream(((RootedFileSystem) this).local(path)));
                        }
                    }
                    class RootedFileSystem extends FileSystem {
                        private final java.nio.file.Path root;
                        RootedFileSystem(java.nio.file.Path root) {
                            this.root = root;
                        }
                        java.nio.file.Path local(Path path) {
                            return root.resolve(path.toUri().getPath().substring(1));
                        }
                        @Override
                        public FileStatus getFileStatus(Path path) throws IOException {
                            java.nio.file.Path local = local(path);
                            if (!Files.exists(local)) {
                                throw new FileNotFoundException("File " + path.toUri() + " does not exist");
                            }
                            boolean directory = Files.isDirectory(local);
                            return new FileStatus(directory ? 0 : Files.size(local), directory);
                        }
                    }
                    """);

  private FakeHadoop() {
  }

  /** Compiles the classes below {@code dir} and returns a loader that has them (and nothing of the fetcher). */
  static ClassLoader compile(Path dir) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    Skips.require(compiler != null, "compiling the fake Hadoop API needs a JDK");
    Path sources = Files.createDirectories(dir.resolve("src"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-proc:none"));
    for (Map.Entry<String, String> source : SOURCES.entrySet()) {
      Path file = sources.resolve(source.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
      arguments.add(file.toString());
    }
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = compiler.run(null, errors, errors, arguments.toArray(new String[0]));
    assertEquals(0, rc, errors.toString(StandardCharsets.UTF_8));
    return new URLClassLoader(new URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
  }
}
