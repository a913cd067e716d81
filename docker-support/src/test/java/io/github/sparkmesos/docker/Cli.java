package io.github.sparkmesos.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs a command (the docker CLI, apt-get, tar) for a test fixture and returns its output, failing on a non-zero exit. */
final class Cli {

  private Cli() {
  }

  static String run(Path dir, String... argv) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(List.of(argv)).directory(dir == null ? null : dir.toFile())
        .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = process.waitFor();
    if (code != 0) {
      throw new IOException(String.join(" ", argv) + " exited with " + code + ": " + output.strip());
    }
    return output;
  }

  static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Path.of(dir, command).toFile().canExecute()) {
        return true;
      }
    }
    return false;
  }
}
