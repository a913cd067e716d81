package io.github.sparkmesos.executor.harness;

import io.github.sparkmesos.executor.mesos.TaskStates;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.os.ExitStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * What the run showed: every status update the framework would see (printed as a JSON line), the
 * problems (the run did not go as it should) and the protocol violations (the executor did what a
 * conforming one never does). Thread-safe.
 */
final class Verdict {

  private final PrintStream out;
  private final List<Harness.Update> updates = new ArrayList<>();
  private final Map<String, TaskState> terminalStates = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();

  Verdict(PrintStream out) {
    this.out = out;
  }

  synchronized void record(TaskStatus status) {
    Harness.Update u = new Harness.Update(status.getTaskId().getValue(), status.getState(),
        status.hasReason() ? status.getReason().name() : null, status.hasMessage() ? status.getMessage() : null,
        status.getSource().name(), status.getTimestamp(), HexFormat.of().formatHex(status.getUuid().toByteArray()),
        status.hasHealthy() ? Optional.of(status.getHealthy()) : Optional.empty(),
        status.hasCheckStatus() ? Optional.of(status.getCheckStatus()) : Optional.empty());
    updates.add(u);
    if (TaskStates.isTerminal(status.getState())) {
      terminalStates.put(u.taskId(), status.getState());
    }
    out.println(Log.redactor().redact(u.json()));
    out.flush();
  }

  synchronized boolean isTerminal(String taskId) {
    return terminalStates.containsKey(taskId);
  }

  synchronized TaskState terminalState(String taskId) {
    return terminalStates.get(taskId);
  }

  synchronized boolean anyUpdate(String taskId) {
    return updates.stream().anyMatch(u -> u.taskId().equals(taskId));
  }

  synchronized void violation(String text) {
    violations.add(text);
    Log.warn("protocol violation: " + text);
  }

  synchronized void problem(String text) {
    problems.add(text);
  }

  /** The result; the exit code is 0 only without problems and violations. */
  synchronized Harness.Result result(Optional<ExitStatus> executorExit, Path sandbox, int subscriptions,
      Map<String, Integer> answers) {
    problems.forEach(Log::error);
    violations.forEach(v -> Log.error("protocol violation: " + v));
    int code = problems.isEmpty() && violations.isEmpty() ? 0 : 1;
    return new Harness.Result(code, List.copyOf(updates), List.copyOf(problems), List.copyOf(violations), executorExit,
        sandbox, subscriptions, answers);
  }
}
