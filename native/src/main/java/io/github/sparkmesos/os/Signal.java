package io.github.sparkmesos.os;

import java.util.Locale;

/** The Linux signals this project sends or reports, with the descriptions strsignal(3) gives. */
public enum Signal {
  SIGHUP(1, "Hangup"),
  SIGINT(2, "Interrupt"),
  SIGQUIT(3, "Quit"),
  SIGILL(4, "Illegal instruction"),
  SIGTRAP(5, "Trace/breakpoint trap"),
  SIGABRT(6, "Aborted"),
  SIGBUS(7, "Bus error"),
  SIGFPE(8, "Floating point exception"),
  SIGKILL(9, "Killed"),
  SIGUSR1(10, "User defined signal 1"),
  SIGSEGV(11, "Segmentation fault"),
  SIGUSR2(12, "User defined signal 2"),
  SIGPIPE(13, "Broken pipe"),
  SIGALRM(14, "Alarm clock"),
  SIGTERM(15, "Terminated"),
  SIGSTKFLT(16, "Stack fault"),
  SIGCHLD(17, "Child exited"),
  SIGCONT(18, "Continued"),
  SIGSTOP(19, "Stopped (signal)"),
  SIGTSTP(20, "Stopped"),
  SIGTTIN(21, "Stopped (tty input)"),
  SIGTTOU(22, "Stopped (tty output)"),
  SIGURG(23, "Urgent I/O condition"),
  SIGXCPU(24, "CPU time limit exceeded"),
  SIGXFSZ(25, "File size limit exceeded"),
  SIGVTALRM(26, "Virtual timer expired"),
  SIGPROF(27, "Profiling timer expired"),
  SIGWINCH(28, "Window changed"),
  SIGIO(29, "I/O possible"),
  SIGPWR(30, "Power failure"),
  SIGSYS(31, "Bad system call");

  private final int number;
  private final String description;

  Signal(int number, String description) {
    this.number = number;
    this.description = description;
  }

  public int number() {
    return number;
  }

  /** What strsignal(3) says, e.g. "Terminated" for SIGTERM. */
  public String description() {
    return description;
  }

  /** Description of any signal number, known here or not. */
  public static String describe(int number) {
    for (Signal s : values()) {
      if (s.number == number) {
        return s.description;
      }
    }
    return "Unknown signal " + number;
  }

  /** Parses "TERM", "SIGTERM" or "15". */
  public static Signal parse(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    for (Signal s : values()) {
      if (s.name().equals(t) || s.name().equals("SIG" + t) || String.valueOf(s.number).equals(t)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown signal '" + text + "'");
  }
}
