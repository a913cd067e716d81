package io.github.sparkmesos.executor.entrypoint;

import io.github.sparkmesos.os.ChildProcess;
import io.github.sparkmesos.os.Signal;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes every signal this JVM can catch on to a child's process group. Signals that arrive before
 * the child exists are kept and passed on once it does.
 *
 * <p>Not forwarded: SIGKILL and SIGSTOP (nobody can catch them); SIGQUIT, SIGILL, SIGFPE and SIGSEGV
 * (HotSpot keeps them: SIGQUIT prints a thread dump of this JVM); SIGBUS, SIGTRAP, SIGABRT, SIGSYS,
 * SIGPIPE, SIGXCPU and SIGXFSZ (faults or limits of this process itself, which the JVM handles);
 * SIGCHLD (the reaper's); SIGTTIN and SIGTTOU (job control of this process's own terminal, as tini
 * leaves them); the real-time signals (sun.misc.Signal has no names for them).
 */
final class SignalForwarder {

  static final List<Signal> FORWARDED = List.of(
      Signal.SIGHUP, Signal.SIGINT, Signal.SIGTERM, Signal.SIGUSR1, Signal.SIGUSR2, Signal.SIGALRM,
      Signal.SIGCONT, Signal.SIGTSTP, Signal.SIGURG, Signal.SIGVTALRM, Signal.SIGPROF, Signal.SIGWINCH,
      Signal.SIGIO, Signal.SIGPWR, Signal.SIGSTKFLT);

  private final List<Signal> early = new ArrayList<>();
  private ChildProcess child;

  /** Catches the {@link #FORWARDED} signals from now on. */
  @SuppressWarnings("removal") // sun.misc.Signal: the only way a JVM catches a signal by number
  static SignalForwarder install() {
    SignalForwarder forwarder = new SignalForwarder();
    for (Signal signal : FORWARDED) {
      sun.misc.Signal.handle(new sun.misc.Signal(signal.name().substring(3)), s -> forwarder.received(signal));
    }
    return forwarder;
  }

  /** From now on, signals go to {@code target}'s group, starting with those that came before it. */
  void forwardTo(ChildProcess target) {
    List<Signal> pending;
    synchronized (this) {
      child = target;
      pending = List.copyOf(early);
      early.clear();
    }
    pending.forEach(target::signalGroup);
  }

  private void received(Signal signal) {
    ChildProcess target;
    synchronized (this) {
      target = child;
      if (target == null) {
        early.add(signal);
        return;
      }
    }
    target.signalGroup(signal);
  }
}
