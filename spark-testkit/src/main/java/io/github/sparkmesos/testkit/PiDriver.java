package io.github.sparkmesos.testkit;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;

/**
 * A real Spark driver for the demo and the end-to-end tests: master {@code external-executors}
 * (see {@link ExternalExecutorsClusterManager}), so it launches no executors itself and waits for
 * externally started {@code CoarseGrainedExecutorBackend} JVMs to register, then runs a seeded SparkPi.
 *
 * <pre>
 * java &lt;Spark's --add-opens list&gt; -cp "spark-testkit/target/spark-jars/*:spark-testkit/target/classes" \
 *   io.github.sparkmesos.testkit.PiDriver --info-file F [--partitions N] [--executors N]
 *   [--wait-seconds S] [--hold-file H] [--host A]
 * </pre>
 *
 * <p>Protocol on stdout (one line each, flushed; Spark's own log goes to stderr):
 * <ul>
 *   <li>{@code DRIVER_READY driverUrl=spark://CoarseGrainedScheduler@127.0.0.1:PORT appId=ID}, after
 *       the info file F ({@code driverUrl=}, {@code appId=}, {@code driverPid=} lines) has been
 *       written atomically;</li>
 *   <li>{@code EXECUTOR_ADDED id=ID host=HOST} per registration ({@code EXECUTOR_REMOVED id=ID reason=...}
 *       per removal);</li>
 *   <li>{@code PI_RESULT pi=V tasks=N ranOn=executorId/pid=count,...} and {@code Pi is roughly V};</li>
 *   <li>{@code DRIVER_DONE} after {@code sc.stop()}.</li>
 * </ul>
 * Exit codes: 0 success; 1 pi off by 0.01 or more, a task ran on the driver, or an error
 * ({@code DRIVER_FAILED ...}); 2 fewer than N executors registered within S seconds
 * ({@code DRIVER_FAILED no executor registered within S s}); 64 bad arguments.
 *
 * <p>{@code --host A}: the address the driver binds to and executors reach it at (127.0.0.1 by default; a
 * bridge's address for executors in network namespaces of their own).
 *
 * <p>With {@code --hold-file H} the driver keeps the SparkContext (and so the executors) alive after
 * the job until H exists or the SparkContext is stopped from outside (e.g. by a shutdown hook).
 */
public final class PiDriver {

  static final String APP_NAME = "spark-mesos-executor-pi";
  static final int POINTS_PER_PARTITION = 10_000;
  private static final PrintStream OUT = System.out;

  private PiDriver() {
  }

  /** Parsed command line. */
  record Options(Path infoFile, int partitions, int executors, int waitSeconds, Path holdFile, String host) {

    static Options parse(String[] args) {
      Path info = null;
      Path hold = null;
      int partitions = 200;
      int executors = 1;
      int waitSeconds = 180;
      String host = "127.0.0.1";
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + a);
        }
        String v = args[++i];
        switch (a) {
          case "--info-file" -> info = Paths.get(v);
          case "--hold-file" -> hold = Paths.get(v);
          case "--partitions" -> partitions = positive(a, v);
          case "--executors" -> executors = positive(a, v);
          case "--wait-seconds" -> waitSeconds = positive(a, v);
          case "--host" -> host = v;
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (info == null) {
        throw new IllegalArgumentException("--info-file is required");
      }
      return new Options(info, partitions, executors, waitSeconds, hold, host);
    }

    private static int positive(String name, String value) {
      int n;
      try {
        n = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " needs a number, got '" + value + "'");
      }
      if (n <= 0) {
        throw new IllegalArgumentException(name + " must be > 0, got " + n);
      }
      return n;
    }
  }

  public static void main(String[] args) {
    Options opts;
    try {
      opts = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("PiDriver: " + e.getMessage());
      System.err.println("usage: PiDriver --info-file F [--partitions N (200)] [--executors N (1)]"
          + " [--wait-seconds S (180)] [--hold-file H] [--host A (127.0.0.1)]");
      System.exit(64);
      return;
    }
    JavaSparkContext sc = null;
    int rc;
    try {
      String appJar = appJar();
      SparkConf conf = new SparkConf()
          .setMaster(ExternalExecutorsClusterManager.MASTER)
          .setAppName(APP_NAME)
          .set("spark.driver.host", opts.host())
          .set("spark.driver.bindAddress", opts.host())
          .set("spark.ui.enabled", "false")
          // the executor fetches this from the driver (into its cwd) to deserialize the lambdas below
          .set("spark.jars", appJar);

      CountDownLatch registered = new CountDownLatch(opts.executors());
      sc = new JavaSparkContext(conf);
      sc.sc().addSparkListener(new SparkListener() {
        @Override
        public void onExecutorAdded(SparkListenerExecutorAdded e) {
          say("EXECUTOR_ADDED id=" + e.executorId() + " host=" + e.executorInfo().executorHost());
          registered.countDown();
        }

        @Override
        public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
          say("EXECUTOR_REMOVED id=" + e.executorId() + " reason=" + e.reason().replace('\n', ' '));
        }
      });

      String driverUrl = "spark://CoarseGrainedScheduler@" + sc.getConf().get("spark.driver.host") + ":"
          + sc.getConf().get("spark.driver.port");
      String appId = sc.sc().applicationId();
      writeAtomically(opts.infoFile(), "driverUrl=" + driverUrl + "\nappId=" + appId + "\ndriverPid="
          + ProcessHandle.current().pid() + "\n");
      say("DRIVER_READY driverUrl=" + driverUrl + " appId=" + appId);

      if (!registered.await(opts.waitSeconds(), TimeUnit.SECONDS)) {
        say("DRIVER_FAILED no executor registered within " + opts.waitSeconds() + " s");
        sc.stop();
        System.exit(2);
        return;
      }

      rc = runPi(sc, opts.partitions());

      if (opts.holdFile() != null) {
        while (!Files.exists(opts.holdFile()) && !sc.sc().isStopped()) {
          Thread.sleep(100);
        }
      }
    } catch (Exception | Error e) {
      say("DRIVER_FAILED " + e);
      e.printStackTrace();
      rc = 1;
    }
    if (sc != null) {
      try {
        sc.stop();
      } catch (RuntimeException e) {
        e.printStackTrace();
      }
    }
    say("DRIVER_DONE");
    // Spark leaves non-daemon threads behind; exit explicitly.
    System.exit(rc);
  }

  /** The seeded SparkPi job; returns the exit code (0 if pi is within 0.01 and no task ran on the driver). */
  static int runPi(JavaSparkContext sc, int partitions) {
    List<Integer> seeds = new ArrayList<>(partitions);
    for (int i = 0; i < partitions; i++) {
      seeds.add(i);
    }
    // Captures nothing: the lambda is deserialized on the executor through PiDriver.$deserializeLambda$,
    // which is why this class must reach the executor (spark.jars).
    List<String> rows = sc.parallelize(seeds, partitions).map(seed -> {
      Random r = new Random(seed);
      long hits = 0;
      for (int k = 0; k < POINTS_PER_PARTITION; k++) {
        double x = r.nextDouble() * 2 - 1;
        double y = r.nextDouble() * 2 - 1;
        if (x * x + y * y <= 1) {
          hits++;
        }
      }
      return SparkEnv.get().executorId() + "/" + ProcessHandle.current().pid() + "\t" + hits;
    }).collect();

    long hits = 0;
    Map<String, Integer> ranOn = new TreeMap<>();
    for (String row : rows) {
      int tab = row.indexOf('\t');
      hits += Long.parseLong(row.substring(tab + 1));
      ranOn.merge(row.substring(0, tab), 1, Integer::sum);
    }
    double pi = 4.0 * hits / ((double) partitions * POINTS_PER_PARTITION);
    StringJoiner where = new StringJoiner(",");
    ranOn.forEach((k, v) -> where.add(k + "=" + v));
    say("PI_RESULT pi=" + pi + " tasks=" + rows.size() + " ranOn=" + where);
    say("Pi is roughly " + pi);

    boolean onDriver = ranOn.keySet().stream().anyMatch(k -> k.startsWith("driver/"));
    boolean accurate = Math.abs(pi - Math.PI) < 0.01;
    if (!accurate || onDriver || rows.size() != partitions) {
      say("DRIVER_FAILED pi=" + pi + " accurate=" + accurate + " ranOnDriver=" + onDriver + " tasks=" + rows.size());
      return 1;
    }
    return 0;
  }

  /**
   * Where this class's code lives, as something Spark can ship: the jar itself, or, when running
   * from a classes directory (Spark can't serve a directory), a small jar of the PiDriver classes
   * built into a temp dir (deleted on exit).
   */
  static String appJar() throws Exception {
    Path loc = Paths.get(PiDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isRegularFile(loc)) {
      return loc.toString();
    }
    String pkg = PiDriver.class.getPackageName().replace('.', '/');
    Path pkgDir = loc.resolve(pkg);
    Path dir = Files.createTempDirectory("spark-testkit-pidriver-");
    Path jar = dir.resolve("spark-testkit-pidriver.jar");
    File dirFile = dir.toFile();
    dirFile.deleteOnExit(); // deleteOnExit runs in reverse order: the jar first, then the dir
    jar.toFile().deleteOnExit();
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    List<Path> classes;
    try (Stream<Path> s = Files.list(pkgDir)) {
      classes = s.filter(p -> {
        String n = p.getFileName().toString();
        return n.equals("PiDriver.class") || (n.startsWith("PiDriver$") && n.endsWith(".class"));
      }).sorted().toList();
    }
    if (classes.isEmpty()) {
      throw new IOException("no PiDriver classes in " + pkgDir);
    }
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(os, mf)) {
      String prefix = "";
      for (String part : pkg.split("/")) {
        prefix += part + "/";
        jos.putNextEntry(new JarEntry(prefix));
        jos.closeEntry();
      }
      for (Path c : classes) {
        jos.putNextEntry(new JarEntry(pkg + "/" + c.getFileName()));
        Files.copy(c, jos);
        jos.closeEntry();
      }
    }
    return jar.toString();
  }

  static void writeAtomically(Path file, String content) throws IOException {
    Path abs = file.toAbsolutePath();
    if (abs.getParent() != null) {
      Files.createDirectories(abs.getParent());
    }
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp" + ProcessHandle.current().pid());
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static void say(String line) {
    synchronized (OUT) {
      OUT.println(line);
      OUT.flush();
    }
  }
}
