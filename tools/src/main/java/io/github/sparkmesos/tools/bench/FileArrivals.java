package io.github.sparkmesos.tools.bench;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Notes when files appear in one directory, seen through inotify: a task's command creates a marker
 * as its first act, so its creation time is when the command runs.
 */
final class FileArrivals implements AutoCloseable {

  private final Path dir;
  private final WatchService watch;
  private final Thread thread;
  // guarded by this: file name -> System.nanoTime() when it was seen
  private final Map<String, Long> seen = new LinkedHashMap<>();

  FileArrivals(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.watch = FileSystems.getDefault().newWatchService();
    dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
    this.thread = new Thread(this::loop, "file-arrivals");
    thread.setDaemon(true);
    thread.start();
  }

  Path dir() {
    return dir;
  }

  private void loop() {
    try {
      while (true) {
        WatchKey key = watch.take();
        long nanos = System.nanoTime();
        synchronized (this) {
          for (WatchEvent<?> event : key.pollEvents()) {
            if (event.context() instanceof Path name) {
              seen.putIfAbsent(name.toString(), nanos);
            }
          }
          notifyAll();
        }
        key.reset();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  /** The first file whose name starts with {@code prefix}: its name and when it was seen. */
  synchronized Map.Entry<String, Long> await(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Map.Entry<String, Long>> found = seen.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
          .findFirst();
      if (found.isPresent()) {
        return Map.entry(found.get().getKey(), found.get().getValue());
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException("no " + prefix + "* appeared in " + dir + " within " + timeout.toSeconds() + "s");
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  @Override
  public void close() throws IOException {
    watch.close();
  }
}
