package io.github.sparkmesos.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The containers one test makes on the test engine ({@link TestEngine}), each with that test's own
 * label, all removed after it. Registered with {@code @RegisterExtension}.
 */
final class TestContainers implements BeforeEachCallback, AfterEachCallback {

  /** The value of {@link TestEngine#LABEL} on this test's containers. */
  final String run = UUID.randomUUID().toString();
  DockerEngine engine;
  ContainerLifecycle lifecycle;
  private final List<String> made = new ArrayList<>();

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    engine = TestEngine.get();
    lifecycle = new ContainerLifecycle(engine);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (String id : made) {
      lifecycle.remove(id);
    }
    made.clear();
  }

  /** Creates the container (not started), labelled as this test's. */
  String create(ContainerConfig.Builder spec) throws EngineException {
    String id = lifecycle.create(spec.labels(TestEngine.labels(run)).build());
    made.add(id);
    return id;
  }
}
