package io.github.sparkmesos.executor;

import com.google.protobuf.ByteString;
import io.github.sparkmesos.executor.mesos.WireFormat;
import io.github.sparkmesos.executor.pipeline.ExitMapping;
import io.github.sparkmesos.executor.task.LaunchPlans;
import io.github.sparkmesos.executor.util.Log;
import io.github.sparkmesos.fetcher.ProgressText;
import io.github.sparkmesos.os.ExitStatus;
import io.github.sparkmesos.os.ProcessLauncher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * While the first SUBSCRIBE is on its way, a background thread walks the path of a first task once
 * without doing anything: it binds the native spawn and user database calls, loads the validation, document and
 * status classes. The agent sends LAUNCH right after SUBSCRIBED; without this, that first launch
 * would pay for loading and linking all of them (about 200 ms of a cold JVM). Nothing is created
 * and nothing is started.
 */
public final class Warmup {

  private static final String SAMPLE_DOCUMENT = "{\"conf\":{\"spark.executor.uri\":\"http://localhost/spark-3.tgz\","
      + "\"spark.mesos.network.labels\":\"a:b\"},\"backend\":{\"driverUrl\":\"spark://CoarseGrainedScheduler@h:1\","
      + "\"executorId\":\"0\",\"appId\":\"warm-up\",\"cores\":1}}";

  private Warmup() {}

  public static void start(WireFormat format) {
    Thread thread = new Thread(() -> run(format), "warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  private static void run(WireFormat format) {
    try {
      TaskInfo sample = TaskInfo.newBuilder().setName("warm-up").setTaskId(TaskID.newBuilder().setValue("warm-up"))
          .setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue("warm-up"))
          .setData(ByteString.copyFrom(SAMPLE_DOCUMENT, StandardCharsets.UTF_8)).build();
      LaunchPlans.forSparkTask(sample, new LaunchPlans.Context(Optional.empty(), Optional.empty(), Path.of("/")));
      Call update = Call.newBuilder().setType(Call.Type.UPDATE).setUpdate(Call.Update.newBuilder().setStatus(
          org.apache.mesos.v1.Protos.TaskStatus.newBuilder().setTaskId(sample.getTaskId())
              .setState(org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING).setUuid(StatusUpdates.randomUuid())))
          .buildPartial();
      format.decode(format.encode(update), Call.newBuilder());
      format.decode(format.encode(Event.newBuilder().setType(Event.Type.LAUNCH).setLaunch(Event.Launch.newBuilder()
          .setTask(sample)).build()), Event.newBuilder());
      ProcessLauncher.prepare();
      // a task's user is looked up on its launch: the user database calls bound now
      io.github.sparkmesos.os.UserAccount.lookup(io.github.sparkmesos.os.UserAccount.current().name());
      ExitMapping.of(ExitStatus.exited(0), false, Path.of("stderr"));
      ProgressText.progress("http://localhost/x", 1, 2, Duration.ofSeconds(1));
    } catch (Exception | LinkageError e) {
      Log.warn("warm-up: " + e); // only the first launch is slower
    }
  }
}
