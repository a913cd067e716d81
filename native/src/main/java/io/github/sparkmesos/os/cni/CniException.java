package io.github.sparkmesos.os.cni;

/** A network could not be joined or left; the message names the network and says why. */
public final class CniException extends Exception {

  public CniException(String message) {
    super(message);
  }

  public CniException(String message, Throwable cause) {
    super(message, cause);
  }
}
