package io.github.sparkmesos.executor.entrypoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.executor.cli.Main;
import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import io.github.sparkmesos.os.Signal;
import io.github.sparkmesos.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entrypoint as a plain process on the host: a JVM of its own (signal handlers are per process),
 * signalled alone, never its command's session, so whatever reaches the command was forwarded.
 */
@Timeout(120)
class EntrypointProcessTest {

  @TempDir
  Path tmp;

  @Test
  void exitsWithTheCommandsCode() throws Exception {
    assertEquals(3, entrypoint("exit 3").onExit().get(60, TimeUnit.SECONDS).code());
  }

  @Test
  void exitsWith128PlusTheSignalThatEndedTheCommand() throws Exception {
    assertEquals(137, entrypoint("kill -KILL $$").onExit().get(60, TimeUnit.SECONDS).code());
  }

  @Test
  void forwardsEachSignalToTheCommandThenTermEndsIt() throws Exception {
    List<Signal> signals = List.of(Signal.SIGHUP, Signal.SIGINT, Signal.SIGUSR1, Signal.SIGUSR2, Signal.SIGWINCH);
    StringBuilder traps = new StringBuilder();
    for (Signal s : signals) {
      traps.append("trap 'touch ").append(s.name()).append("' ").append(s.name().substring(3)).append("; ");
    }
    ChildProcess entrypoint = entrypoint(traps + "trap 'touch TERM; exit 7' TERM; touch ready; "
        + "while :; do sleep 1000 & wait $!; done");
    Waits.awaitFile(tmp.resolve("ready"));

    for (Signal s : signals) {
      entrypoint.signalGroup(s);
      Waits.awaitFile(tmp.resolve(s.name()));
    }
    entrypoint.signalGroup(Signal.SIGTERM);

    assertEquals(7, entrypoint.onExit().get(60, TimeUnit.SECONDS).code());
    assertTrue(Files.exists(tmp.resolve("TERM")));
  }

  @Test
  void loadsNoDockerHadoopOrHttpClientClasses() throws Exception {
    ChildProcess entrypoint = start(List.of("-verbose:class"), List.of("--", "true"));
    assertEquals(0, entrypoint.onExit().get(60, TimeUnit.SECONDS).code());
    String loaded = Files.readString(tmp.resolve("entrypoint.out"));
    assertTrue(loaded.contains(Entrypoint.class.getName()), "no class list in the output");
    for (String heavy : List.of("com.github.dockerjava", "org.apache.hadoop", "okhttp3", "com.google.protobuf")) {
      assertFalse(loaded.contains(heavy), heavy + " classes were loaded");
    }
  }

  @Test
  void refusesAnEmptyCommand() throws Exception {
    ChildProcess entrypoint = start(List.of(), List.of("--"));
    assertEquals(2, entrypoint.onExit().get(60, TimeUnit.SECONDS).code());
  }

  /** {@code entrypoint -- sh -c SCRIPT}, run in {@link #tmp}. */
  private ChildProcess entrypoint(String script) throws Exception {
    return start(List.of(), List.of("--", "sh", "-c", script));
  }

  private ChildProcess start(List<String> jvmOptions, List<String> args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    argv.addAll(jvmOptions);
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "entrypoint"));
    argv.addAll(args);
    return ProcessLauncher.spawn(ProcessSpec.of(argv, Map.of("PATH", System.getenv("PATH")), tmp)
        .withOutput(tmp.resolve("entrypoint.out"), tmp.resolve("entrypoint.err")));
  }
}
