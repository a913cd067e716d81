package io.github.sparkmesos.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting for events, never for time: inotify for files, bounded checks for thread states. */
public final class Waits {

  private Waits() {}

  /** Waits (at most two minutes) for {@code file} to be created: an event, seen through inotify. */
  public static void awaitFile(Path file) throws Exception {
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

  /**
   * Waits (at most {@code limit}) for a condition no event announces, such as another thread
   * parking: checked as often as the CPU allows, so it holds as soon as it is true.
   */
  public static void awaitCondition(BooleanSupplier condition, Duration limit, String what) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      Thread.yield();
    }
    assertTrue(condition.getAsBoolean(), what);
  }
}
