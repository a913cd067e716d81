package io.github.sparkmesos.executor.task;

/** What Spark's CoarseGrainedExecutorBackend means by its exit codes (SparkExitCode, ExecutorExitCode). */
public final class SparkExitCodes {

  private SparkExitCodes() {}

  /** A short explanation, or empty for a code Spark gives no meaning. */
  public static String explain(int code) {
    return switch (code) {
      case 1 -> "the executor could not start or register with the driver";
      case 50 -> "uncaught exception in the executor";
      case 51 -> "uncaught exception, and another while handling it";
      case 52 -> "the executor ran out of memory";
      case 53 -> "the executor could not create any local directory";
      case 56 -> "the executor could not send heartbeats to the driver";
      case 127 -> "command not found";
      case 255 -> "the block manager could not re-register with the driver";
      default -> code > 128 ? "died from signal " + (code - 128) + "?" : "";
    };
  }
}
