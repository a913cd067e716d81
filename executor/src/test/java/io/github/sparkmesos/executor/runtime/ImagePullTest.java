package io.github.sparkmesos.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sparkmesos.executor.task.LaunchPlan;
import io.github.sparkmesos.executor.task.TaskSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which Docker config.json a task's image is pulled with. */
class ImagePullTest {

  private static LaunchPlan plan(Path dir) {
    return new LaunchPlan("t", dir, false, List.of(), List.of("/bin/sh", "-c", "true"), Map.of(), Optional.empty(),
        LaunchPlan.Containerizer.DOCKER, List.of(), List.of(), List.of(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Set.of(), List.of(), LaunchPlan.Resources.NONE, false, List.of(), Map.of(), Optional.empty());
  }

  @Test
  void theTasksOwnConfigWinsThenTheOperatorsSecretThenTheOperatorsFile(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of(ImagePull.DOCKER_CONFIG_VARIABLE, "/etc/operator/config.json");
    LaunchPlan plain = plan(dir);
    assertEquals(Optional.of(Path.of("/etc/operator/config.json")), ImagePull.credentials(plain, env));
    assertEquals(Optional.empty(), ImagePull.credentials(plain, Map.of()));
    Path resolved = dir.resolve("resolved.json");
    LaunchPlan withSecret = plain.withResolvedSecrets(Map.of(), List.of(new LaunchPlan.SecretFile(resolved,
        ".docker/config.json", TaskSecret.Delivery.REGISTRY_CONFIG)), Set.of());
    assertEquals(Optional.of(resolved), ImagePull.credentials(withSecret, env));
    Path fetched = Files.createDirectories(dir.resolve(".docker")).resolve("config.json");
    Files.writeString(fetched, "{}");
    assertEquals(Optional.of(fetched), ImagePull.credentials(withSecret, env));
  }
}
