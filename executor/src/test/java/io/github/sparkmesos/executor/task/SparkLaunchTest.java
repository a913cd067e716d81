package io.github.sparkmesos.executor.task;

import static io.github.sparkmesos.executor.task.SparkTaskDocumentTest.backend;
import static io.github.sparkmesos.executor.task.SparkTaskDocumentTest.document;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import io.github.sparkmesos.os.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SparkLaunchTest {

  private static final String URI = "http://h/x/spark-3.5.9-bin-sme.tgz";
  private static final String ARGS = "org.apache.spark.executor.CoarseGrainedExecutorBackend"
      + " --driver-url spark://CoarseGrainedScheduler@127.0.0.1:7078 --executor-id 3 --cores 2 --app-id app-1"
      + " --hostname 127.0.0.1";
  private static final Map<String, String> SHELL_ENV = Map.of("PATH", "/usr/bin:/bin");

  private static SparkTaskDocument doc(Map<String, ?> conf, Map<String, ?> backend) throws InvalidTaskException {
    return SparkTaskDocument.parse(new Gson().toJson(document(conf, backend)).getBytes(StandardCharsets.UTF_8));
  }

  private static SparkLaunch launch(Map<String, ?> conf) throws InvalidTaskException {
    return new SparkLaunch(doc(conf, backend()), Optional.empty(), Optional.empty());
  }

  private static SparkLaunch launch(String... confPairs) throws InvalidTaskException {
    Map<String, String> conf = new LinkedHashMap<>();
    for (int i = 0; i < confPairs.length; i += 2) {
      conf.put(confPairs[i], confPairs[i + 1]);
    }
    return launch(conf);
  }

  private static void assertRefusedNaming(String key, ThrowingSupplier call) {
    InvalidTaskException e = assertThrows(InvalidTaskException.class, call::get);
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  @FunctionalInterface
  private interface ThrowingSupplier {
    Object get() throws Exception;
  }

  /** Runs {@code sh -c script} in {@code dir} through the project's own launcher (not ProcessBuilder). */
  private static Command.Completed sh(Path dir, String script, Map<String, String> env) throws Exception {
    Command.Completed done = Command.run(List.of("/bin/sh", "-c", script), env, dir, Duration.ofSeconds(30));
    assertTrue(done.status().isSuccess(), done.status().describe() + ": " + done.stderr());
    return done;
  }

  /** A stand-in bin/spark-class that prints LD_LIBRARY_PATH (or "unset"), then its arguments one per line. */
  private static void fakeSparkClass(Path home) throws Exception {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path script = bin.resolve("spark-class");
    Files.writeString(script, "#!/bin/sh\necho \"${LD_LIBRARY_PATH-unset}\"\nfor a in \"$@\"; do echo \"$a\"; done\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static List<String> expectedArgs() {
    return Arrays.asList(ARGS.split(" "));
  }

  // ---- the command

  @Test
  void withAnExecutorUriTheCommandIsSparksOwn() throws Exception {
    assertEquals("cd spark-3*; ./bin/spark-class " + ARGS, launch("spark.executor.uri", URI).command());
  }

  @Test
  void resourceProfileIdOnlyWhenGiven() throws Exception {
    assertFalse(launch("spark.executor.uri", URI).command().contains("--resourceProfileId"));
    Map<String, Object> b = backend();
    b.put("resourceProfileId", 0);
    b.put("bindAddress", "10.0.0.7");
    String command = new SparkLaunch(doc(Map.of("spark.executor.uri", URI), b), Optional.empty(), Optional.empty()).command();
    assertEquals("cd spark-3*; ./bin/spark-class " + ARGS + " --bind-address 10.0.0.7 --resourceProfileId 0", command);
  }

  @Test
  void noHostnameNoHostnameArgument() throws Exception {
    Map<String, Object> b = backend();
    b.remove("hostname");
    String command = new SparkLaunch(doc(Map.of("spark.executor.uri", URI), b), Optional.empty(), Optional.empty()).command();
    assertFalse(command.contains("--hostname"), command);
    assertTrue(command.endsWith("--app-id app-1"), command);
  }

  @Test
  void theCommandRunsTheExtractedDistribution(@TempDir Path work) throws Exception {
    fakeSparkClass(work.resolve("spark-3.5.9-bin-sme"));
    Command.Completed done = sh(work, launch("spark.executor.uri", URI).command(), SHELL_ENV);
    List<String> lines = done.stdout().lines().toList();
    assertEquals("unset", lines.get(0));
    assertEquals(expectedArgs(), lines.subList(1, lines.size()));
  }

  @Test
  void inACniNetworkTheHostnameIsTheAddressTheNetworkGaveTheTask(@TempDir Path work) throws Exception {
    fakeSparkClass(work.resolve("spark-3.5.9-bin-sme"));
    Map<String, Object> b = backend();
    b.put("bindAddress", "0.0.0.0");
    String command = new SparkLaunch(doc(Map.of("spark.executor.uri", URI), b), Optional.empty(), Optional.empty())
        .withHostnameFrom("MESOS_CONTAINER_IP").command();
    Map<String, String> env = new HashMap<>(SHELL_ENV);
    env.put("MESOS_CONTAINER_IP", "10.231.9.7");
    List<String> lines = sh(work, command, env).stdout().lines().toList();
    List<String> expected = new java.util.ArrayList<>(expectedArgs());
    expected.set(expected.indexOf("127.0.0.1"), "10.231.9.7"); // in place of the document's hostname
    expected.addAll(List.of("--bind-address", "0.0.0.0"));
    assertEquals(expected, lines.subList(1, lines.size()));
  }

  @Test
  void shellMetacharactersInTheUriFileNameCannotRun(@TempDir Path work) throws Exception {
    String uri = "http://h/$(touch x);y.tgz";
    String command = launch("spark.executor.uri", uri).command();
    String cd = command.substring(0, command.indexOf("*; ") + 1);
    assertEquals("cd '$(touch x);y'*", cd);

    // the name is taken literally and the glob stays live: cd finds the directory the tarball made
    Path extracted = Files.createDirectory(work.resolve("$(touch x);y-3.5.9"));
    Command.Completed done = sh(work, cd + "; pwd", SHELL_ENV);
    assertEquals(extracted.toRealPath().toString(), done.stdout().trim());
    try (Stream<Path> files = Files.walk(work)) {
      assertEquals(List.of(), files.filter(p -> p.getFileName().toString().equals("x")).toList(), "the shell ran $(touch x)");
    }

    // control: Spark's unquoted form does run it, so the check above can see it
    Path control = Files.createDirectory(work.resolve("control"));
    Command.run(List.of("/bin/sh", "-c", "cd $(touch x);y*"), SHELL_ENV, control, Duration.ofSeconds(30));
    assertTrue(Files.exists(control.resolve("x")));
  }

  @Test
  void aUriThatNamesNoFileIsRefused() throws Exception {
    assertRefusedNaming("spark.executor.uri", () -> launch("spark.executor.uri", "http://h/dir/").command());
    assertRefusedNaming("spark.executor.uri", () -> launch("spark.executor.uri", "http://h/.hidden").uris());
  }

  @Test
  void withoutAUriTheHomeGivesTheSparkClassPath() throws Exception {
    assertEquals("/opt/spark/bin/spark-class " + ARGS, launch("spark.mesos.executor.home", "/opt/spark").command());
    assertEquals("'/opt/my spark/bin/spark-class' " + ARGS, launch("spark.mesos.executor.home", "/opt/my spark").command());
    assertEquals("'/opt/it'\\''s/bin/spark-class' " + ARGS, launch("spark.mesos.executor.home", "/opt/it's").command());
  }

  @Test
  void theExecutorsSparkHomeIsTheLastFallback() throws Exception {
    SparkTaskDocument d = doc(Map.of(), backend());
    assertEquals("/srv/spark/bin/spark-class " + ARGS,
        new SparkLaunch(d, Optional.empty(), Optional.of("/srv/spark")).command());
    SparkTaskDocument withHome = doc(Map.of("spark.mesos.executor.home", "/opt/spark"), backend());
    assertEquals("/opt/spark/bin/spark-class " + ARGS,
        new SparkLaunch(withHome, Optional.empty(), Optional.of("/srv/spark")).command(), "the task's conf wins");
  }

  @Test
  void noHomeAtAllIsRefused() {
    InvalidTaskException e = assertThrows(InvalidTaskException.class, () -> launch(Map.of()).command());
    assertTrue(e.getMessage().startsWith("TaskInfo.data.conf.spark.mesos.executor.home: "), e.getMessage());
  }

  @Test
  void theDocumentsOwnCommandIsUsedAsIs() throws Exception {
    Map<String, Object> d = document(Map.of("spark.executor.uri", URI), backend());
    d.put("command", "exec ./my-launcher --flag");
    SparkTaskDocument doc = SparkTaskDocument.parse(new Gson().toJson(d).getBytes(StandardCharsets.UTF_8));
    assertEquals("exec ./my-launcher --flag", new SparkLaunch(doc, Optional.empty(), Optional.empty()).command());
  }

  @Test
  void extraLibraryPathIsAnLdLibraryPathPrefix() throws Exception {
    assertEquals("cd spark-3*; LD_LIBRARY_PATH=/opt/native\"${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\" ./bin/spark-class "
        + ARGS, launch("spark.executor.uri", URI, "spark.executor.extraLibraryPath", "/opt/native").command());
    assertEquals("LD_LIBRARY_PATH=/opt/native\"${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\" /opt/spark/bin/spark-class " + ARGS,
        launch("spark.mesos.executor.home", "/opt/spark", "spark.executor.extraLibraryPath", "/opt/native").command());
  }

  @Test
  void extraLibraryPathReachesSparkClassInFrontOfTheInheritedOne(@TempDir Path work) throws Exception {
    Path home = work.resolve("spark home");
    fakeSparkClass(home);
    String command = launch("spark.mesos.executor.home", home.toString(),
        "spark.executor.extraLibraryPath", "/opt/native libs").command();

    List<String> alone = sh(work, command, SHELL_ENV).stdout().lines().toList();
    assertEquals("/opt/native libs", alone.get(0), "no trailing ':' when nothing is inherited");
    assertEquals(expectedArgs(), alone.subList(1, alone.size()));

    Map<String, String> env = new HashMap<>(SHELL_ENV);
    env.put("LD_LIBRARY_PATH", "/usr/lib/inherited");
    assertEquals("/opt/native libs:/usr/lib/inherited", sh(work, command, env).stdout().lines().findFirst().orElseThrow());
  }

  // ---- the environment

  @ParameterizedTest
  @CsvSource({"2g, 2048m", "512, 512m", "512m, 512m", "1G, 1024m", "3072mb, 3072m", "1t, 1048576m"})
  void executorMemoryInMebibytes(String memory, String expected) throws Exception {
    assertEquals(expected, launch("spark.executor.memory", memory).environment().get("SPARK_EXECUTOR_MEMORY"));
  }

  @Test
  void executorMemoryDefaultsTo1024m() throws Exception {
    assertEquals("1024m", launch().environment().get("SPARK_EXECUTOR_MEMORY"));
  }

  @Test
  void badExecutorMemoryIsRefusedNamingTheKey() {
    for (String bad : new String[] {"abc", "1.5g", "2 gigs", "-1g"}) {
      assertRefusedNaming("spark.executor.memory", () -> launch("spark.executor.memory", bad).environment());
    }
  }

  @Test
  void executorOptsGetEveryModuleOptionPrependedOnce() throws Exception {
    String opts = launch("spark.executor.extraJavaOptions", "-XX:+UseG1GC -Dfoo=bar").environment().get("SPARK_EXECUTOR_OPTS");
    assertEquals(String.join(" ", JavaModuleOptions.OPTIONS) + " -XX:+UseG1GC -Dfoo=bar", opts);

    assertEquals(String.join(" ", JavaModuleOptions.OPTIONS), launch().environment().get("SPARK_EXECUTOR_OPTS"));
  }

  @Test
  void moduleOptionsAlreadyPresentAreNotDuplicated() throws Exception {
    // what a Spark 3.3+ driver sends: the options already in front, plus one of them again later
    String fromDriver = String.join(" ", JavaModuleOptions.OPTIONS) + " -Dfoo=bar --add-opens=java.base/java.nio=ALL-UNNAMED";
    String opts = launch("spark.executor.extraJavaOptions", fromDriver).environment().get("SPARK_EXECUTOR_OPTS");
    assertEquals(fromDriver, opts);

    String some = "--add-opens=java.base/java.lang=ALL-UNNAMED -Dx=1 -Djdk.reflect.useDirectMethodHandle=false";
    List<String> tokens = Arrays.asList(launch("spark.executor.extraJavaOptions", some).environment()
        .get("SPARK_EXECUTOR_OPTS").split(" "));
    for (String option : JavaModuleOptions.OPTIONS) {
      assertEquals(1, Collections.frequency(tokens, option), option + " in " + tokens);
    }
    assertTrue(tokens.contains("-Dx=1"));
  }

  @Test
  void appAndExecutorIdsAreSubstituted() throws Exception {
    String opts = launch("spark.executor.extraJavaOptions", "-Dapp={{APP_ID}} -Dlog=/logs/{{APP_ID}}/{{EXECUTOR_ID}}.log")
        .environment().get("SPARK_EXECUTOR_OPTS");
    assertTrue(opts.endsWith(" -Dapp=app-1 -Dlog=/logs/app-1/3.log"), opts);
    assertFalse(opts.contains("{{"), opts);
  }

  @Test
  void xmxInExtraJavaOptionsIsRefused() {
    InvalidTaskException e = assertThrows(InvalidTaskException.class,
        () -> launch("spark.executor.extraJavaOptions", "-XX:+UseG1GC -Xmx4g").environment());
    assertTrue(e.getMessage().startsWith("TaskInfo.data.conf.spark.executor.extraJavaOptions: "), e.getMessage());
    assertTrue(e.getMessage().contains("-Xmx"), e.getMessage());
  }

  @Test
  void extraClassPathBecomesSparkExecutorClasspath() throws Exception {
    assertEquals("/opt/jars/*:/opt/more.jar",
        launch("spark.executor.extraClassPath", "/opt/jars/*:/opt/more.jar").environment().get("SPARK_EXECUTOR_CLASSPATH"));
    assertFalse(launch().environment().containsKey("SPARK_EXECUTOR_CLASSPATH"));
  }

  @Test
  void executorEnvEntriesBecomeVariables() throws Exception {
    Map<String, String> env = launch("spark.executorEnv.FOO", "bar", "spark.executorEnv.TZ", "UTC").environment();
    assertEquals("bar", env.get("FOO"));
    assertEquals("UTC", env.get("TZ"));
    assertFalse(env.containsKey("spark.executorEnv.FOO"));
    assertRefusedNaming("spark.executorEnv.NOT-A-NAME", () -> launch("spark.executorEnv.NOT-A-NAME", "x").environment());
  }

  @Test
  void ompNumThreadsFollowsTaskCpusUnlessExecutorEnvSetsIt() throws Exception {
    assertEquals("1", launch().environment().get("OMP_NUM_THREADS"));
    assertEquals("4", launch("spark.task.cpus", "4").environment().get("OMP_NUM_THREADS"));
    assertEquals("8", launch("spark.task.cpus", "4", "spark.executorEnv.OMP_NUM_THREADS", "8").environment()
        .get("OMP_NUM_THREADS"));
    assertRefusedNaming("spark.task.cpus", () -> launch("spark.task.cpus", "four").environment());
  }

  @Test
  void sparkUserIsTheFrameworkUser() throws Exception {
    SparkTaskDocument d = doc(Map.of(), backend());
    assertEquals("alice", new SparkLaunch(d, Optional.of("alice"), Optional.empty()).environment().get("SPARK_USER"));
    assertFalse(new SparkLaunch(d, Optional.empty(), Optional.empty()).environment().containsKey("SPARK_USER"));
  }

  // ---- the URIs

  @Test
  void theExecutorUriComesFirstThenSparkMesosUris() throws Exception {
    List<FetchUri> uris = launch("spark.executor.uri", URI,
        "spark.mesos.uris", " http://h/a.jar , ,http://h/b.conf,").uris();
    assertEquals(List.of(FetchUri.archive(URI, false, "TaskInfo.data.conf.spark.executor.uri"), FetchUri.archive("http://h/a.jar", false, "TaskInfo.data.conf.spark.mesos.uris"),
        FetchUri.archive("http://h/b.conf", false, "TaskInfo.data.conf.spark.mesos.uris")), uris);
    assertEquals(List.of(FetchUri.archive("http://h/a.jar", false, "TaskInfo.data.conf.spark.mesos.uris")), launch("spark.mesos.uris", "http://h/a.jar").uris());
    assertEquals(List.of(), launch().uris());
  }

  @Test
  void theFetcherCacheFlagMarksEveryUri() throws Exception {
    List<FetchUri> uris = launch("spark.executor.uri", URI, "spark.mesos.uris", "http://h/a.jar",
        "spark.mesos.fetcherCache.enable", "TRUE").uris();
    assertEquals(List.of(FetchUri.archive(URI, true, "TaskInfo.data.conf.spark.executor.uri"),
        FetchUri.archive("http://h/a.jar", true, "TaskInfo.data.conf.spark.mesos.uris")), uris);
    assertFalse(launch("spark.executor.uri", URI, "spark.mesos.fetcherCache.enable", "false").uris().get(0).cache());
  }

  @Test
  void aFetcherCacheFlagThatIsNotABooleanIsRefused() {
    assertRefusedNaming("spark.mesos.fetcherCache.enable",
        () -> launch("spark.executor.uri", URI, "spark.mesos.fetcherCache.enable", "yes").uris());
  }

  @Test
  void theEnvironmentHasExactlySparksVariables() throws Exception {
    Map<String, String> env = new SparkLaunch(doc(Map.of(), backend()), Optional.of("bob"), Optional.empty()).environment();
    assertEquals(java.util.Set.of("SPARK_EXECUTOR_OPTS", "SPARK_EXECUTOR_MEMORY", "SPARK_USER", "OMP_NUM_THREADS"),
        env.keySet());
  }
}
