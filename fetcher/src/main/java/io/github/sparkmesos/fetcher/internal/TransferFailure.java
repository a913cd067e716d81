package io.github.sparkmesos.fetcher.internal;

import java.io.IOException;

/**
 * How a resumable source gives up, thrown from a read: either for good (the message is the final reason,
 * attempts included), or with the request to start the whole transfer over ({@link #restart()}), because the
 * bytes received so far cannot be continued (the resource changed, or there is no validator to resume with).
 * {@link Download} then removes what the step wrote and begins again, if attempts are left.
 */
final class TransferFailure extends IOException {

  private static final long serialVersionUID = 1L;

  private final boolean restart;

  private TransferFailure(String reason, Throwable cause, boolean restart) {
    super(reason, cause);
    this.restart = restart;
  }

  static TransferFailure fatal(String reason, Throwable cause) {
    return new TransferFailure(reason, cause, false);
  }

  static TransferFailure restart(String reason, Throwable cause) {
    return new TransferFailure(reason, cause, true);
  }

  boolean restart() {
    return restart;
  }
}
