package io.github.sparkmesos.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.docker.ContainerSpec;
import io.github.sparkmesos.docker.ImageReference;
import io.github.sparkmesos.executor.task.LaunchFailedException;
import io.github.sparkmesos.executor.task.LaunchPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The runtime a plan runs in, and the Docker runtime made once, on demand or ahead of its first container. */
class RuntimesTest {

  private static final TaskRuntime PROCESS = plan -> {
    throw new LaunchFailedException("not started in this test");
  };
  private static final TaskRuntime DOCKER = plan -> {
    throw new LaunchFailedException("not started in this test");
  };

  private static LaunchPlan plan(Optional<ContainerSpec> container) {
    return new LaunchPlan("t", Path.of("/nonexistent"), false, List.of(), List.of("true"), Map.of(), container,
        LaunchPlan.Containerizer.DOCKER, List.of(), List.of(), List.of(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Set.of(), List.of(), LaunchPlan.Resources.NONE, false, List.of(),
        Map.of(), Optional.empty());
  }

  private static final LaunchPlan IN_A_CONTAINER = plan(Optional.of(ContainerSpec.of(ImageReference.parse("busybox:1"))));

  @Test
  void aPlanWithoutAContainerIsAProcessAndLoadsNothingOfDocker() throws Exception {
    AtomicInteger made = new AtomicInteger();
    Runtimes runtimes = new Runtimes(PROCESS, () -> {
      made.incrementAndGet();
      return DOCKER;
    });
    assertSame(PROCESS, runtimes.select(plan(Optional.empty())));
    assertEquals(0, made.get());
    assertSame(DOCKER, runtimes.select(IN_A_CONTAINER));
    assertSame(DOCKER, runtimes.select(IN_A_CONTAINER));
    assertEquals(1, made.get(), "made once");
  }

  @Test
  void madeAheadThePlanInAContainerWaitsForItAndItIsMadeOnce() throws Exception {
    AtomicInteger made = new AtomicInteger();
    CountDownLatch making = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Runtimes runtimes = new Runtimes(PROCESS, () -> {
      made.incrementAndGet();
      making.countDown();
      try {
        assertTrue(release.await(1, TimeUnit.MINUTES));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return DOCKER;
    });
    runtimes.prepareDocker();
    assertTrue(making.await(1, TimeUnit.MINUTES), "made on a thread of its own");
    release.countDown();
    assertSame(DOCKER, runtimes.select(IN_A_CONTAINER));
    assertEquals(1, made.get());
  }

  @Test
  void anEngineThatDoesNotAnswerAheadIsAskedAgainByThePlanWhichSaysWhy() throws Exception {
    AtomicInteger made = new AtomicInteger();
    CountDownLatch failedOnce = new CountDownLatch(1);
    Runtimes runtimes = new Runtimes(PROCESS, () -> {
      made.incrementAndGet();
      failedOnce.countDown();
      throw new IllegalStateException("no engine at unix:///nowhere");
    });
    runtimes.prepareDocker();
    assertTrue(failedOnce.await(1, TimeUnit.MINUTES));
    LaunchFailedException e = assertThrows(LaunchFailedException.class, () -> runtimes.select(IN_A_CONTAINER));
    assertTrue(e.getMessage().contains("Cannot reach the Docker engine for image 'busybox:1'")
        && e.getMessage().contains("no engine at unix:///nowhere"), e.getMessage());
    assertEquals(2, made.get(), "asked again by the plan");
  }
}
