package io.github.sparkmesos.docker;

/** A call to the Docker engine failed; the message says which step, on what, and why. */
public class EngineException extends Exception {

  private static final long serialVersionUID = 1L;

  public EngineException(String message) {
    super(message);
  }

  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
