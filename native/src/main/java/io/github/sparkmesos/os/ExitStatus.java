package io.github.sparkmesos.os;

/**
 * How a process ended, decoded from a wait(2) status: either it exited with a code, or a signal
 * terminated it.
 */
public record ExitStatus(int code, int signal, boolean coreDumped) {

  public static ExitStatus exited(int code) {
    return new ExitStatus(code, 0, false);
  }

  public static ExitStatus signaled(int signal, boolean coreDumped) {
    return new ExitStatus(-1, signal, coreDumped);
  }

  /** Decodes the int that waitpid(2) stores (WIFEXITED / WTERMSIG / WCOREDUMP). */
  public static ExitStatus fromWaitStatus(int status) {
    int termSignal = status & 0x7f;
    if (termSignal == 0) {
      return exited((status >> 8) & 0xff);
    }
    return signaled(termSignal, (status & 0x80) != 0);
  }

  public boolean isSignaled() {
    return signal != 0;
  }

  public boolean isSuccess() {
    return signal == 0 && code == 0;
  }

  /**
   * The wording of Mesos's WSTRINGIFY: "exited with status 3", "terminated with signal Killed",
   * with " (core dumped)" when it applies.
   */
  public String describe() {
    if (isSignaled()) {
      return "terminated with signal " + Signal.describe(signal) + (coreDumped ? " (core dumped)" : "");
    }
    return "exited with status " + code;
  }

  /** The shell's view: 128 + signal for a signal, else the code. */
  public int shellCode() {
    return isSignaled() ? 128 + signal : code;
  }

  @Override
  public String toString() {
    return describe();
  }
}
