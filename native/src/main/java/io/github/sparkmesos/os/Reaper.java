package io.github.sparkmesos.os;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The one owner of every child exit in this JVM. A single thread blocks in {@code waitpid(-1)}: it
 * completes the exit future of each process {@link ProcessLauncher} started, and reaps the orphans
 * this JVM adopts as child subreaper (the grandchildren of a task whose parent died), so no zombie is
 * left. After every reap it tells the listeners, which is how a process group learns it is empty.
 *
 * <p>Because it reaps any child, a JVM that uses it must start every process through {@link
 * ProcessLauncher}: a {@code java.lang.Process} would have its exit status taken.
 */
public final class Reaper {

  private static final Reaper INSTANCE = new Reaper();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition spawned = lock.newCondition();
  private final Map<Integer, CompletableFuture<ExitStatus>> waiting = new HashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private long generation;
  private volatile boolean subreaper;

  private Reaper() {
    Thread thread = new Thread(this::run, "reaper");
    thread.setDaemon(true);
    thread.start();
  }

  public static Reaper get() {
    return INSTANCE;
  }

  /**
   * Makes this JVM the child subreaper: descendants orphaned by their parent are re-parented here
   * (and reaped here) instead of to PID 1. Returns whether the kernel accepted it.
   */
  public boolean becomeSubreaper() {
    if (!subreaper) {
      subreaper = LibC.INSTANCE.prctl(LibC.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
    }
    return subreaper;
  }

  public boolean isSubreaper() {
    return subreaper;
  }

  /** Runs {@code listener} after every reap, on the reaper thread; it must be quick. */
  public void addListener(Runnable listener) {
    listeners.add(listener);
  }

  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  /** Lock held while a child is spawned and registered, so its exit cannot be reaped unseen. */
  ReentrantLock spawnLock() {
    return lock;
  }

  /** Registers a pid just spawned (the caller holds {@link #spawnLock()}). */
  CompletableFuture<ExitStatus> register(int pid) {
    CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    waiting.put(pid, exit);
    generation++;
    spawned.signalAll();
    return exit;
  }

  private void run() {
    Pointer status = Memory.allocateDirect(LibC.runtime(), 8);
    while (true) {
      long seen;
      lock.lock();
      try {
        seen = generation;
      } finally {
        lock.unlock();
      }
      int pid = LibC.INSTANCE.waitpid(-1, status, 0);
      if (pid > 0) {
        dispatch(pid, ExitStatus.fromWaitStatus(status.getInt(0)));
        continue;
      }
      int errno = LibC.errno();
      if (errno == LibC.EINTR) {
        continue;
      }
      // ECHILD: no children at all; sleep until something is spawned.
      lock.lock();
      try {
        while (generation == seen) {
          spawned.awaitUninterruptibly();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private void dispatch(int pid, ExitStatus exitStatus) {
    CompletableFuture<ExitStatus> exit;
    lock.lock();
    try {
      // null for an adopted orphan: reaped so it leaves no zombie, nobody waits for it
      exit = waiting.remove(pid);
    } finally {
      lock.unlock();
    }
    if (exit != null) {
      exit.complete(exitStatus);
    }
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        System.err.println("reaper listener failed: " + e);
      }
    }
  }
}
