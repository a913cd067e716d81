package io.github.sparkmesos.executor.task;

import io.github.sparkmesos.executor.task.TaskSecret.Delivery;
import io.github.sparkmesos.secrets.ChildEnvironment;
import io.github.sparkmesos.secrets.SecretReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.Secret;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Volume;

/**
 * The secrets a task asks for, from every place Mesos and Spark allow one (mesos-executor-contract.md §6,
 * spark-on-mesos.md §2): {@code SECRET} variables of {@code CommandInfo.environment}, {@code SECRET} volumes of
 * {@code TaskInfo.container}, and Spark's {@code spark.mesos.executor.secret.*} settings, each checked with the
 * rule it breaks named. No message carries a value.
 */
final class TaskSecrets {

  static final String SPARK_PREFIX = "spark.mesos.executor.secret.";
  private static final String CONF = "TaskInfo.data.conf.";

  private TaskSecrets() {}

  /** The {@code SECRET} variables of a command's environment. */
  static List<TaskSecret> fromEnvironment(CommandInfo command, String field) throws InvalidTaskException {
    List<TaskSecret> secrets = new ArrayList<>();
    for (Environment.Variable v : command.getEnvironment().getVariablesList()) {
      if (v.getType() != Environment.Variable.Type.SECRET) {
        continue;
      }
      String name = field + ".environment." + v.getName();
      if (!v.hasSecret() || v.hasValue()) {
        throw new InvalidTaskException(name, "a SECRET variable must carry a secret and no value");
      }
      secrets.add(of(v.getSecret(), name, Delivery.ENVIRONMENT, v.getName()));
    }
    return secrets;
  }

  /** The volumes of {@code TaskInfo.container} whose source is a secret: files at their container paths. */
  static List<TaskSecret> fromVolumes(TaskInfo task) throws InvalidTaskException {
    List<TaskSecret> secrets = new ArrayList<>();
    for (int i = 0; i < task.getContainer().getVolumesCount(); i++) {
      Volume v = task.getContainer().getVolumes(i);
      if (!v.hasSource() || v.getSource().getType() != Volume.Source.Type.SECRET) {
        continue;
      }
      String field = "TaskInfo.container.volumes[" + i + "]";
      if (!v.getSource().hasSecret()) {
        throw new InvalidTaskException(field + ".source.secret", "is required for a SECRET volume");
      }
      secrets.add(of(v.getSource().getSecret(), field + ".source.secret", Delivery.FILE,
          checkPath(v.getContainerPath(), field + ".container_path")));
    }
    return secrets;
  }

  /**
   * Spark's {@code MesosSecretConfig}: {@code .names} (references) or {@code .values}, never both; each
   * {@code .envkeys} and {@code .filenames} entry pairs with the secret at its position, so a list that is given
   * must have one entry per secret.
   *
   * @param warnings where secrets given with neither form are reported (Spark silently drops them)
   */
  static List<TaskSecret> fromSparkConf(SparkConf conf, List<String> warnings) throws InvalidTaskException {
    List<String> names = conf.list(SPARK_PREFIX + "names");
    List<String> values = conf.list(SPARK_PREFIX + "values");
    List<String> envKeys = conf.list(SPARK_PREFIX + "envkeys");
    List<String> fileNames = conf.list(SPARK_PREFIX + "filenames");
    if (!names.isEmpty() && !values.isEmpty()) {
      throw new InvalidTaskException(CONF + SPARK_PREFIX + "names",
          "must not be given with " + SPARK_PREFIX + "values (a secret is a reference or a value, as in Spark)");
    }
    boolean byName = !names.isEmpty();
    int count = byName ? names.size() : values.size();
    String secretsKey = SPARK_PREFIX + (byName ? "names" : "values");
    checkCount(envKeys, "envkeys", count, secretsKey);
    checkCount(fileNames, "filenames", count, secretsKey);
    if (count > 0 && envKeys.isEmpty() && fileNames.isEmpty()) {
      warnings.add(CONF + secretsKey + ": " + count + " secret(s) given with neither " + SPARK_PREFIX
          + "envkeys nor " + SPARK_PREFIX + "filenames: none reaches the task");
    }
    List<TaskSecret> secrets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String field = CONF + secretsKey + "[" + i + "]";
      for (int form = 0; form < 2; form++) {
        List<String> targets = form == 0 ? envKeys : fileNames;
        if (targets.isEmpty()) {
          continue;
        }
        Delivery delivery = form == 0 ? Delivery.ENVIRONMENT : Delivery.FILE;
        String target = form == 0 ? targets.get(i)
            : checkPath(targets.get(i), CONF + SPARK_PREFIX + "filenames[" + i + "]");
        secrets.add(byName
            ? TaskSecret.ofReference(field, reference(names.get(i), field), delivery, target)
            : TaskSecret.ofValue(field, values.get(i).getBytes(StandardCharsets.UTF_8), delivery, target));
      }
    }
    return secrets;
  }

  /**
   * Checks that no two secrets, nor a secret and a plain variable, go to one place, that every variable's name
   * may be set by a task, and that every value given for a variable is text.
   */
  static void checkTargets(List<TaskSecret> secrets, Map<String, String> plainEnvironment)
      throws InvalidTaskException {
    Map<String, String> seen = new HashMap<>();
    for (TaskSecret s : secrets) {
      String place = s.delivery() + ":" + (s.delivery() == Delivery.FILE ? Path.of(s.target()).normalize() : s.target());
      String earlier = seen.putIfAbsent(place, s.field());
      if (earlier != null) {
        throw new InvalidTaskException(s.field(), "sets the " + (s.delivery() == Delivery.FILE ? "file " : "variable ")
            + s.target() + " as " + earlier + " does: one secret per target");
      }
      if (s.delivery() == Delivery.ENVIRONMENT) {
        if (!s.target().matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw new InvalidTaskException(s.field(), "'" + s.target() + "' is not a valid environment variable name");
        }
        if (!ChildEnvironment.settableByTask(s.target())) {
          throw new InvalidTaskException(s.field(), "'" + s.target() + "' is reserved for the executor");
        }
        if (plainEnvironment.containsKey(s.target())) {
          throw new InvalidTaskException(s.field(), "'" + s.target() + "' is also set as a plain variable");
        }
        if (s.value().isPresent() && TaskSecret.text(s.value().get()).isEmpty()) {
          throw new InvalidTaskException(s.field(), "a secret for an environment variable must be UTF-8 text without"
              + " NUL bytes");
        }
      }
    }
  }

  /** Mesos's {@code validateSecret}: VALUE with a value, or REFERENCE with a named reference. */
  private static TaskSecret of(Secret secret, String field, Delivery delivery, String target)
      throws InvalidTaskException {
    if (secret.getType() == Secret.Type.VALUE && secret.hasValue() && !secret.hasReference()) {
      return TaskSecret.ofValue(field, secret.getValue().getData().toByteArray(), delivery, target);
    }
    if (secret.getType() == Secret.Type.REFERENCE && secret.hasReference() && !secret.hasValue()) {
      Secret.Reference ref = secret.getReference();
      SecretReference reference = reference(ref.getName(), field + ".reference.name");
      return TaskSecret.ofReference(field, ref.hasKey() ? SecretReference.of(reference.name(), ref.getKey()) : reference,
          delivery, target);
    }
    throw new InvalidTaskException(field, "a secret must be of type VALUE with a value, or REFERENCE with a reference");
  }

  private static SecretReference reference(String name, String field) throws InvalidTaskException {
    if (name.isBlank()) {
      throw new InvalidTaskException(field, "a secret reference needs a name");
    }
    return SecretReference.of(name);
  }

  private static void checkCount(List<String> targets, String form, int count, String secretsKey)
      throws InvalidTaskException {
    if (!targets.isEmpty() && targets.size() != count) {
      throw new InvalidTaskException(CONF + SPARK_PREFIX + form, "has " + targets.size() + " entries for " + count
          + " secret(s) in " + secretsKey + ": each entry pairs with the secret at its position");
    }
  }

  /**
   * A file secret's path: relative (to the task's sandbox), staying inside it, or absolute; where an absolute path
   * may be depends on the runtime and is checked with the plan.
   */
  private static String checkPath(String path, String field) throws InvalidTaskException {
    if (path.isEmpty() || path.indexOf('\0') >= 0) {
      throw new InvalidTaskException(field, "must be a non-empty path");
    }
    Path p = Path.of(path).normalize();
    if (!p.isAbsolute() && (p.toString().isEmpty() || p.startsWith(".."))) {
      throw new InvalidTaskException(field, "'" + path + "' must name a file inside the sandbox");
    }
    if (path.endsWith("/")) {
      throw new InvalidTaskException(field, "'" + path + "' must name a file, not a directory");
    }
    return path;
  }

}
