package io.github.sparkmesos.docker;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.UnauthorizedException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Locale;

/** What a docker-java failure means: its reason in one line, and whether trying again may help. */
final class Failures {

  private Failures() {
  }

  /**
   * The engine's own message ({@code Status 404: {"message":"..."}} becomes {@code ...}), or the exception's,
   * on one line.
   */
  static String reason(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    int key = message.indexOf("\"message\":\"");
    if (key >= 0) {
      int start = key + "\"message\":\"".length();
      int end = message.indexOf('"', start);
      message = message.substring(start, end < 0 ? message.length() : end);
    }
    return message.strip().replace('\n', ' ');
  }

  /**
   * Whether a pull that failed with {@code e} may succeed later: connection refused or reset, timeouts and
   * 5xx are transient; an image or tag that does not exist (404, manifest unknown), a refused login (401,
   * 403) and a bad request are not.
   */
  static boolean transientPullFailure(Throwable e) {
    String text = reason(e).toLowerCase(Locale.ROOT);
    if (e instanceof NotFoundException || e instanceof UnauthorizedException || e instanceof BadRequestException
        || e instanceof ConflictException) {
      return false;
    }
    if (text.contains("manifest unknown") || text.contains("not found") || text.contains("does not exist")
        || text.contains("unauthorized") || text.contains("denied") || text.contains("invalid reference")) {
      return false;
    }
    if (e instanceof DockerException docker) {
      int status = docker.getHttpStatus();
      return status >= 500 || status == 408 || status == 429;
    }
    if (e instanceof DockerClientException) {
      return true; // an error inside the pull's stream: a layer download that broke
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof IOException || c instanceof SocketTimeoutException) {
        return true; // the engine's socket: refused, reset
      }
    }
    return false;
  }
}
