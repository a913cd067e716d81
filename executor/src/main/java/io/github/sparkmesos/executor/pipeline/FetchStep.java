package io.github.sparkmesos.executor.pipeline;

import io.github.sparkmesos.executor.task.FetchUri;
import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.fetcher.FetchException;
import io.github.sparkmesos.fetcher.FetchProgress;
import io.github.sparkmesos.fetcher.FetchResult;
import io.github.sparkmesos.fetcher.Fetcher;
import io.github.sparkmesos.fetcher.ProgressText;
import io.github.sparkmesos.fetcher.internal.Trees;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.TaskState;

/**
 * Fetches the plan's URIs into the task's directory, in order. Progress goes to the task's stderr
 * and, rarely, into a TASK_STARTING update ({@link ProgressThrottle}); what was fetched is said at
 * the end. Its undo removes every entry the fetches added to the directory.
 */
final class FetchStep {

  /** A kill ended the fetch. */
  static final class Killed extends Exception {
    Killed() {
      super("killed while fetching");
    }
  }

  /** The task's own output files stay: they say why it failed. */
  private static final Set<String> LOGS = Set.of("stdout", "stderr");

  private final Fetcher fetcher;
  private final String user;
  private final TaskLog log;
  private final TaskReporter reporter;
  private final BooleanSupplier killRequested;

  /** @param user whose fetches these are (the framework's user): the node cache keeps users apart */
  FetchStep(Fetcher fetcher, String user, TaskLog log, TaskReporter reporter, BooleanSupplier killRequested) {
    this.fetcher = fetcher;
    this.user = user;
    this.log = log;
    this.reporter = reporter;
    this.killRequested = killRequested;
  }

  Undo run(LaunchPlan plan) throws LaunchFailedException, Killed {
    if (plan.uris().isEmpty()) {
      return () -> { }; // nothing of the directory is this step's (it may be the executor's own sandbox)
    }
    Set<Path> before = entries(plan.directory());
    Undo undo = () -> {
      for (Path entry : entries(plan.directory())) {
        if (!before.contains(entry) && !LOGS.contains(entry.getFileName().toString())) {
          Trees.deleteQuietly(entry);
        }
      }
    };
    try {
      fetchAll(plan);
      return undo;
    } catch (LaunchFailedException | Killed | RuntimeException e) {
      undo.run();
      throw e;
    }
  }

  private void fetchAll(LaunchPlan plan) throws LaunchFailedException, Killed {
    List<String> fetched = new ArrayList<>();
    ProgressThrottle throttle = new ProgressThrottle(System::nanoTime);
    for (FetchUri uri : plan.uris()) {
      if (killRequested.getAsBoolean()) {
        throw new Killed();
      }
      log.note("Fetching " + uri + (uri.cache() ? " (cacheable)" : ""));
      long started = System.nanoTime();
      FetchProgress progress = (u, bytes, total) -> {
        boolean note = throttle.noteDue();
        boolean update = throttle.updateDue();
        if (note || update) {
          String line = ProgressText.progress(u, bytes, total, Duration.ofNanos(System.nanoTime() - started));
          if (note) {
            log.note(line);
          }
          if (update) {
            reporter.status(TaskState.TASK_STARTING, null, "Fetching " + line);
          }
        }
      };
      try {
        FetchResult result = fetcher.fetch(uri.request(user), plan.directory(), progress);
        String line = ProgressText.fetched(result);
        log.note(line);
        fetched.add(line);
      } catch (FetchException e) {
        if (killRequested.getAsBoolean()) {
          throw new Killed();
        }
        log.note(e.getMessage());
        throw new LaunchFailedException(e.getMessage(), e);
      } catch (RuntimeException e) {
        if (e.getCause() instanceof InterruptedIOException || killRequested.getAsBoolean()) {
          throw new Killed();
        }
        throw e;
      }
    }
    if (!fetched.isEmpty()) {
      reporter.status(TaskState.TASK_STARTING, null, String.join("; ", fetched));
    }
  }

  private static Set<Path> entries(Path directory) {
    try (Stream<Path> list = Files.list(directory)) {
      return new HashSet<>(list.toList());
    } catch (IOException e) {
      return Set.of();
    }
  }
}
