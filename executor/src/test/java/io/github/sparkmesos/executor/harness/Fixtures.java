package io.github.sparkmesos.executor.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

final class Fixtures {

  private Fixtures() {}

  /** Waits (at most two minutes) for a task to create {@code file}: an event, seen through inotify. */
  static void awaitFile(Path file) throws Exception {
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (!Files.exists(file) && System.nanoTime() < deadline) {
        var key = watch.poll(1, TimeUnit.SECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    }
    assertTrue(Files.exists(file), file + " never appeared");
  }
}
