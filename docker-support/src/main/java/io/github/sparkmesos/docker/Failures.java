package io.github.sparkmesos.docker;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.UnauthorizedException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Locale;

/** What a docker-java failure means: its reason in one line, and whether trying again may help. */
final class Failures {

  private static final ObjectMapper JSON = new ObjectMapper();

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
    int brace = message.indexOf('{');
    if (brace >= 0 && message.contains("\"message\"")) {
      try {
        JsonNode body = JSON.readTree(message.substring(brace));
        if (body != null && body.path("message").isTextual()) {
          message = body.path("message").asText();
        }
      } catch (IOException notJson) {
        // keep the whole message
      }
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
