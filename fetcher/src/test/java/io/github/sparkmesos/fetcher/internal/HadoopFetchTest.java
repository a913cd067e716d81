package io.github.sparkmesos.fetcher.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.fetcher.CommandRunner;
import io.github.sparkmesos.fetcher.FetchProgress;
import io.github.sparkmesos.fetcher.FetchRequest;
import io.github.sparkmesos.fetcher.FetcherOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hadoop-scheme URIs: through the {@code hadoop} CLI (a stub script in {@code hadoop-cli-stub}, see its comment),
 * through the FileSystem API (a {@link FakeHadoop} class loader), and with no Hadoop client at all. These run
 * {@link Download} directly, because the Hadoop environment and class loader can only be given to
 * {@link Sources} here.
 */
@Timeout(60)
class HadoopFetchTest {

  static final FetcherOptions OPTIONS = FetcherOptions.DEFAULTS.withCallTimeout(Duration.ofSeconds(30));

  @TempDir
  Path tmp;
  Path sandbox;
  Path stubDir;
  Path root;
  Path log;
  Path emptyDir;
  OkHttpClient client;

  @BeforeEach
  void setUp() throws IOException {
    sandbox = Files.createDirectory(tmp.resolve("sandbox"));
    root = Files.createDirectory(tmp.resolve("hadoop-root"));
    emptyDir = Files.createDirectory(tmp.resolve("empty"));
    log = tmp.resolve("hadoop-invocations.log");
    stubDir = installStub(tmp.resolve("hadoop-cli-stub"));
    client = HttpClients.create(OPTIONS);
  }

  @AfterEach
  void tearDown() {
    HttpClients.shutdown(client);
    System.clearProperty(FakeHadoop.ROOT_PROPERTY);
    try (Stream<Path> paths = Files.walk(tmp)) {
      assertEquals(List.of(), paths.filter(p -> p.getFileName().toString().startsWith(".fetch-"))
          .collect(Collectors.toList()), "no temporary copy or staging directory is left");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The stub from the test resources, made executable in a directory of its own. */
  private static Path installStub(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path hadoop = dir.resolve("hadoop");
    try (InputStream in = HadoopFetchTest.class.getResourceAsStream("/hadoop-cli-stub/hadoop")) {
      Files.copy(in, hadoop, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.setAttribute(hadoop, "unix:mode", 0755);
    return dir;
  }

  private Map<String, String> stubEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", stubDir + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HADOOP_STUB_ROOT", root.toString());
    env.put("HADOOP_STUB_LOG", log.toString());
    return env;
  }

  private Sources cliSources(Map<String, String> env) {
    return new Sources(client, OPTIONS, CommandRunner.processBuilder(), env, null);
  }

  private Download.Outcome fetch(Sources sources, FetchRequest request) throws StepException {
    FetchPlan plan = FetchPlan.of(request, sandbox);
    return Download.run(sources, OPTIONS, plan, plan.sandbox(), null, UriRedactor.redact(request.uri()),
        FetchProgress.NONE);
  }

  private List<String> sandboxNames() throws IOException {
    try (Stream<Path> s = Files.list(sandbox)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static byte[] tgz(String name, byte[] content) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new java.util.zip.GZIPOutputStream(bytes))) {
      TarArchiveEntry entry = new TarArchiveEntry(name);
      entry.setSize(content.length);
      entry.setMode(0100644);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  // ---- the hadoop CLI --------------------------------------------------------------------------------------

  @Test
  void theCliCopiesTheFileWhichIsThenTreatedAsALocalFile() throws Exception {
    byte[] data = randomBytes(300_000, 1);
    Files.createDirectories(root.resolve("data"));
    Files.write(root.resolve("data/conf.bin"), data);

    Download.Outcome outcome = fetch(cliSources(stubEnvironment()),
        FetchRequest.of("hdfs://namenode:8020/data/conf.bin"));

    assertArrayEquals(data, Files.readAllBytes(sandbox.resolve("conf.bin")));
    assertEquals(sandbox.resolve("conf.bin"), outcome.target());
    assertEquals(data.length, outcome.bytes());
    assertEquals(sha256(data), outcome.sha256());
    String invocation = Files.readString(log).strip();
    assertTrue(invocation.matches("fs -copyToLocal hdfs://namenode:8020/data/conf\\.bin "
        + java.util.regex.Pattern.quote(sandbox.toString()) + "/\\.fetch-[^/]+/download"), invocation);
    assertEquals(List.of("conf.bin"), sandboxNames());
  }

  @Test
  void anArchiveCopiedByTheCliIsExtractedAndChecked() throws Exception {
    byte[] content = randomBytes(100_000, 2);
    byte[] archive = tgz("app/lib.jar", content);
    Files.createDirectories(root.resolve("dist"));
    Files.write(root.resolve("dist/app.tgz"), archive);

    Download.Outcome outcome = fetch(cliSources(stubEnvironment()),
        FetchRequest.of("s3a://bucket/dist/app.tgz#sha256=" + sha256(archive)));

    assertTrue(outcome.extracted());
    assertArrayEquals(content, Files.readAllBytes(sandbox.resolve("app/lib.jar")));
    assertEquals(List.of("app"), sandboxNames());
    assertTrue(Files.readString(log).startsWith("fs -copyToLocal s3a://bucket/dist/app.tgz "),
        "the checksum fragment is not passed on");
  }

  @Test
  void aChecksumMismatchThroughTheCliLeavesNothing() throws Exception {
    byte[] data = randomBytes(1000, 3);
    Files.write(root.resolve("x.bin"), data);
    String wrong = "f".repeat(64);

    StepException e = assertThrows(StepException.class, () -> fetch(cliSources(stubEnvironment()),
        FetchRequest.of("hdfs://nn/x.bin").withSha256(wrong)));

    assertEquals("checksum mismatch: expected sha256 " + wrong + ", got " + sha256(data), e.getMessage());
    assertEquals(List.of(), sandboxNames());
  }

  @Test
  void aFailingCliIsReportedWithItsStderr() throws Exception {
    Map<String, String> env = stubEnvironment();
    env.put("HADOOP_STUB_FAIL", "copyToLocal: Permission denied: user=spark, access=READ, inode=\"/secure\"");

    StepException e = assertThrows(StepException.class, () -> fetch(cliSources(env),
        FetchRequest.of("hdfs://nn/secure/app.tgz")));

    assertEquals("'hadoop fs -copyToLocal' failed with exit code 1: WARN util.NativeCodeLoader: Unable to load"
        + " native-hadoop library for your platform | copyToLocal: Permission denied: user=spark,"
        + " access=READ, inode=\"/secure\"", e.getMessage());
    assertEquals(List.of(), sandboxNames());
  }

  @Test
  void aMissingFileIsReportedWithTheCliMessage() throws Exception {
    StepException e = assertThrows(StepException.class, () -> fetch(cliSources(stubEnvironment()),
        FetchRequest.of("hdfs://nn/missing/app.tgz")));

    assertTrue(e.getMessage().startsWith("'hadoop fs -copyToLocal' failed with exit code 1: "), e.getMessage());
    assertTrue(e.getMessage().endsWith("copyToLocal: `hdfs://nn/missing/app.tgz': No such file or directory"),
        e.getMessage());
    assertEquals(List.of(), sandboxNames());
  }

  @Test
  void aDirectoryIsNotAFile() throws Exception {
    Files.createDirectories(root.resolve("dir/sub"));
    Files.writeString(root.resolve("dir/sub/a.txt"), "a");

    StepException e = assertThrows(StepException.class, () -> fetch(cliSources(stubEnvironment()),
        FetchRequest.of("hdfs://nn/dir").withOutputFile("dir.txt")));

    assertEquals("'hdfs://nn/dir' is a directory", e.getMessage());
    assertEquals(List.of(), sandboxNames());
  }

  @Test
  void withoutAnyHadoopClientTheErrorSaysWhatIsMissing() throws Exception {
    Sources none = new Sources(client, OPTIONS, CommandRunner.processBuilder(), Map.of("PATH", emptyDir.toString()),
        getClass().getClassLoader());

    StepException e = assertThrows(StepException.class, () -> fetch(none, FetchRequest.of("hdfs://nn/app.tgz")));

    assertEquals("no Hadoop client: neither org.apache.hadoop.fs.FileSystem on the classpath nor 'hadoop' on PATH",
        e.getMessage());
    assertEquals(List.of(), sandboxNames());
  }

  @Test
  void hadoopHomeComesBeforePath() throws Exception {
    Path home = tmp.resolve("hadoop-home");
    installStub(home.resolve("bin"));
    Files.writeString(root.resolve("a.txt"), "from HADOOP_HOME");
    Map<String, String> env = stubEnvironment();
    env.put("PATH", emptyDir + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HADOOP_HOME", home.toString());
    List<List<String>> commands = new ArrayList<>();
    CommandRunner recording = (argv, environment, dir, timeout) -> {
      commands.add(argv);
      return CommandRunner.processBuilder().run(argv, environment, dir, timeout);
    };

    fetch(new Sources(client, OPTIONS, recording, env, null), FetchRequest.of("hdfs://nn/a.txt"));

    assertEquals("from HADOOP_HOME", Files.readString(sandbox.resolve("a.txt")));
    assertEquals(home.resolve("bin/hadoop").toString(), commands.get(0).get(0));
  }

  @Test
  void anInjectedCommandRunnerIsUsedWithTheEnvironmentAndWhatIsLeftOfTheTimeout() throws Exception {
    Map<String, String> env = stubEnvironment();
    List<Object> seen = new ArrayList<>();
    CommandRunner runner = (argv, environment, dir, timeout) -> {
      seen.add(argv);
      seen.add(environment);
      seen.add(dir);
      seen.add(timeout);
      Files.writeString(Path.of(argv.get(4)), "written by the executor's launcher");
      return new CommandRunner.Result(0, "");
    };

    fetch(new Sources(client, OPTIONS, runner, env, null), FetchRequest.of("viewfs://cluster/etc/app.conf"));

    assertEquals("written by the executor's launcher", Files.readString(sandbox.resolve("app.conf")));
    @SuppressWarnings("unchecked")
    List<String> argv = (List<String>) seen.get(0);
    assertEquals(List.of(stubDir.resolve("hadoop").toString(), "fs", "-copyToLocal", "viewfs://cluster/etc/app.conf"),
        argv.subList(0, 4));
    assertEquals(env, seen.get(1));
    assertEquals(Path.of(argv.get(4)).getParent(), seen.get(2));
    Duration timeout = (Duration) seen.get(3);
    assertTrue(timeout.compareTo(Duration.ZERO) > 0 && timeout.compareTo(OPTIONS.callTimeout()) <= 0, timeout.toString());
    assertFalse(Files.exists(log), "the stub itself never ran");
    assertEquals(List.of("app.conf"), sandboxNames());
  }

  @Test
  void anInterruptedCommandEndsTheFetch() throws Exception {
    CommandRunner interrupted = (argv, environment, dir, timeout) -> {
      throw new InterruptedException("killed");
    };

    StepException e = assertThrows(StepException.class, () -> fetch(
        new Sources(client, OPTIONS, interrupted, stubEnvironment(), null), FetchRequest.of("hdfs://nn/a.txt")));

    assertTrue(Thread.interrupted(), "the interrupt is kept (and cleared here)");
    assertEquals("interrupted", e.getMessage());
    assertEquals(List.of(), sandboxNames());
  }

  @Test
  void userInformationNeverReachesTheCommandLine() throws Exception {
    StepException e = assertThrows(StepException.class, () -> fetch(cliSources(stubEnvironment()),
        FetchRequest.of("s3a://AKIAEXAMPLE:s3cret@bucket/app.tgz")));

    assertEquals("a s3a URI with user information would show it on the 'hadoop' command line; put the credentials"
        + " in the Hadoop configuration instead", e.getMessage());
    assertFalse(Files.exists(log));
  }

  @Test
  void aHadoopUriNeedsAPathAndSchemesOutsideTheListAreRefused() {
    StepException noPath = assertThrows(StepException.class,
        () -> FetchPlan.of(FetchRequest.of("hdfs://namenode:8020"), sandbox));
    StepException ftps = assertThrows(StepException.class,
        () -> FetchPlan.of(FetchRequest.of("ftps://host/app.tgz"), sandbox));

    assertEquals("malformed hdfs URI (missing path), for example hdfs://host/path/file.tgz", noPath.getMessage());
    assertTrue(ftps.getMessage().startsWith("unsupported URI scheme 'ftps' (supported: http, https, file and local"
        + " paths; through a Hadoop client: hdfs, "), ftps.getMessage());
  }

  // ---- the FileSystem API ----------------------------------------------------------------------------------

  @Test
  void theFileSystemApiIsUsedWhenItIsOnTheClasspath() throws Exception {
    ClassLoader hadoop = FakeHadoop.compile(tmp.resolve("fake-hadoop"));
    System.setProperty(FakeHadoop.ROOT_PROPERTY, root.toString());
    byte[] content = randomBytes(200_000, 4);
    byte[] archive = tgz("lib/data.bin", content);
    Files.createDirectories(root.resolve("user/spark"));
    Files.write(root.resolve("user/spark/app.tgz"), archive);
    Sources sources = new Sources(client, OPTIONS, CommandRunner.processBuilder(), stubEnvironment(), hadoop);

    Download.Outcome outcome = fetch(sources, FetchRequest.of("hdfs://nn:8020/user/spark/app.tgz"));

    assertArrayEquals(content, Files.readAllBytes(sandbox.resolve("lib/data.bin")));
    assertEquals(archive.length, outcome.bytes());
    assertEquals(sha256(archive), outcome.sha256());
    assertFalse(Files.exists(log), "the CLI is not used when the API is there");
    assertEquals(List.of("lib"), sandboxNames());
  }

  @Test
  void fileSystemApiFailuresAreReported() throws Exception {
    ClassLoader hadoop = FakeHadoop.compile(tmp.resolve("fake-hadoop"));
    System.setProperty(FakeHadoop.ROOT_PROPERTY, root.toString());
    Files.createDirectories(root.resolve("dir"));
    Sources sources = new Sources(client, OPTIONS, CommandRunner.processBuilder(), stubEnvironment(), hadoop);

    StepException missing = assertThrows(StepException.class,
        () -> fetch(sources, FetchRequest.of("hdfs://nn/missing.tgz")));
    StepException directory = assertThrows(StepException.class,
        () -> fetch(sources, FetchRequest.of("hdfs://nn/dir").withOutputFile("d")));
    StepException scheme = assertThrows(StepException.class,
        () -> fetch(sources, FetchRequest.of("gs://bucket/x.tgz")));

    assertEquals("no such file 'hdfs://nn/missing.tgz'", missing.getMessage());
    assertEquals("'hdfs://nn/dir' is a directory", directory.getMessage());
    assertEquals("the Hadoop FileSystem API failed: IOException: No FileSystem for scheme \"gs\"",
        scheme.getMessage());
    assertEquals(List.of(), sandboxNames());
  }

  // ---- the default command runner --------------------------------------------------------------------------

  @Test
  void theDefaultRunnerGivesExactlyTheEnvironmentAndReturnsStderrAndTheExitCode() throws Exception {
    CommandRunner.Result result = CommandRunner.processBuilder().run(
        List.of("/bin/sh", "-c", "echo \"FOO=$FOO HOME=${HOME:-unset} $(pwd)\" >&2; echo out; exit 3"),
        Map.of("FOO", "bar"), tmp, Duration.ofSeconds(20));

    assertEquals(3, result.exitCode());
    assertEquals("FOO=bar HOME=unset " + tmp.toRealPath() + "\n", result.stderr());
  }

  @Test
  void theDefaultRunnerKillsACommandThatRunsTooLong() {
    IOException e = assertThrows(IOException.class, () -> CommandRunner.processBuilder().run(
        List.of("/bin/sh", "-c", "exec sleep 30"), Map.of("PATH", "/usr/bin:/bin"), tmp, Duration.ofMillis(200)));

    assertEquals("'/bin/sh' did not finish within 0.2s", e.getMessage());
  }
}
