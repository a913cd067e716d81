package io.github.sparkmesos.executor.task;

import io.github.sparkmesos.executor.util.Shell;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the CoarseGrainedExecutorBackend launch the way Spark's Mesos backend
 * ({@code MesosCoarseGrainedSchedulerBackend.createCommand}) does: with spark.executor.uri,
 * {@code cd <basename>*; ./bin/spark-class ...} in the directory the tarball was extracted to;
 * without it, {@code <spark home>/bin/spark-class ...}; and the same environment.
 */
public final class SparkLaunch {

  static final String BACKEND_CLASS = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

  private final SparkTaskDocument document;
  private final Optional<String> sparkUser;
  private final Optional<String> executorSparkHome;
  private final Optional<String> hostnameVariable;

  /**
   * @param sparkUser FrameworkInfo.user, which Spark passes as SPARK_USER
   * @param executorSparkHome SPARK_HOME of the executor's own environment, the last fallback
   */
  public SparkLaunch(SparkTaskDocument document, Optional<String> sparkUser, Optional<String> executorSparkHome) {
    this(document, sparkUser, executorSparkHome, Optional.empty());
  }

  private SparkLaunch(SparkTaskDocument document, Optional<String> sparkUser, Optional<String> executorSparkHome,
      Optional<String> hostnameVariable) {
    this.document = document;
    this.sparkUser = sparkUser;
    this.executorSparkHome = executorSparkHome;
    this.hostnameVariable = hostnameVariable;
  }

  /**
   * The same launch with {@code --hostname "$variable"} (in place of the document's hostname, if any): the
   * address the task's CNI network gives it, known only once it has joined.
   */
  public SparkLaunch withHostnameFrom(String variable) {
    if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("not a variable name: " + variable);
    }
    return new SparkLaunch(document, sparkUser, executorSparkHome, Optional.of(variable));
  }

  public List<FetchUri> uris() throws InvalidTaskException {
    SparkConf conf = document.conf();
    boolean cache = conf.bool("spark.mesos.fetcherCache.enable", false);
    List<FetchUri> uris = new ArrayList<>();
    Optional<String> executorUri = conf.get("spark.executor.uri");
    if (executorUri.isPresent()) {
      basename(executorUri.get()); // validates
      uris.add(FetchUri.archive(executorUri.get(), cache, "TaskInfo.data.conf.spark.executor.uri"));
    }
    for (String uri : conf.list("spark.mesos.uris")) {
      uris.add(FetchUri.archive(uri, cache, "TaskInfo.data.conf.spark.mesos.uris"));
    }
    return uris;
  }

  /** The shell command string: the document's own command, else the one Spark would build. */
  public String command() throws InvalidTaskException {
    if (document.command().isPresent()) {
      return document.command().get();
    }
    SparkConf conf = document.conf();
    String prefix = conf.get("spark.executor.extraLibraryPath")
        .map(p -> "LD_LIBRARY_PATH=" + Shell.quote(p) + "\"${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\" ")
        .orElse("");
    String arguments = BACKEND_CLASS + " " + backendArguments();
    Optional<String> uri = conf.get("spark.executor.uri");
    if (uri.isPresent()) {
      // Spark writes "cd spark-3*;": the glob stays live, the name itself is quoted
      return "cd " + Shell.quote(basename(uri.get())) + "*; " + prefix + "./bin/spark-class " + arguments;
    }
    String home = conf.get("spark.mesos.executor.home").or(() -> executorSparkHome).orElseThrow(() ->
        new InvalidTaskException("TaskInfo.data.conf.spark.mesos.executor.home",
            "is required when spark.executor.uri is not set (and the executor has no SPARK_HOME)"));
    return prefix + Shell.quote(home + "/bin/spark-class") + " " + arguments;
  }

  /** Spark 3.x order: driver url, executor id, cores, app id, then hostname unless a network is named. */
  String backendArguments() {
    SparkTaskDocument.BackendArguments b = document.backend();
    List<String> args = new ArrayList<>(List.of("--driver-url", b.driverUrl(), "--executor-id", b.executorId(),
        "--cores", String.valueOf(b.cores()), "--app-id", b.appId()));
    if (hostnameVariable.isEmpty()) {
      b.hostname().ifPresent(h -> args.addAll(List.of("--hostname", h)));
    }
    List<String> tail = new ArrayList<>();
    b.bindAddress().ifPresent(h -> tail.addAll(List.of("--bind-address", h)));
    b.resourceProfileId().ifPresent(id -> tail.addAll(List.of("--resourceProfileId", String.valueOf(id))));
    List<String> quoted = new ArrayList<>();
    for (String a : args) {
      quoted.add(Shell.quote(a));
    }
    hostnameVariable.ifPresent(v -> quoted.addAll(List.of("--hostname", "\"$" + v + "\"")));
    for (String a : tail) {
      quoted.add(Shell.quote(a));
    }
    return String.join(" ", quoted);
  }

  /** The variables Spark's Mesos backend puts in CommandInfo.environment. */
  public Map<String, String> environment() throws InvalidTaskException {
    SparkConf conf = document.conf();
    SparkTaskDocument.BackendArguments b = document.backend();
    Map<String, String> env = new LinkedHashMap<>();
    conf.get("spark.executor.extraClassPath").ifPresent(cp -> env.put("SPARK_EXECUTOR_CLASSPATH", cp));
    String javaOptions = conf.get("spark.executor.extraJavaOptions").orElse("")
        .replace("{{APP_ID}}", b.appId()).replace("{{EXECUTOR_ID}}", b.executorId());
    if (javaOptions.contains("-Xmx")) {
      throw new InvalidTaskException("TaskInfo.data.conf.spark.executor.extraJavaOptions",
          "must not set -Xmx; use spark.executor.memory");
    }
    env.put("SPARK_EXECUTOR_OPTS", JavaModuleOptions.supplement(javaOptions));
    env.put("SPARK_EXECUTOR_MEMORY", conf.mebibytes("spark.executor.memory", 1024) + "m");
    Map<String, String> executorEnv = conf.withPrefix("spark.executorEnv.");
    sparkUser.ifPresent(u -> env.put("SPARK_USER", u));
    if (!executorEnv.containsKey("OMP_NUM_THREADS")) {
      env.put("OMP_NUM_THREADS", String.valueOf(conf.integer("spark.task.cpus", 1)));
    }
    for (Map.Entry<String, String> e : executorEnv.entrySet()) {
      if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new InvalidTaskException("TaskInfo.data.conf.spark.executorEnv." + e.getKey(),
            "is not a valid environment variable name");
      }
      env.put(e.getKey(), e.getValue());
    }
    return env;
  }

  /**
   * Spark's {@code uri.split('/').last.split('.').head}: the file name up to its first dot, the
   * directory the extracted tarball is expected to start with.
   */
  static String basename(String uri) throws InvalidTaskException {
    String path;
    try {
      path = URI.create(uri).getPath();
    } catch (IllegalArgumentException e) {
      path = uri;
    }
    if (path == null) {
      path = uri;
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    String base = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    if (base.isEmpty()) {
      throw new InvalidTaskException("TaskInfo.data.conf.spark.executor.uri",
          "'" + uri + "' names no file (Spark runs 'cd <file name up to its first dot>*' after fetching it)");
    }
    return base;
  }
}
