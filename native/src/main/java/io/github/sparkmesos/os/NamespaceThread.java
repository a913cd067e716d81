package io.github.sparkmesos.os;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Work done inside a network namespace from this JVM: setns(2) moves only the calling thread, so a thread of its
 * own enters the namespace, runs the work (a socket it opens is the namespace's), and ends, never to be reused.
 */
public final class NamespaceThread {

  private NamespaceThread() {}

  /**
   * {@code body}'s result, computed on a new thread inside the network namespace {@code namespaceFile} (such as
   * {@code /run/netns/NAME} or {@code /proc/PID/ns/net}).
   *
   * @throws IOException when the namespace cannot be entered, or what {@code body} threw
   */
  public static <T> T inNetworkNamespace(Path namespaceFile, Callable<T> body) throws Exception {
    FutureTask<T> task = new FutureTask<>(() -> {
      enter(namespaceFile);
      return body.call();
    });
    Thread thread = new Thread(task, "netns-" + namespaceFile.getFileName());
    thread.setDaemon(true);
    thread.start();
    try {
      return task.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static void enter(Path namespaceFile) throws IOException {
    LibC libc = LibC.INSTANCE;
    int fd = libc.open(namespaceFile.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
    if (fd < 0) {
      throw new IOException("cannot open " + namespaceFile + ": " + libc.strerror(LibC.errno()));
    }
    try {
      if (libc.setns(fd, LibC.CLONE_NEWNET) != 0) {
        throw new IOException("cannot enter the network namespace " + namespaceFile + ": "
            + libc.strerror(LibC.errno()));
      }
    } finally {
      libc.close(fd);
    }
  }
}
