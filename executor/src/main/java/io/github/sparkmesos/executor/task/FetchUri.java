package io.github.sparkmesos.executor.task;

/** One URI to fetch into the task's sandbox, with Mesos's CommandInfo.URI options. */
public record FetchUri(String value, boolean extract, boolean executable, boolean cache, String outputFile) {

  public static FetchUri archive(String value, boolean cache) {
    return new FetchUri(value, true, false, cache, null);
  }
}
