package io.github.sparkmesos.executor.harness;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.github.sparkmesos.executor.task.InvalidTaskException;
import io.github.sparkmesos.executor.task.SparkTaskDocument;
import io.github.sparkmesos.secrets.Redactor;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.Secret;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * The secret values a task file carries (every {@code Secret} of type VALUE, wherever the TaskInfo holds one,
 * and Spark's {@code spark.mesos.executor.secret.values}), told to the redactor before the harness prints a line,
 * so that its output holds none of them.
 */
final class TaskFileSecrets {

  private TaskFileSecrets() {}

  static void register(TaskFile file, Redactor redactor) {
    for (TaskInfo task : file.tasks()) {
      collect(task, redactor);
      if (!task.getData().isEmpty()) {
        try {
          SparkTaskDocument.parse(task.getData().toByteArray()).conf().list("spark.mesos.executor.secret.values")
              .forEach(redactor::add);
        } catch (InvalidTaskException e) {
          // not a task document: the executor says so
        }
      }
    }
  }

  private static void collect(Message message, Redactor redactor) {
    if (message instanceof Secret secret && secret.hasValue()) {
      redactor.add(secret.getValue().getData().toByteArray());
    }
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.getKey().isRepeated()) {
        for (Object item : (List<?>) field.getValue()) {
          collect((Message) item, redactor);
        }
      } else {
        collect((Message) field.getValue(), redactor);
      }
    }
  }
}
