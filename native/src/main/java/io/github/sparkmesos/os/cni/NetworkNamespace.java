package io.github.sparkmesos.os.cni;

import io.github.sparkmesos.os.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A named network namespace, made and removed with iproute2 ({@code ip netns}): it lives at
 * {@code /run/netns/<name>} (a bind mount that keeps it while no process is in it) with its loopback up.
 * Needs root.
 */
public final class NetworkNamespace {

  static final Path NETNS_DIR = Path.of("/run/netns");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String name;

  private NetworkNamespace(String name) {
    this.name = name;
  }

  /** The namespace called {@code name}, whether or not it exists. */
  public static NetworkNamespace named(String name) {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
      throw new IllegalArgumentException("not a network namespace name: '" + name + "'");
    }
    return new NetworkNamespace(name);
  }

  /** Makes it, with its loopback up. */
  public static NetworkNamespace create(String name) throws IOException, InterruptedException {
    NetworkNamespace ns = named(name);
    ns.ip("netns", "add", name);
    try {
      ns.ip("-n", name, "link", "set", "lo", "up");
    } catch (IOException e) {
      ns.delete();
      throw e;
    }
    return ns;
  }

  public String name() {
    return name;
  }

  /** Its handle, for {@code CNI_NETNS} and {@code nsenter --net=}. */
  public Path path() {
    return NETNS_DIR.resolve(name);
  }

  public boolean exists() {
    return Files.exists(path());
  }

  /** Removes it (a no-op when it is gone); processes still in it keep it until they end. */
  public void delete() throws IOException, InterruptedException {
    if (exists()) {
      ip("netns", "delete", name);
    }
  }

  private void ip(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(iproute2());
    argv.addAll(List.of(args));
    Command.Completed done = Command.run(argv, Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), Path.of("/"),
        TIMEOUT);
    if (!done.status().isSuccess()) {
      throw new IOException("'" + String.join(" ", argv) + "' " + done.status().describe() + ": "
          + done.stderr().strip());
    }
  }

  private static String iproute2() throws IOException {
    for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
      if (Files.isExecutable(Path.of(dir, "ip"))) {
        return dir + "/ip";
      }
    }
    throw new IOException("iproute2's 'ip' is not installed (looked in /usr/sbin, /sbin, /usr/bin, /bin)");
  }
}
