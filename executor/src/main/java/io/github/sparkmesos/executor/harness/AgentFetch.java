package io.github.sparkmesos.executor.harness;

import io.github.sparkmesos.executor.ExecutorMain;
import io.github.sparkmesos.executor.pipeline.ProgressThrottle;
import io.github.sparkmesos.executor.pipeline.TaskLog;
import io.github.sparkmesos.executor.task.FetchUri;
import io.github.sparkmesos.fetcher.FetchException;
import io.github.sparkmesos.fetcher.FetchResult;
import io.github.sparkmesos.fetcher.Fetcher;
import io.github.sparkmesos.fetcher.ProgressText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;

/**
 * The agent's fetcher: the URIs of the executor's CommandInfo into the sandbox, in order, before the
 * executor starts, with the node cache of {@code --fetch-cache}; what it does goes to the sandbox's
 * stderr, as mesos-fetcher's output does.
 */
final class AgentFetch {

  private AgentFetch() {}

  /**
   * @param environment the executor's environment, which names the node's fetch cache
   * @param user        whose fetches these are: the command's user, else the framework's
   */
  static void run(ExecutorInfo executor, Path sandbox, Map<String, String> environment, String user)
      throws FetchException {
    CommandInfo command = executor.getCommand();
    if (command.getUrisCount() == 0) {
      return;
    }
    TaskLog log = new TaskLog(executor.getExecutorId().getValue(), sandbox, false);
    String owner = command.hasUser() ? command.getUser() : user;
    try (Fetcher fetcher = ExecutorMain.fetcher(environment)) {
      for (int i = 0; i < command.getUrisCount(); i++) {
        FetchUri uri = FetchUri.of(command.getUris(i), "ExecutorInfo.command.uris[" + i + "]");
        log.note("Fetching " + uri + (uri.cache() ? " (cacheable)" : "") + " for the executor's container");
        long started = System.nanoTime();
        ProgressThrottle throttle = new ProgressThrottle(System::nanoTime);
        try {
          FetchResult result = fetcher.fetch(uri.request(owner), sandbox, (u, bytes, total) -> {
            if (throttle.noteDue()) {
              log.note(ProgressText.progress(u, bytes, total, Duration.ofNanos(System.nanoTime() - started)));
            }
          });
          log.note(ProgressText.fetched(result));
        } catch (FetchException e) {
          log.note(e.getMessage());
          throw e;
        }
      }
    }
  }
}
