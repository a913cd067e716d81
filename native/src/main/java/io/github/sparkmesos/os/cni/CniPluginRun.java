package io.github.sparkmesos.os.cni;

import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.ExitStatus;
import io.github.sparkmesos.os.ProcessLauncher;
import io.github.sparkmesos.os.ProcessSpec;
import io.github.sparkmesos.os.StdinPipe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of a CNI plugin, as Mesos's {@code network/cni} isolator runs it: the plugin found by its
 * {@code type} in the plugin directories, argv its path alone, the network configuration on stdin, and an
 * environment of exactly {@code CNI_COMMAND}, {@code CNI_CONTAINERID}, {@code CNI_PATH}, {@code CNI_IFNAME},
 * {@code CNI_NETNS} (left out when the namespace is gone) and {@code PATH} (no {@code CNI_ARGS}).
 */
final class CniPluginRun {

  /** How long a plugin may take. */
  static final Duration TIMEOUT = Duration.ofMinutes(1);
  private static final int CHUNK = 1000; // characters: at most 4000 bytes of UTF-8 per pipe write

  /** What the plugin printed, and how it ended. */
  record Outcome(ExitStatus status, String stdout, String stderr) {
    boolean succeeded() {
      return status.isSuccess();
    }
  }

  private CniPluginRun() {}

  /** The plugin's executable: {@code type} in the first directory of {@code pluginPath} that has it. */
  static Optional<Path> find(String type, String pluginPath) {
    for (String dir : pluginPath.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir).resolve(type);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static Outcome run(Path plugin, String command, String containerId, String pluginPath, String ifname,
      Optional<Path> netns, String stdin, Path workDirectory) throws IOException, InterruptedException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_PATH", pluginPath);
    env.put("CNI_IFNAME", ifname);
    netns.ifPresent(ns -> env.put("CNI_NETNS", ns.toString()));
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
    Path out = Files.createTempFile(workDirectory, "cni-" + command.toLowerCase() + "-", ".out");
    Path err = Files.createTempFile(workDirectory, "cni-" + command.toLowerCase() + "-", ".err");
    try (StdinPipe pipe = StdinPipe.open()) {
      ChildProcess child = ProcessLauncher.spawn(new ProcessSpec(List.of(plugin.toString()), env, workDirectory,
          out, err), pipe);
      for (int i = 0; i < stdin.length(); ) {
        int end = Math.min(stdin.length(), i + CHUNK);
        if (end < stdin.length() && Character.isHighSurrogate(stdin.charAt(end - 1))) {
          end--;
        }
        if (!pipe.write(stdin.substring(i, end))) {
          break; // the plugin stopped reading: its exit status and stderr say why
        }
        i = end;
      }
      pipe.close();
      ExitStatus status;
      try {
        status = child.onExit().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        child.kill(Duration.ZERO);
        throw new IOException("the CNI plugin " + plugin + " did not finish " + command + " within "
            + TIMEOUT.toSeconds() + "s");
      } catch (ExecutionException e) {
        throw new IOException(e.getCause());
      }
      return new Outcome(status, Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
