package io.github.sparkmesos.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls against the real engine and a real local registry (Debian's docker-registry). */
class PullStepTest {

  private DockerEngine engine;
  private final List<String> images = new ArrayList<>();
  private final List<LayerProgress.Summary> progress = new CopyOnWriteArrayList<>();
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @TempDir
  Path dir;

  @BeforeEach
  void connect() throws Exception {
    engine = TestEngine.get();
  }

  @AfterEach
  void removeOurImages() {
    List<String> references = new ArrayList<>(images);
    for (Image image : engine.client().listImagesCmd().exec()) { // the digests a pull leaves: repo@sha256:...
      for (String digest : image.getRepoDigests() == null ? new String[0] : image.getRepoDigests()) {
        if (digest.contains("/sme/" + TestEngine.PREFIX)) {
          references.add(digest);
        }
      }
    }
    for (String reference : references) {
      try {
        engine.client().removeImageCmd(reference).exec(); // untags; the busybox image keeps its own name
      } catch (NotFoundException gone) {
        // never made, or removed by the test
      } catch (ConflictException used) {
        engine.client().removeImageCmd(reference).withForce(true).exec();
      }
    }
  }

  private PullStep step(PullOptions options) {
    return new PullStep(engine, options, (image, summary) -> progress.add(summary));
  }

  /** A tag of ours in the registry: removed from the engine after the test. */
  private String ref(LocalRegistry registry, String tag) {
    String ref = registry.address() + "/sme/" + TestEngine.PREFIX + "busybox:" + tag;
    images.add(ref);
    return ref;
  }

  private void push(String local, String ref) throws Exception {
    Cli.run(null, "docker", "tag", local, ref);
    Cli.run(null, "docker", "push", ref);
  }

  @Test
  void presentImageIsNotPulled() throws Exception {
    // a local-only name: a pull would fail (no registry has it), so success means no pull
    PullResult result = step(PullOptions.defaults()).pull(TestEngine.BUSYBOX);

    assertFalse(result.pulled());
    assertEquals(0, result.attempts());
    assertEquals(engine.imageId(TestEngine.BUSYBOX).orElseThrow(), result.imageId());
    assertEquals(List.of(), progress);
  }

  @Test
  void forcePullPicksUpTheImageChangedBehindTheTag() throws Exception {
    String v2 = TestEngine.PREFIX + "busybox:v2-" + run;
    images.add(v2);
    TestImage.importVariant(v2, run);
    String v1Id = engine.imageId(TestEngine.BUSYBOX).orElseThrow();
    String v2Id = engine.imageId(v2).orElseThrow();
    try (LocalRegistry registry = LocalRegistry.start()) {
      String ref = ref(registry, "t");
      push(TestEngine.BUSYBOX, ref);
      engine.client().removeImageCmd(ref).exec(); // untag: busybox itself stays
      PullResult first = step(PullOptions.defaults()).pull(ref);
      assertTrue(first.pulled());
      assertEquals(v1Id, first.imageId());

      push(v2, ref);                              // v2 behind the same tag in the registry
      Cli.run(null, "docker", "tag", TestEngine.BUSYBOX, ref); // the engine still has v1 under it
      assertEquals(v1Id, step(PullOptions.defaults()).pull(ref).imageId(), "present and no force-pull: kept");

      PullResult forced = step(PullOptions.defaults().withForcePull(true)).pull(ref);
      assertTrue(forced.pulled());
      assertEquals(v2Id, forced.imageId());
      assertEquals(v2Id, engine.imageId(ref).orElseThrow());
      assertTrue(forced.text().startsWith("Pulled " + ref + " (sha256:"), forced.text());
    }
  }

  @Test
  void pullReportsTheProgressOfTheLayersItDownloads() throws Exception {
    Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
    byte[] random = new byte[4 << 20];
    new Random(42).nextBytes(random);
    random[0] = (byte) run.hashCode(); // a layer no earlier run pushed
    Files.write(rootfs.resolve("blob"), random);
    Files.writeString(rootfs.resolve("run"), run);
    Path tar = dir.resolve("layer.tar");
    Cli.run(null, "tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".");
    String local = TestEngine.PREFIX + "blob:" + run;
    images.add(local);
    Cli.run(null, "docker", "import", tar.toString(), local);
    try (LocalRegistry registry = LocalRegistry.start()) {
      String ref = ref(registry, "blob-" + run);
      push(local, ref);
      engine.client().removeImageCmd(ref).withForce(true).exec();
      engine.client().removeImageCmd(local).withForce(true).exec(); // the layer is gone from the engine

      PullResult result = step(PullOptions.defaults()).pull(ref);

      assertTrue(result.pulled());
      assertFalse(progress.isEmpty());
      LayerProgress.Summary last = progress.get(progress.size() - 1);
      assertEquals(1, last.layers());
      assertEquals(1, last.layersDone());
      assertTrue(last.bytesTotal() > 4_000_000, last.text());
      assertEquals(last.bytesTotal(), last.bytesDone(), last.text());
      for (int i = 1; i < progress.size(); i++) {
        assertTrue(progress.get(i).bytesDone() >= progress.get(i - 1).bytesDone(), "bytes never go back: " + progress);
      }
      assertTrue(last.text().startsWith("1/1 layers, "), last.text());
    }
  }

  @Test
  void unknownImageFailsAtOnceWithoutRetries() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start()) {
      String ref = ref(registry, "absent");
      PullOptions options = PullOptions.defaults().withRetries(5, Duration.ofSeconds(10), Duration.ofSeconds(10));
      long start = System.nanoTime();

      EngineException e = assertThrows(EngineException.class, () -> step(options).pull(ref));

      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(e.getMessage().startsWith("Failed to pull image '" + ref + "': "), e.getMessage());
      assertTrue(e.getMessage().contains("manifest unknown") || e.getMessage().contains("not found"), e.getMessage());
      assertFalse(e.getMessage().contains("attempts"), e.getMessage());
      assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "no backoff was waited: " + took);
    }
  }

  @Test
  void registryDownFailsAfterItsRetries() throws Exception {
    String ref = "127.0.0.1:" + LocalRegistry.freePort() + "/sme/" + TestEngine.PREFIX + "busybox:down";
    images.add(ref);
    PullOptions options = PullOptions.defaults().withForcePull(true)
        .withRetries(3, Duration.ofMillis(20), Duration.ofMillis(100));

    EngineException e = assertThrows(EngineException.class, () -> step(options).pull(ref));

    assertTrue(e.getMessage().startsWith("Failed to pull image '" + ref + "': "), e.getMessage());
    assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
    assertTrue(e.getMessage().endsWith(" after 3 attempts"), e.getMessage());
  }

  @Test
  void theOverallTimeoutBoundsTheRetries() throws Exception {
    String ref = "127.0.0.1:" + LocalRegistry.freePort() + "/sme/" + TestEngine.PREFIX + "busybox:down";
    images.add(ref);
    PullOptions options = PullOptions.defaults().withRetries(1000, Duration.ofMillis(300), Duration.ofMillis(300))
        .withTimeout(Duration.ofSeconds(1));
    long start = System.nanoTime();

    EngineException e = assertThrows(EngineException.class, () -> step(options).pull(ref));

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(e.getMessage().contains("overall timeout of 1 s"), e.getMessage());
    assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "bounded by the timeout: " + took);
  }

  @Test
  void credentialsOfTheConfigAreSentAndAnAbsentEntryPullsAnonymously() throws Exception {
    Path config = Files.writeString(dir.resolve("config.json"),
        "{\"auths\":{\"other.example:5000\":{\"auth\":\"dTpw\"}}}");
    try (LocalRegistry registry = LocalRegistry.start()) {
      String ref = ref(registry, "auth-" + run);
      push(TestEngine.BUSYBOX, ref);
      engine.client().removeImageCmd(ref).exec();
      Files.writeString(config, "{\"auths\":{\"http://" + registry.address() + "/v2/\":{\"username\":\"sme\",\"password\":\"secret\"},"
          + "\"other.example:5000\":{\"auth\":\"dTpw\"}}}");
      assertTrue(step(PullOptions.defaults().withDockerConfig(config)).pull(ref).pulled(),
          "the registry accepts any credentials; the entry is found and sent");
    }
  }
}
