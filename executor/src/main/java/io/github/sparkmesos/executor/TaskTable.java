package io.github.sparkmesos.executor;

import io.github.sparkmesos.executor.mesos.TaskStates;
import io.github.sparkmesos.executor.pipeline.TaskPipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * Every task the executor was given, in order, with its one state: launched, killing, terminal.
 * Touched only on the executor's loop thread.
 */
final class TaskTable {

  /** Mesos's built-in executors' kill grace when neither KILL nor TaskInfo gives one. */
  static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(3);

  /** One task. {@code pipeline} is null for a task refused before it started. */
  static final class Entry {
    final TaskInfo info;
    final TaskPipeline pipeline;
    final String group;
    /** Any of its updates acknowledged: no longer an "unacknowledged task" for SUBSCRIBE. */
    boolean acknowledged;
    boolean killing;
    /** The last state reported, null before the first. */
    TaskState state;
    /** The last update made: a health or check update is a copy of it. */
    TaskStatus last;
    /** Its health check asked for the kill: its terminal update says healthy false. */
    boolean killedByHealthCheck;
    /** Fails it when it runs past TaskInfo.max_completion_time. */
    Timers.Scheduled completionTimer;

    Entry(TaskInfo info, TaskPipeline pipeline, String group) {
      this.info = info;
      this.pipeline = pipeline;
      this.group = group;
    }

    /** Its terminal update is made: exactly one per task. */
    boolean terminal() {
      return state != null && TaskStates.isTerminal(state);
    }

    String id() {
      return info.getTaskId().getValue();
    }

    /** Its own kill grace: the plan's (TaskInfo.kill_policy), else the default. */
    Duration killGrace() {
      return pipeline == null ? DEFAULT_KILL_GRACE : pipeline.plan().killGracePeriod().orElse(DEFAULT_KILL_GRACE);
    }
  }

  private final Map<String, Entry> tasks = new LinkedHashMap<>();

  boolean contains(String taskId) {
    return tasks.containsKey(taskId);
  }

  boolean isEmpty() {
    return tasks.isEmpty();
  }

  Entry add(TaskInfo info, TaskPipeline pipeline, String group) {
    Entry e = new Entry(info, pipeline, group);
    tasks.put(e.id(), e);
    return e;
  }

  Entry get(String taskId) {
    return tasks.get(taskId);
  }

  Collection<Entry> all() {
    return tasks.values();
  }

  boolean allTerminal() {
    return tasks.values().stream().allMatch(t -> t.terminal());
  }

  /** For SUBSCRIBE: tasks none of whose updates the agent acknowledged. */
  List<TaskInfo> unacknowledged() {
    return tasks.values().stream().filter(t -> !t.acknowledged).map(t -> t.info).toList();
  }

  /** The other tasks of {@code task}'s group that have not ended. */
  List<Entry> liveSiblings(Entry task) {
    List<Entry> siblings = new ArrayList<>();
    if (task.group != null) {
      for (Entry other : tasks.values()) {
        if (other != task && task.group.equals(other.group) && !other.terminal()) {
          siblings.add(other);
        }
      }
    }
    return siblings;
  }

  /** Whether a task of {@code group} already ended other than finished: its group fails as a whole. */
  boolean groupBroken(String group) {
    return group != null && tasks.values().stream().anyMatch(t -> group.equals(t.group) && t.terminal()
        && t.state != TaskState.TASK_FINISHED);
  }

  /** The grace of a KILL: its own kill policy, else the task's, else the default. */
  static Duration killGrace(Entry task, Event.Kill kill) {
    if (kill.hasKillPolicy() && kill.getKillPolicy().hasGracePeriod()) {
      return Duration.ofNanos(Math.max(0, kill.getKillPolicy().getGracePeriod().getNanoseconds()));
    }
    return task.killGrace();
  }
}
