package io.github.sparkmesos.executor;

import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.executor.Protos.Call;

/** Calls to the agent, each naming this executor and its framework. */
record Calls(String frameworkId, String executorId) {

  Call.Builder of(Call.Type type) {
    return Call.newBuilder().setType(type)
        .setFrameworkId(FrameworkID.newBuilder().setValue(frameworkId))
        .setExecutorId(ExecutorID.newBuilder().setValue(executorId));
  }
}
