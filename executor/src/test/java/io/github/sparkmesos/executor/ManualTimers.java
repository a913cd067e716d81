package io.github.sparkmesos.executor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A clock that moves only when the test says so; timers fire as it passes their time. */
final class ManualTimers implements Timers {

  /** A timer not yet fired or cancelled. */
  record Pending(Instant due, Duration delay, Runnable action, long order) {}

  private final List<Pending> pending = new ArrayList<>();
  private final List<Duration> scheduledDelays = new ArrayList<>();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private long order;

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized Scheduled schedule(Duration delay, Runnable action) {
    Pending p = new Pending(now.plus(delay), delay, action, order++);
    pending.add(p);
    scheduledDelays.add(delay);
    notifyAll();
    return () -> {
      synchronized (ManualTimers.this) {
        pending.remove(p);
      }
    };
  }

  @Override
  public synchronized void shutdown() {
    pending.clear();
  }

  /** Moves the clock on, firing every timer that falls due, in order. */
  void advance(Duration by) {
    Instant until;
    synchronized (this) {
      until = now.plus(by);
    }
    while (true) {
      Pending next;
      synchronized (this) {
        next = pending.stream().filter(p -> !p.due().isAfter(until))
            .min(Comparator.comparing(Pending::due).thenComparingLong(Pending::order)).orElse(null);
        if (next == null) {
          now = until;
          return;
        }
        pending.remove(next);
        now = next.due();
      }
      next.action().run();
    }
  }

  /** Waits (at most a minute) until a timer matching {@code which} is pending: an event, not a sleep. */
  synchronized Pending await(Predicate<Pending> which) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (true) {
      for (Pending p : pending) {
        if (which.test(p)) {
          return p;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no such timer was scheduled; pending: " + pending);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Whether a timer matching {@code which} is pending now. */
  synchronized boolean pending(Predicate<Pending> which) {
    return pending.stream().anyMatch(which);
  }

  /** Wakes {@link #awaitCondition} waiters: something they watch has changed. */
  synchronized void poke() {
    notifyAll();
  }

  /** Waits (at most a minute) until {@code condition} holds, re-checked at every timer change or poke. */
  synchronized void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!condition.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("the condition never held; pending: " + pending);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Every delay ever scheduled, in order. */
  synchronized List<Duration> scheduledDelays() {
    return List.copyOf(scheduledDelays);
  }
}
