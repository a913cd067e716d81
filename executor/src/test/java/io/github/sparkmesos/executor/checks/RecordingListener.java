package io.github.sparkmesos.executor.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CheckStatusInfo;

/** Every call a TaskChecks makes, in order, for tests that wait for the next one. */
final class RecordingListener implements TaskChecks.Listener {

  record Health(boolean healthy, boolean killTask, int consecutiveFailures) {}

  static final Health HEALTHY = new Health(true, false, 0);

  static Health unhealthy(int consecutiveFailures, boolean killTask) {
    return new Health(false, killTask, consecutiveFailures);
  }

  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

  @Override
  public void healthChanged(boolean healthy, boolean killTask, int consecutiveFailures) {
    events.add(new Health(healthy, killTask, consecutiveFailures));
  }

  @Override
  public void checkChanged(CheckStatusInfo status) {
    events.add(status);
  }

  /** The next call, waiting for it (at most 20 s). */
  Object next() throws InterruptedException {
    Object event = events.poll(20, TimeUnit.SECONDS);
    assertNotNull(event, "no call came");
    return event;
  }

  void expect(Object expected) throws InterruptedException {
    assertEquals(expected, next());
  }

  /** What came so far and was not taken. */
  Object pending() {
    return events.peek();
  }
}
