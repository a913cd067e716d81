package io.github.sparkmesos.os;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A child started by {@link ProcessLauncher}: a session leader whose pid is also its process group
 * id. Signals go to the whole group. {@link #kill(Duration)} escalates SIGTERM to SIGKILL after a
 * grace period that later calls may shorten but never extend. {@link #onGroupGone()} completes once
 * the leader has exited and no process of its group is left (seen through the {@link Reaper}, which
 * also reaps the group's orphans because this JVM is their subreaper).
 */
public final class ChildProcess {

  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "process-group-kill");
    t.setDaemon(true);
    return t;
  });

  private final int pid;
  private final CompletableFuture<ExitStatus> exit;
  private final CompletableFuture<Void> groupGone = new CompletableFuture<>();
  private final Runnable groupCheck = this::checkGroup;
  private ScheduledFuture<?> escalation;
  private long killDeadlineNanos = Long.MAX_VALUE;
  private volatile BooleanSupplier heldIn = () -> false;
  private boolean terminated;

  ChildProcess(int pid, CompletableFuture<ExitStatus> exit) {
    this.pid = pid;
    this.exit = exit;
    Reaper.get().addListener(groupCheck);
    exit.whenComplete((status, error) -> checkGroup());
  }

  public int pid() {
    return pid;
  }

  /** Completes with the leader's exit status when the reaper collects it. */
  public CompletableFuture<ExitStatus> onExit() {
    return exit;
  }

  /** Completes when the leader has exited and its process group is empty. */
  public CompletableFuture<Void> onGroupGone() {
    return groupGone;
  }

  /**
   * Sends {@code signal} to every process of the child's session: its process group, and any other
   * group a member made with setpgid (a member that calls setsid itself escapes; only a cgroup holds
   * those). Returns false when none is left.
   */
  public boolean signalGroup(Signal signal) {
    boolean any = LibC.INSTANCE.kill(-pid, signal.number()) == 0;
    for (ProcessTable.Entry e : ProcessTable.inSession(pid)) {
      if (e.pgid() != pid && LibC.INSTANCE.kill(e.pid(), signal.number()) == 0) {
        any = true;
      }
    }
    return any;
  }

  /** Whether any process (a zombie included) is left in the child's process group or session. */
  public boolean groupAlive() {
    if (LibC.INSTANCE.kill(-pid, 0) == 0 || LibC.errno() == LibC.EPERM) {
      return true;
    }
    if (heldIn.getAsBoolean()) {
      return false; // what holds every process of the session is empty: no scan of /proc
    }
    return !ProcessTable.inSession(pid).isEmpty();
  }

  /**
   * Every process of this child's session is held in a container (its task's cgroup, joined before its command
   * ran) for which {@code empty} says true only when it surely holds nothing: then the session is gone without a
   * scan of every process of the host. A container that holds something (perhaps processes that left the
   * session) still leaves the answer to /proc.
   */
  public void heldIn(BooleanSupplier empty) {
    heldIn = empty;
  }

  /** Whether {@link #kill} has been called. */
  public synchronized boolean terminationRequested() {
    return terminated;
  }

  /**
   * SIGTERM to the group now (first call only), SIGKILL to the group when {@code grace} has passed.
   * A later call may bring the SIGKILL forward, never push it back. Zero grace kills at once.
   */
  public synchronized void kill(Duration grace) {
    long now = System.nanoTime();
    long deadline = now + Math.max(0, grace.toNanos());
    if (!terminated) {
      terminated = true;
      signalGroup(Signal.SIGTERM);
      // a stopped process cannot act on SIGTERM
      signalGroup(Signal.SIGCONT);
    }
    if (deadline >= killDeadlineNanos || groupGone.isDone()) {
      return;
    }
    killDeadlineNanos = deadline;
    if (escalation != null) {
      escalation.cancel(false);
    }
    escalation = TIMER.schedule(() -> signalGroup(Signal.SIGKILL), deadline - now, TimeUnit.NANOSECONDS);
  }

  private void checkGroup() {
    if (groupGone.isDone() || !exit.isDone()) {
      return;
    }
    if (!groupAlive()) {
      Reaper.get().removeListener(groupCheck);
      synchronized (this) {
        if (escalation != null) {
          escalation.cancel(false);
        }
      }
      groupGone.complete(null);
    }
  }

  @Override
  public String toString() {
    return "process " + pid;
  }
}
