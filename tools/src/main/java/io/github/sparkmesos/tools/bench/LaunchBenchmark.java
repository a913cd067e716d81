package io.github.sparkmesos.tools.bench;

import io.github.sparkmesos.executor.harness.Harness;
import io.github.sparkmesos.executor.harness.TaskFile;

import io.github.sparkmesos.executor.cli.Main;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.os.Command;
import io.github.sparkmesos.tools.bench.UpdateArrivals.Arrival;
import io.github.sparkmesos.tools.demo.FileServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code spark-mesos-executor bench-launch [--runs N] [--work DIR]}: times the executor's launch path
 * under the in-process harness (start to SUBSCRIBE, LAUNCH to running, exit to terminal update, resident
 * memory, a 64-task kill, update throughput), each beside a baseline measured in the same run, and
 * prints one table of medians and p90s. Every run starts fresh executor JVMs, as an agent does; a first
 * round warms this JVM and fills the fetch cache, and is not counted.
 */
public final class LaunchBenchmark {

  private static final int TASKS = 64;
  private static final Duration KILL_GRACE = Duration.ofSeconds(1);
  /** Resident memory is read this long after the tasks run, once the executor's burst of work is over. */
  private static final Duration SETTLE = Duration.ofMillis(300);
  private static final String JVM_FLAGS = "-Dcom.google.protobuf.use_unsafe_pre22_gencode -XX:+UseSerialGC";

  private final Path work;
  private final String executorUri;
  private final String jvm;
  private final String executorCommand;

  private final Samples startToSubscribe = new Samples();
  private final Samples helloStart = new Samples();
  private final Samples launchToCommand = new Samples();
  private final Samples launchToRunning = new Samples();
  private final Samples cachedLaunchToCommand = new Samples();
  private final Samples cachedLaunchToRunning = new Samples();
  private final Samples directSpawn = new Samples();
  private final Samples exitToUpdate = new Samples();
  private final Samples postRoundTrip = new Samples();
  private final Samples residentOneTask = new Samples();
  private final Samples residentAllTasks = new Samples();
  private final Samples helloResident = new Samples();
  private final Samples killAll = new Samples();
  private final Samples grace = new Samples();
  private final Samples updatesPerSecond = new Samples();
  private final Samples postsPerSecond = new Samples();
  private final Samples containerLaunchToCommand = new Samples();
  private final Samples containerLaunchToRunning = new Samples();
  private final Samples dockerRun = new Samples();
  /** The image of row 7 (the project's base image, made by images/base-image.sh), or null without an engine. */
  private String image;

  private LaunchBenchmark(Path home, Path work, String executorUri) {
    this.work = work;
    this.executorUri = executorUri;
    this.jvm = "'" + Path.of(System.getProperty("java.home"), "bin", "java") + "' " + JVM_FLAGS;
    // the executor exactly as an agent would start it: through bin/spark-mesos-executor (its own jar, lib and
    // class data sharing archive), nothing of the tools
    this.executorCommand = "exec '" + home.resolve("bin/spark-mesos-executor") + "' executor";
  }

  public static int run(List<String> args) throws Exception {
    Log.component("bench");
    Path home = Path.of(System.getProperty("sme.home", ".")).toAbsolutePath().normalize();
    int runs = 10;
    Path work = home.resolve("build/bench/launch");
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--runs" -> runs = Integer.parseInt(args.get(++i));
        case "--work" -> work = Path.of(args.get(++i)).toAbsolutePath();
        default -> throw new IllegalArgumentException("unknown option " + args.get(i)
            + "\nusage: spark-mesos-executor bench-launch [--runs N] [--work DIR]");
      }
    }
    if (runs < 1 || !Files.isRegularFile(home.resolve("executor/target/spark-mesos-executor.jar"))) {
      throw new IllegalArgumentException("--runs must be at least 1, and " + home
          + "/executor/target/spark-mesos-executor.jar built (./mvnw -DskipTests package)");
    }
    Command.run(home, "rm", "-rf", work.toString());
    Path tarball = BenchTarball.ensure(home.resolve("build/bench"));
    Log.info("executor tarball " + tarball + " (" + Files.size(tarball) / (1 << 20) + " MiB); work in " + work);
    try (FileServer server = new FileServer(tarball.getParent())) {
      LaunchBenchmark bench = new LaunchBenchmark(home, work, server.url(tarball.getFileName().toString()));
      bench.image = ContainerBaseline.image(home);
      for (int round = 0; round <= runs; round++) {
        Log.info("round " + round + (round == 0 ? " (warm-up, not counted)" : " of " + runs));
        bench.round(round, round > 0);
      }
      System.out.printf("%nlaunch benchmark: %d runs (+1 warm-up), %d cpus, java %s; times in ms%n%n", runs,
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
      bench.table().print(System.out);
    }
    return 0;
  }

  private void round(int round, boolean counted) throws Exception {
    Path dir = work.resolve("round-" + round);
    oneTask(dir.resolve("one"), counted);
    cachedTarball(dir.resolve("cached"), round, counted);
    allExitAtOnce(dir.resolve("exits"), counted);
    killAll(dir.resolve("kills"), counted);
    baselines(dir.resolve("baselines"), counted);
    if (image != null) {
      containerTask(dir.resolve("container"), counted);
    }
    Command.run(work, "rm", "-rf", dir.toString());
  }

  /** One task: start to SUBSCRIBE, LAUNCH to running, resident memory, then its exit to TASK_FINISHED. */
  private void oneTask(Path dir, boolean counted) throws Exception {
    FileArrivals marks = new FileArrivals(dir.resolve("marks"));
    Path gate = fifo(dir.resolve("gate"));
    Path stamp = dir.resolve("exit-stamp");
    String command = ExecutorRun.marker(marks.dir(), "a") + "read x <> '" + gate + "'; exec date +%s%N > '" + stamp
        + "'"; // date is the task's last process: its exit is the task's
    // held open here, so what is written stays in the pipe until the task reads it
    try (RandomAccessFile release = new RandomAccessFile(gate.toFile(), "rw");
        ExecutorRun run = ExecutorRun.start(dir, marks, List.of(TaskFile.commandTask("a", command, Map.of())),
            executorCommand)) {
      long ran = run.commandRanNanos("a");
      Arrival running = run.updates().await("a", "TASK_RUNNING", ExecutorRun.TIMEOUT);
      long pid = executorPid(run, "a");
      Thread.sleep(SETTLE.toMillis());
      double resident = Procs.residentMib(pid);
      Baselines.Posts posts = Baselines.heartbeats(Procs.environment(pid, "MESOS_AGENT_ENDPOINT"), Duration.ofSeconds(1));
      release.write('\n');
      Arrival finished = run.updates().await("a", "TASK_FINISHED", ExecutorRun.TIMEOUT);
      long exited = Long.parseLong(Files.readString(stamp).trim());
      Harness.Result result = run.finish();
      // when its request reached the agent API, on the epoch clock of the exit stamp: "sent", as near as the
      // agent can tell, before the harness parses, records and prints it
      long received = run.updateArrivalNanos(result.terminal("a").uuid());
      long sentEpochNanos = finished.epochNanos() - (finished.nanos() - received);
      if (counted) {
        startToSubscribe.add((run.subscribeNanos() - run.startNanos()) / 1e6);
        launchToCommand.add((ran - run.subscribeNanos()) / 1e6);
        launchToRunning.add((running.nanos() - run.subscribeNanos()) / 1e6);
        residentOneTask.add(resident);
        exitToUpdate.add((sentEpochNanos - exited) / 1e6);
        postRoundTrip.add(posts.medianMillis());
        postsPerSecond.add(posts.perSecond());
      }
    }
  }

  /** One task whose executor URI, a 100 MiB tarball, the node cache already holds (after the warm-up). */
  private void cachedTarball(Path dir, int round, boolean counted) throws Exception {
    FileArrivals marks = new FileArrivals(dir.resolve("marks"));
    String task = TaskFile.commandTask("c", ExecutorRun.marker(marks.dir(), "c") + "exit 0", Map.of(
        "spark.executor.uri", executorUri, "spark.mesos.fetcherCache.enable", "true"));
    try (ExecutorRun run = ExecutorRun.start(dir, marks, List.of(task), executorCommand, "--fetch-cache",
        work.resolve("fetch-cache").toString())) {
      long ran = run.commandRanNanos("c");
      Arrival running = run.updates().await("c", "TASK_RUNNING", ExecutorRun.TIMEOUT);
      run.finish();
      boolean hit = run.updates().all().stream().anyMatch(a -> a.message().contains("from cache"));
      if (round > 0 && !hit) {
        throw new IllegalStateException("round " + round + " did not fetch from the cache: " + run.updates().all());
      }
      if (counted) {
        cachedLaunchToCommand.add((ran - run.subscribeNanos()) / 1e6);
        cachedLaunchToRunning.add((running.nanos() - run.subscribeNanos()) / 1e6);
      }
    }
  }

  /**
   * One task in a container of an image the engine has: LAUNCH until its command runs in the container
   * (its marker, in a folder bind-mounted at the same path), beside {@code docker run} of the same.
   */
  private void containerTask(Path dir, boolean counted) throws Exception {
    FileArrivals marks = new FileArrivals(dir.resolve("marks"));
    String shared = marks.dir() + ":" + marks.dir();
    String task = TaskFile.commandTask("d", ExecutorRun.marker(marks.dir(), "d") + "exit 0", Map.of(
        "spark.mesos.executor.docker.image", image, "spark.mesos.executor.docker.volumes", shared));
    try (ExecutorRun run = ExecutorRun.start(dir, marks, List.of(task), executorCommand)) {
      long ran = run.commandRanNanos("d");
      Arrival running = run.updates().await("d", "TASK_RUNNING", ExecutorRun.TIMEOUT);
      run.finish();
      double cli = ContainerBaseline.dockerRunMillis(dir, marks, "cli", image);
      if (counted) {
        containerLaunchToCommand.add((ran - run.subscribeNanos()) / 1e6);
        containerLaunchToRunning.add((running.nanos() - run.subscribeNanos()) / 1e6);
        dockerRun.add(cli);
      }
    }
  }

  /** 64 running tasks: resident memory, then all exit at once: terminal updates (acknowledged) per second. */
  private void allExitAtOnce(Path dir, boolean counted) throws Exception {
    FileArrivals marks = new FileArrivals(dir.resolve("marks"));
    Path gate = fifo(dir.resolve("gate"));
    List<String> ids = taskIds();
    List<String> tasks = ids.stream().map(id -> TaskFile.commandTask(id, ExecutorRun.marker(marks.dir(), id)
        + "read x <> '" + gate + "'; exit 0", Map.of())).toList();
    try (RandomAccessFile release = new RandomAccessFile(gate.toFile(), "rw");
        ExecutorRun run = ExecutorRun.start(dir, marks, tasks, executorCommand)) {
      awaitRunning(run, ids);
      long pid = executorPid(run, ids.get(0));
      Thread.sleep(SETTLE.toMillis());
      double resident = Procs.residentMib(pid);
      long released = System.nanoTime();
      release.write("\n".repeat(TASKS).getBytes(StandardCharsets.US_ASCII)); // one line for each task's read
      long last = run.updates().awaitAll("TASK_FINISHED", ids, ExecutorRun.TIMEOUT).stream()
          .mapToLong(Arrival::nanos).max().orElseThrow();
      run.finish();
      if (counted) {
        residentAllTasks.add(resident);
        updatesPerSecond.add(TASKS / ((last - released) / 1e9));
      }
    }
  }

  /** 64 tasks that ignore SIGTERM: KILL for each with a 1 s grace, until the last TASK_KILLED. */
  private void killAll(Path dir, boolean counted) throws Exception {
    FileArrivals marks = new FileArrivals(dir.resolve("marks"));
    List<String> ids = taskIds();
    // the ignored SIGTERM is inherited through exec: only the SIGKILL after the grace ends the task
    List<String> tasks = ids.stream().map(id -> TaskFile.commandTask(id, "trap '' TERM; "
        + ExecutorRun.marker(marks.dir(), id) + "exec sleep 600", Map.of())).toList();
    try (ExecutorRun run = ExecutorRun.start(dir, marks, tasks, executorCommand, "--kill-grace",
        KILL_GRACE.toMillis() + "ms")) {
      awaitRunning(run, ids);
      long start = System.nanoTime();
      ids.forEach(run.harness()::kill);
      long last = run.updates().awaitAll("TASK_KILLED", ids, ExecutorRun.TIMEOUT).stream()
          .mapToLong(Arrival::nanos).max().orElseThrow();
      run.finish();
      if (counted) {
        killAll.add((last - start) / 1e6);
        grace.add(KILL_GRACE.toMillis());
      }
    }
  }

  private void baselines(Path dir, boolean counted) throws Exception {
    Files.createDirectories(dir);
    Baselines.JvmStart hello = Baselines.helloJvm(jvm, dir);
    double spawn;
    try (FileArrivals marks = new FileArrivals(dir.resolve("marks"))) {
      spawn = Baselines.directSpawnMillis(dir, marks, "direct");
    }
    if (counted) {
      helloStart.add(hello.millis());
      helloResident.add(hello.residentMib());
      directSpawn.add(spawn);
    }
  }

  private ResultTable table() {
    ResultTable table = new ResultTable();
    String hello = "hello JVM start -> its first request";
    String spawn = "ProcessLauncher spawn -> command runs";
    table.add("1 executor start -> SUBSCRIBE arrives", startToSubscribe, hello, helloStart, 0);
    table.add("2 LAUNCH -> command runs, no URI", launchToCommand, spawn, directSpawn, 50);
    table.add("2 LAUNCH -> TASK_RUNNING arrives, no URI", launchToRunning, spawn, directSpawn, 50);
    table.add("2 LAUNCH -> command runs, cached 100 MiB tgz", cachedLaunchToCommand, spawn, directSpawn, 100);
    table.add("2 LAUNCH -> TASK_RUNNING, cached 100 MiB tgz", cachedLaunchToRunning, spawn, directSpawn, 100);
    table.add("3 task exit -> TASK_FINISHED sent", exitToUpdate, "loopback POST round trip (agent API)",
        postRoundTrip, 10);
    table.add("4 executor RSS, 1 running task (MiB)", residentOneTask, "hello JVM RSS (MiB)", helloResident, 0);
    table.add("4 executor RSS, 64 running tasks (MiB)", residentAllTasks, "hello JVM RSS (MiB)", helloResident, 0);
    table.add("5 KILL 64 tasks (1 s grace) -> last KILLED", killAll, "the grace", grace, 0);
    table.add("6 updates/s, 64 exits, acknowledged", updatesPerSecond, "POSTs/s to the agent API, one client",
        postsPerSecond, 0);
    if (image != null) {
      String cli = "docker run (CLI) -> command runs";
      table.add("7 LAUNCH -> command runs in a container", containerLaunchToCommand, cli, dockerRun, 0);
      table.add("7 LAUNCH -> TASK_RUNNING, in a container", containerLaunchToRunning, cli, dockerRun, 0);
    }
    return table;
  }

  private static List<String> taskIds() {
    return IntStream.range(0, TASKS).mapToObj(i -> String.format("t%02d", i)).toList();
  }

  private static void awaitRunning(ExecutorRun run, List<String> ids) throws InterruptedException {
    run.updates().awaitAll("TASK_RUNNING", ids, ExecutorRun.TIMEOUT);
    for (String id : ids) {
      run.commandRanNanos(id);
    }
  }

  /** The pid of the executor JVM that runs a task (checked: a task's parent is its executor). */
  private static long executorPid(ExecutorRun run, String taskId) throws Exception {
    long pid = run.executorPid(taskId);
    String commandLine = Procs.commandLine(pid);
    if (!commandLine.contains(Main.class.getName())) {
      throw new IllegalStateException("the parent of task " + taskId + " is not the executor: " + commandLine);
    }
    return pid;
  }

  private static Path fifo(Path path) throws IOException, InterruptedException {
    Files.createDirectories(path.getParent());
    if (!Command.run(path.getParent(), "mkfifo", path.toString()).status().isSuccess()) {
      throw new IOException("mkfifo " + path + " failed");
    }
    return path;
  }
}
