package io.github.sparkmesos.fetcher.internal;

/** A step failed; the message says what went wrong, without the URI (the fetcher adds it). */
public final class StepException extends Exception {

  private static final long serialVersionUID = 1L;

  public StepException(String reason) {
    super(reason);
  }

  public StepException(String reason, Throwable cause) {
    super(reason, cause);
  }

  /** A refusal or failure of one archive entry: {@code archive entry '<name>' <reason>}. */
  static StepException entry(String entryName, String reason) {
    return new StepException("archive entry '" + Names.display(entryName) + "' " + reason);
  }

  static StepException entry(String entryName, String reason, Throwable cause) {
    return new StepException("archive entry '" + Names.display(entryName) + "' " + reason, cause);
  }
}
