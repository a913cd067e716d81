package io.github.sparkmesos.executor.task;

import io.github.sparkmesos.secrets.SecretReference;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A secret a task asks for, validated: where its value comes from (given in the task, or a reference into the
 * operator's store) and where it goes (an environment variable of the task, or a file). {@link #toString()} shows
 * the reference or {@code <value>}, never a value.
 */
public final class TaskSecret {

  /**
   * How the value is used: a variable or a file of the task, or the Docker {@code config.json} its image is pulled
   * with (the operator's registry credentials, never seen by the task).
   */
  public enum Delivery { ENVIRONMENT, FILE, REGISTRY_CONFIG }

  private final String field;
  private final SecretReference reference;
  private final byte[] value;
  private final Delivery delivery;
  private final String target;

  private TaskSecret(String field, SecretReference reference, byte[] value, Delivery delivery, String target) {
    this.field = Objects.requireNonNull(field, "field");
    this.reference = reference;
    this.value = value;
    this.delivery = Objects.requireNonNull(delivery, "delivery");
    this.target = Objects.requireNonNull(target, "target");
  }

  /** A secret whose value the task carries (a {@code Secret} of type VALUE, or Spark's {@code .values}). */
  public static TaskSecret ofValue(String field, byte[] value, Delivery delivery, String target) {
    return new TaskSecret(field, null, value.clone(), delivery, target);
  }

  /** A secret held in the operator's store. */
  public static TaskSecret ofReference(String field, SecretReference reference, Delivery delivery, String target) {
    return new TaskSecret(field, Objects.requireNonNull(reference, "reference"), null, delivery, target);
  }

  /** The setting that asked for it, to name in an error. */
  public String field() {
    return field;
  }

  public Optional<SecretReference> reference() {
    return Optional.ofNullable(reference);
  }

  /** The value the task gave, a copy; empty for a reference. */
  public Optional<byte[]> value() {
    return value == null ? Optional.empty() : Optional.of(value.clone());
  }

  public Delivery delivery() {
    return delivery;
  }

  /** The environment variable's name, or the file's path as the task gave it. */
  public String target() {
    return target;
  }

  /** Where it comes from, as {@code check} and the log show it: the reference, or {@code <value>}. */
  public String source() {
    return reference == null ? "<value>" : reference.toString();
  }

  /**
   * Where a file secret of a task on this host goes: a path in the task's directory (relative, or absolute inside
   * it), where it is linked; or an absolute path elsewhere, which must name an existing file: the secret is mounted
   * over it in the task's own mount namespace, as Mesos's volume/secret isolator does for a container without a
   * root filesystem, so the host's file stays as it was and nothing is written outside the sandbox.
   */
  public Path hostPath(Path directory) throws InvalidTaskException {
    Path dir = directory.toAbsolutePath().normalize();
    Path path = dir.resolve(target).normalize();
    if (path.equals(dir)) {
      throw new InvalidTaskException(field, "'" + target + "' names the task's sandbox itself, not a file in it");
    }
    if (!path.startsWith(dir) && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidTaskException(field, "'" + target + "' is outside the task's sandbox " + dir
          + " and is not an existing file: a task on this host gets a secret at such a path mounted over an existing"
          + " file in its own mount namespace (as Mesos without a root filesystem), never written there");
    }
    return path;
  }

  /** Whether this file secret is mounted over a file of the host rather than linked in the task's directory. */
  public boolean mountedOver(Path directory) {
    Path dir = directory.toAbsolutePath().normalize();
    return !dir.resolve(target).normalize().startsWith(dir);
  }

  /** A value as an environment holds it: UTF-8 text without NUL; empty when it is not that. */
  public static Optional<String> text(byte[] value) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
      return text.indexOf('\0') < 0 ? Optional.of(text) : Optional.empty();
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskSecret s && field.equals(s.field) && Objects.equals(reference, s.reference)
        && Arrays.equals(value, s.value) && delivery == s.delivery && target.equals(s.target);
  }

  @Override
  public int hashCode() {
    return Objects.hash(field, reference, Arrays.hashCode(value), delivery, target);
  }

  @Override
  public String toString() {
    return switch (delivery) {
      case ENVIRONMENT -> "env ";
      case FILE -> "file ";
      case REGISTRY_CONFIG -> "registry credentials ";
    } + target + " <- " + source();
  }
}
