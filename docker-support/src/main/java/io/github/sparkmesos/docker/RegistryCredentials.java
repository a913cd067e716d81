package io.github.sparkmesos.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * A user name and password for one registry, read from a Docker {@code config.json}: the {@code auths} entry
 * whose key names the registry ({@code host:port}, with or without {@code https://} and a path; Docker Hub is
 * {@code https://index.docker.io/v1/}), by its {@code auth} (base64 of {@code user:password}) or its
 * {@code username} and {@code password}. Credential helpers ({@code credsStore}) are not run.
 */
public record RegistryCredentials(String registry, String username, String password) {

  /** The registry Docker Hub's credentials are filed under. */
  public static final String DOCKER_HUB = "https://index.docker.io/v1/";

  @Override
  public String toString() {
    return "RegistryCredentials[" + registry + ", " + username + ", ****]";
  }

  /**
   * The credentials for {@code registry} ({@code host[:port]}, or null for Docker Hub) in {@code configJson}.
   *
   * @throws EngineException if the file cannot be read or is not JSON, or its entry is malformed
   */
  public static Optional<RegistryCredentials> fromConfig(Path configJson, String registry) throws EngineException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(configJson, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new EngineException("Failed to read Docker config '" + configJson + "': " + e.getMessage(), e);
    }
    JsonNode auths = root == null ? null : root.get("auths");
    if (auths == null || !auths.isObject()) {
      return Optional.empty();
    }
    String wanted = hostOf(registry == null ? DOCKER_HUB : registry);
    for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (hostOf(entry.getKey()).equals(wanted)) {
        return Optional.of(parse(configJson, entry.getKey(), entry.getValue()));
      }
    }
    return Optional.empty();
  }

  private static RegistryCredentials parse(Path file, String key, JsonNode entry) throws EngineException {
    JsonNode auth = entry.get("auth");
    if (auth != null && auth.isTextual() && !auth.asText().isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.asText().strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new EngineException("Docker config '" + file + "': auths entry '" + key + "' has an auth that is not base64");
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        throw new EngineException("Docker config '" + file + "': auths entry '" + key + "' has an auth that is not user:password");
      }
      return new RegistryCredentials(key, decoded.substring(0, colon), decoded.substring(colon + 1));
    }
    JsonNode user = entry.get("username");
    JsonNode password = entry.get("password");
    if (user == null || password == null || !user.isTextual() || !password.isTextual()) {
      throw new EngineException("Docker config '" + file + "': auths entry '" + key
          + "' has neither auth nor username and password");
    }
    return new RegistryCredentials(key, user.asText(), password.asText());
  }

  /** {@code https://reg:5000/v1/} and {@code reg:5000} are the same registry; Docker Hub has several names. */
  static String hostOf(String key) {
    String host = key.strip();
    int scheme = host.indexOf("://");
    if (scheme >= 0) {
      host = host.substring(scheme + 3);
    }
    int slash = host.indexOf('/');
    if (slash >= 0) {
      host = host.substring(0, slash);
    }
    host = host.toLowerCase(java.util.Locale.ROOT);
    if (host.equals("docker.io") || host.equals("registry-1.docker.io") || host.equals("index.docker.io")) {
      return "index.docker.io";
    }
    return host;
  }
}
