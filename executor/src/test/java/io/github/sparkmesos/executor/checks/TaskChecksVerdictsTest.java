package io.github.sparkmesos.executor.checks;

import static io.github.sparkmesos.executor.checks.CheckProtos.exitCode;
import static io.github.sparkmesos.executor.checks.CheckProtos.httpStatus;
import static io.github.sparkmesos.executor.checks.CheckProtos.tcp;
import static io.github.sparkmesos.executor.checks.RecordingListener.HEALTHY;
import static io.github.sparkmesos.executor.checks.RecordingListener.unhealthy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sparkmesos.executor.checks.RecordingListener.Health;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.junit.jupiter.api.Test;

/** The interpretation of results, with times given rather than waited for. */
class TaskChecksVerdictsTest {

  private static final long SECOND = Duration.ofSeconds(1).toNanos();
  private static final ProbeResult PASS = new ProbeResult.Performed(exitCode(0));
  private static final ProbeResult FAIL = new ProbeResult.Performed(exitCode(1));

  private final List<Object> calls = new ArrayList<>();

  private HealthVerdicts verdicts(long limit, Duration grace) {
    return new HealthVerdicts("test", limit, grace, 0, (h, k, f) -> calls.add(new Health(h, k, f)));
  }

  @Test
  void theGracePeriodHidesFailuresUntilItEndsOrTheFirstSuccess() {
    HealthVerdicts health = verdicts(3, Duration.ofSeconds(10));
    health.accept(FAIL, 1 * SECOND);
    health.accept(new ProbeResult.Failed("timed out"), 10 * SECOND); // the end is still in (<=)
    assertEquals(List.of(), calls);
    health.accept(FAIL, 11 * SECOND);
    assertEquals(List.of(unhealthy(1, false)), calls);
    health.accept(PASS, 12 * SECOND);
    health.accept(PASS, 13 * SECOND);
    health.accept(FAIL, 14 * SECOND); // in the period, but the task has been healthy
    assertEquals(List.of(unhealthy(1, false), HEALTHY, unhealthy(1, false)), calls);
  }

  @Test
  void noGracePeriodHidesNothingAndTheLimitSetsKillTask() {
    HealthVerdicts health = verdicts(2, Duration.ZERO);
    health.accept(FAIL, 0);
    health.accept(FAIL, 1);
    health.accept(FAIL, 2);
    health.accept(PASS, 3);
    assertEquals(List.of(unhealthy(1, false), unhealthy(2, true), unhealthy(3, true), HEALTHY), calls);
  }

  @Test
  void whatCountsAsHealthy() {
    assertEquals(Optional.empty(), HealthVerdicts.problem(httpStatus(200)));
    assertEquals(Optional.empty(), HealthVerdicts.problem(httpStatus(399)));
    assertEquals(Optional.of("Unexpected HTTP response code: 400"), HealthVerdicts.problem(httpStatus(400)));
    assertEquals(Optional.of("Unexpected HTTP response code: 199"), HealthVerdicts.problem(httpStatus(199)));
    assertEquals(Optional.of("TCP connection failed"), HealthVerdicts.problem(tcp(false)));
    assertEquals(Optional.of("Command exited with status 1"), HealthVerdicts.problem(exitCode(1)));
  }

  @Test
  void checkStatusGoesOutOnChangeAndAFailureIsTheEmptyStatus() {
    List<CheckStatusInfo> sent = new ArrayList<>();
    CheckStatusChanges changes = new CheckStatusChanges("test", CheckInfo.Type.HTTP, sent::add);
    CheckStatusInfo empty = CheckStatusChanges.empty(CheckInfo.Type.HTTP);
    changes.accept(new ProbeResult.Failed("refused")); // the same as the start: nothing
    changes.accept(new ProbeResult.Performed(httpStatus(200)));
    changes.accept(new ProbeResult.Performed(httpStatus(200)));
    changes.accept(new ProbeResult.Failed("timed out"));
    changes.accept(new ProbeResult.Performed(httpStatus(500)));
    assertEquals(List.of(httpStatus(200), empty, httpStatus(500)), sent);
  }
}
