package io.github.sparkmesos.tools.demo;

import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.Command;
import io.github.sparkmesos.os.ExitStatus;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import io.github.sparkmesos.testing.Skips;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkDistributionTest {

  private static final String TOP = SparkDistribution.TOP_DIR + "/";

  @TempDir
  Path tmp;

  private Path jarsDir;
  private Path cacheDir;

  @BeforeEach
  void fakeJars() throws IOException {
    jarsDir = Files.createDirectories(tmp.resolve("spark-jars"));
    Files.writeString(jarsDir.resolve("b-2.0.jar"), "bbb");
    Files.writeString(jarsDir.resolve("a-1.0.jar"), "a");
    cacheDir = tmp.resolve("cache");
  }

  /** One entry of the tarball: the header and the content. */
  record Entry(TarArchiveEntry header, byte[] content) {
  }

  static Map<String, Entry> read(Path tgz) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(tgz);
        GZIPInputStream gz = new GZIPInputStream(in);
        TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        entries.put(e.getName(), new Entry(e, tar.readAllBytes()));
      }
    }
    return entries;
  }

  @Test
  void tarballHasTheDistributionLayout() throws IOException {
    Path tgz = SparkDistribution.ensureTarball(jarsDir, cacheDir);

    assertEquals(cacheDir.resolve("spark-3.5.9-bin-sme.tgz"), tgz);
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(tgz)));
    assertEquals("spark-3.5.9-bin-sme.tgz", SparkDistribution.tarballFileName());
    assertEquals("spark-3.5.9-bin-sme", SparkDistribution.TOP_DIR);
    Map<String, Entry> entries = read(tgz);
    assertEquals(List.of(TOP, TOP + "bin/", TOP + "bin/spark-class", TOP + "conf/", TOP + "conf/log4j2.properties",
        TOP + "jars/", TOP + "jars/a-1.0.jar", TOP + "jars/b-2.0.jar", TOP + "RELEASE"),
        new ArrayList<>(entries.keySet()));
    for (Entry e : entries.values()) {
      assertTrue(e.header().getName().startsWith(TOP), e.header().getName());
    }

    TarArchiveEntry script = entries.get(TOP + "bin/spark-class").header();
    assertTrue(script.isFile());
    assertEquals(0755, script.getMode() & 07777, () -> Integer.toOctalString(script.getMode()));
    assertTrue(entries.get(TOP + "bin/").header().isDirectory());
    assertEquals(0755, entries.get(TOP + "jars/").header().getMode() & 07777);
    assertEquals(0644, entries.get(TOP + "jars/a-1.0.jar").header().getMode() & 07777);

    assertEquals("a", new String(entries.get(TOP + "jars/a-1.0.jar").content(), StandardCharsets.UTF_8));
    assertEquals("bbb", new String(entries.get(TOP + "jars/b-2.0.jar").content(), StandardCharsets.UTF_8));
    assertEquals("Spark 3.5.9 built from Maven Central jars by spark-mesos-executor",
        new String(entries.get(TOP + "RELEASE").content(), StandardCharsets.UTF_8).strip());
    assertArrayEquals(SparkDistribution.resource("spark-class"), entries.get(TOP + "bin/spark-class").content());
    String log4j = new String(entries.get(TOP + "conf/log4j2.properties").content(), StandardCharsets.UTF_8);
    assertTrue(log4j.contains("appender.console.target = SYSTEM_ERR"), log4j);
    assertTrue(log4j.contains("HH:mm:ss.SSS"), log4j);
  }

  @Test
  void sparkClassLeavesTheModuleOptionsToSparkExecutorOpts() throws IOException {
    Map<String, Entry> entries = read(SparkDistribution.ensureTarball(jarsDir, cacheDir));
    String script = new String(entries.get(TOP + "bin/spark-class").content(), StandardCharsets.UTF_8);

    assertTrue(script.startsWith("#!/usr/bin/env bash\n"));
    assertFalse(script.contains("--add-opens"), "spark-class must not add Spark's module options itself");
    assertTrue(script.contains("exec \"$RUNNER\""), "exec keeps the script's pid");
    assertTrue(script.contains("SPARK_EXECUTOR_OPTS"));
    assertTrue(script.contains("-Xmx${MEM}"));
    assertTrue(script.contains("SPARK_EXECUTOR_CLASSPATH"));
  }

  @Test
  void secondCallDoesNotRebuild() throws IOException {
    Path first = SparkDistribution.ensureTarball(jarsDir, cacheDir);
    BasicFileAttributes before = Files.readAttributes(first, BasicFileAttributes.class);
    Files.writeString(jarsDir.resolve("c-3.0.jar"), "c"); // would change the content of a rebuild

    Path second = SparkDistribution.ensureTarball(jarsDir, cacheDir);

    BasicFileAttributes after = Files.readAttributes(second, BasicFileAttributes.class);
    assertEquals(first, second);
    assertEquals(before.lastModifiedTime(), after.lastModifiedTime());
    assertEquals(before.fileKey(), after.fileKey()); // (dev, inode) on Linux
    assertFalse(read(second).containsKey(TOP + "jars/c-3.0.jar"));
    assertEquals(List.of(second), list(cacheDir), "no temp files left behind");
  }

  @Test
  void concurrentBuildersPublishOneCompleteTarball() throws Exception {
    int n = 4;
    CyclicBarrier start = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Path>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        results.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return SparkDistribution.ensureTarball(jarsDir, cacheDir);
        }));
      }
      for (Future<Path> f : results) {
        assertEquals(cacheDir.resolve(SparkDistribution.tarballFileName()), f.get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    Path tgz = cacheDir.resolve(SparkDistribution.tarballFileName());
    assertEquals(List.of(tgz), list(cacheDir));
    assertEquals(9, read(tgz).size());
  }

  @Test
  void missingOrEmptyJarsDirIsAnError() throws IOException {
    IOException missing = assertThrows(IOException.class,
        () -> SparkDistribution.ensureTarball(tmp.resolve("nope"), cacheDir));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThrows(IOException.class, () -> SparkDistribution.ensureTarball(empty, cacheDir));
    assertFalse(Files.exists(cacheDir.resolve(SparkDistribution.tarballFileName())));
  }

  /** Extracts with the system tar and runs bin/spark-class with a fake java that prints its pid and argv. */
  @Test
  void sparkClassBuildsTheExecutorCommandLine() throws Exception {
    boolean tools = Files.isExecutable(Path.of("/bin/bash")) && Files.isExecutable(Path.of("/bin/tar"));
    Skips.require(tools, "needs bash and tar");
    Path tgz = SparkDistribution.ensureTarball(jarsDir, cacheDir);
    Path sandbox = Files.createDirectories(tmp.resolve("sandbox"));
    // through the project's launcher: this JVM's reaper owns every child's exit status
    assertTrue(Command.run(sandbox, "tar", "-xzf", tgz.toString(), "-C", sandbox.toString()).status().isSuccess());
    Path home = sandbox.resolve(SparkDistribution.TOP_DIR);
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("bin/spark-class"))));

    Path javaHome = tmp.resolve("fake-jdk");
    Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"$$\"\nfor a in \"$@\"; do echo \"$a\"; done\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/bin:/bin");
    env.put("JAVA_HOME", javaHome.toString());
    env.put("SPARK_EXECUTOR_OPTS", "-Da=1 -Db=2");
    env.put("SPARK_EXECUTOR_MEMORY", "512m");
    env.put("SPARK_EXECUTOR_CLASSPATH", "/extra");
    List<String> argv = List.of("./bin/spark-class", "org.apache.spark.executor.CoarseGrainedExecutorBackend",
        "--executor-id", "1");
    ChildProcess p = ProcessLauncher.spawn(new ProcessSpec(argv, env, home, tmp.resolve("out"), tmp.resolve("err")));
    assertEquals(ExitStatus.exited(0), p.onExit().get(60, TimeUnit.SECONDS));
    List<String> lines = Files.readAllLines(tmp.resolve("out"));
    assertEquals(String.valueOf(p.pid()), lines.get(0), "exec keeps the pid");
    assertEquals(List.of("-cp", home + "/conf:" + home + "/jars/*:/extra", "-Da=1", "-Db=2", "-Xmx512m",
        "org.apache.spark.executor.CoarseGrainedExecutorBackend", "--executor-id", "1"), lines.subList(1, lines.size()));

    env.put("SPARK_EXECUTOR_OPTS", "-Da=1 -Xmx2g");
    Command.Completed bad = Command.run(argv, env, home, Duration.ofMinutes(1));
    assertEquals(ExitStatus.exited(1), bad.status(), bad.stderr());
    assertEquals("SPARK_EXECUTOR_OPTS is not allowed to specify max heap(Xmx) memory settings (was '-Da=1 -Xmx2g')."
        + " Use spark.executor.memory instead.", bad.stderr().strip());
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
