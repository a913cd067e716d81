package io.github.sparkmesos.executor.task;

/**
 * A TaskInfo this executor refuses: the message names the field and the rule it breaks, and the
 * task fails with {@code REASON_TASK_INVALID} before anything is started.
 */
public final class InvalidTaskException extends Exception {
  public InvalidTaskException(String field, String rule) {
    super(field + ": " + rule);
  }
}
