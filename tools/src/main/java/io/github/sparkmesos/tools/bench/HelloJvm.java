package io.github.sparkmesos.tools.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The baseline JVM of the launch benchmark: it starts, POSTs its pid to a loopback URL, waits for the
 * answer and exits, as an executor starts and subscribes.
 */
public final class HelloJvm {

  private HelloJvm() {}

  public static void main(String[] args) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(args[0]).toURL().openConnection();
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    try (OutputStream out = connection.getOutputStream()) {
      out.write(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8));
    }
    System.out.println("hello: " + connection.getResponseCode());
  }
}
