package io.github.sparkmesos.secrets;

/**
 * A reference that could not be resolved. The message names the reference (name and key) and the reason,
 * never a value: callers may put it in a status message as it is.
 */
public final class SecretException extends Exception {

  private final SecretReference reference;

  public SecretException(SecretReference reference, String reason) {
    this(reference, reason, null);
  }

  /** {@code cause} must not carry a value in its message (an I/O error about a path or a host does not). */
  public SecretException(SecretReference reference, String reason, Throwable cause) {
    super("secret reference " + reference + ": " + reason, cause);
    this.reference = reference;
  }

  public SecretReference reference() {
    return reference;
  }
}
