package io.github.sparkmesos.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health checks and checks of real tasks, as Mesos's command executor reports them: TASK_RUNNING
 * copies of the last update with {@code healthy} or {@code check_status}, and a task that fails its
 * health check too often killed with {@code healthy: false}. The HTTP and TCP checks probe a server
 * the task itself runs on loopback.
 */
class TaskChecksInProcessTest {

  private static final List<FrameworkInfo.Capability.Type> KILLING =
      List.of(FrameworkInfo.Capability.Type.TASK_KILLING_STATE);

  /** The next update of {@code taskId} that {@code wanted} accepts, with every update seen before it. */
  private static TaskStatus next(LoopbackAgent agent, String taskId, Predicate<TaskStatus> wanted, List<TaskStatus> seen)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline) {
      TaskStatus s = agent.updates.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (s == null) {
        break;
      }
      seen.add(s);
      if (s.getTaskId().getValue().equals(taskId) && wanted.test(s)) {
        return s;
      }
    }
    throw new AssertionError("no such update of " + taskId + "; saw " + seen);
  }

  private static boolean healthUpdate(TaskStatus s, boolean healthy) {
    return s.getState() == TaskState.TASK_RUNNING && s.hasHealthy() && s.getHealthy() == healthy
        && s.getReason() == TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED;
  }

  /** The task's own loopback server (see test resource checks/StatusServer.java) on {@code port}. */
  private static String statusServer(int port) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path source = Path.of(TaskChecksInProcessTest.class.getResource("/checks/StatusServer.java").getPath());
    return "exec " + java + " " + source + " " + port;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aCommandHealthCheckThatStartsFailingKillsTheTaskWhichEndsUnhealthy(@TempDir Path sandbox) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, false, KILLING, CommandExecutorInProcessTest.flags())) {
      agent.awaitSubscribe();
      agent.launch(CommandExecutorInProcessTest.commandTask("h", CommandInfo.newBuilder()
          .setValue("touch healthy; exec sleep 1000"))
          .setHealthCheck(HealthCheck.newBuilder().setType(HealthCheck.Type.COMMAND)
              .setCommand(CommandInfo.newBuilder().setValue("test -e " + sandbox.resolve("healthy")))
              // the grace period covers a probe before the task made its file; it ends with the first success
              .setDelaySeconds(0).setIntervalSeconds(0.1).setTimeoutSeconds(5).setGracePeriodSeconds(60)
              .setConsecutiveFailures(2))
          .build());
      List<TaskStatus> seen = new ArrayList<>();
      TaskStatus running = next(agent, "h", s -> s.getState() == TaskState.TASK_RUNNING, seen);
      TaskStatus healthy = next(agent, "h", s -> healthUpdate(s, true), seen);
      assertEquals(running.getMessage(), healthy.getMessage(), "a copy of the last update");
      Files.delete(sandbox.resolve("healthy"));
      next(agent, "h", s -> healthUpdate(s, false), seen);
      next(agent, "h", s -> s.getState() == TaskState.TASK_KILLING, seen);
      TaskStatus killed = next(agent, "h", s -> s.getState() == TaskState.TASK_KILLED, seen);
      assertTrue(killed.hasHealthy() && !killed.getHealthy(), killed.toString());
      long unhealthy = seen.stream().filter(s -> healthUpdate(s, false)).count();
      assertEquals(2, unhealthy, "one update per counted failure, none after the kill began: " + seen);
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void aHealthCheckTimeoutIsAFailure(@TempDir Path sandbox) throws Exception {
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, false, List.of(), CommandExecutorInProcessTest.flags())) {
      agent.awaitSubscribe();
      long started = System.nanoTime();
      agent.launch(CommandExecutorInProcessTest.commandTask("t", CommandInfo.newBuilder().setValue("exec sleep 1000"))
          .setHealthCheck(HealthCheck.newBuilder().setType(HealthCheck.Type.COMMAND)
              .setCommand(CommandInfo.newBuilder().setValue("exec sleep 60"))
              .setDelaySeconds(0).setIntervalSeconds(0.1).setTimeoutSeconds(1).setGracePeriodSeconds(0)
              .setConsecutiveFailures(1))
          .build());
      List<TaskStatus> seen = new ArrayList<>();
      next(agent, "t", s -> healthUpdate(s, false), seen);
      TaskStatus killed = next(agent, "t", s -> s.getState() == TaskState.TASK_KILLED, seen);
      assertFalse(killed.getHealthy());
      assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(50), "the probe was not left to run 60 s");
      assertEquals(0, agent.awaitExit());
    }
  }

  @Test
  void httpAndTcpChecksProbeTheServerTheTaskRuns(@TempDir Path sandbox) throws Exception {
    int port = freePort();
    try (LoopbackAgent agent = new LoopbackAgent(sandbox, false, List.of(), CommandExecutorInProcessTest.flags())) {
      agent.awaitSubscribe();
      TaskInfo task = CommandExecutorInProcessTest.commandTask("web", CommandInfo.newBuilder()
              .setValue(statusServer(port)))
          .setCheck(CheckInfo.newBuilder().setType(CheckInfo.Type.HTTP)
              .setHttp(CheckInfo.Http.newBuilder().setPort(port).setPath("/status"))
              .setDelaySeconds(0).setIntervalSeconds(0.2).setTimeoutSeconds(5))
          .setHealthCheck(HealthCheck.newBuilder().setType(HealthCheck.Type.TCP)
              .setTcp(HealthCheck.TCPCheckInfo.newBuilder().setPort(port))
              .setDelaySeconds(0).setIntervalSeconds(0.2).setTimeoutSeconds(5).setGracePeriodSeconds(60))
          .build();
      agent.launch(task);
      List<TaskStatus> seen = new ArrayList<>();
      Predicate<TaskStatus> ok = s -> s.getReason() == TaskStatus.Reason.REASON_TASK_CHECK_STATUS_UPDATED
          && s.getCheckStatus().getType() == CheckInfo.Type.HTTP && s.getCheckStatus().getHttp().getStatusCode() == 200;
      // the two checkers run side by side: their first results come in either order
      next(agent, "web", s -> (healthUpdate(s, true) || ok.test(s))
          && seen.stream().anyMatch(x -> healthUpdate(x, true)) && seen.stream().anyMatch(ok), seen);
      Files.writeString(sandbox.resolve("code"), "503");
      TaskStatus unavailable = next(agent, "web", s -> s.getReason() == TaskStatus.Reason.REASON_TASK_CHECK_STATUS_UPDATED
          && s.getCheckStatus().getHttp().getStatusCode() == 503, seen);
      assertTrue(unavailable.getHealthy(), "a check update keeps the last health: a copy of the last update");
      agent.api.send(org.apache.mesos.v1.executor.Protos.Event.newBuilder()
          .setType(org.apache.mesos.v1.executor.Protos.Event.Type.KILL)
          .setKill(org.apache.mesos.v1.executor.Protos.Event.Kill.newBuilder().setTaskId(task.getTaskId())).build());
      TaskStatus killed = next(agent, "web", s -> s.getState() == TaskState.TASK_KILLED, seen);
      assertEquals(CheckInfo.Type.HTTP, killed.getCheckStatus().getType(), "the terminal update has a check status");
      assertFalse(killed.hasHealthy(), "not killed by its health check");
      assertEquals(0, agent.awaitExit());
    }
  }
}
