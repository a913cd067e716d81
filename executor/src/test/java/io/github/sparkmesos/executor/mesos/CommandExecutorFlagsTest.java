package io.github.sparkmesos.executor.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.executor.ExecutorMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's command line for mesos-executor, read as stout reads it. */
class CommandExecutorFlagsTest {

  private static CommandExecutorFlags parse(List<String> args, List<String> rest) {
    return CommandExecutorFlags.parse(args, rest);
  }

  @Test
  void everyFlagOfMesosCommandExecutorIsAccepted(@TempDir Path dir) throws Exception {
    Path command = Files.writeString(dir.resolve("command.json"), "{\"shell\": false, \"value\": \"/bin/true\"}");
    List<String> rest = new ArrayList<>();
    CommandExecutorFlags flags = parse(List.of("--launcher_dir=/usr/libexec/mesos", "--rootfs=/r",
        "--sandbox_directory=/mnt/mesos/sandbox", "--working_directory=/w", "--user=alice",
        "--task_command=file://" + command,
        "--task_environment={\"variables\":[{\"name\":\"A\",\"value\":\"1\"}]}",
        "--effective_capabilities={\"capabilities\":[\"NET_RAW\"]}",
        "--bounding_capabilities={\"capabilities\":[\"NET_RAW\",\"CHOWN\"]}",
        "--task_launch_info={\"mounts\":[{\"source\":\"/a\",\"target\":\"/b\"}]}", "--tty_slave_path=/dev/pts/3",
        "--task_supplementary_groups=10,20", "--quiet", "--logging_level=INFO", "--no-initialize_driver_logging",
        "--content-type", "json"), rest);
    assertEquals(List.of("--content-type", "json"), rest, "what is not the agent's is left to the caller");
    assertEquals(Optional.of(Path.of("/usr/libexec/mesos")), flags.launcherDir());
    assertEquals("/bin/true", flags.taskCommand().orElseThrow().getValue());
    assertFalse(flags.taskCommand().orElseThrow().getShell());
    assertEquals("A", flags.taskEnvironment().orElseThrow().getVariables(0).getName());
    assertEquals(2, flags.boundingCapabilities().orElseThrow().getCapabilitiesCount());
    assertEquals(List.of(10L, 20L), flags.taskSupplementaryGroups());
    assertTrue(flags.commandExecutor());

    List<String> unsupported = flags.unsupported("alice");
    for (String flag : List.of("--rootfs=/r", "--effective_capabilities", "--bounding_capabilities",
        "--tty_slave_path=/dev/pts/3", "--task_supplementary_groups", "--task_launch_info.mounts")) {
      assertTrue(unsupported.stream().anyMatch(m -> m.startsWith(flag)), flag + " in " + unsupported);
    }
    assertFalse(unsupported.stream().anyMatch(m -> m.startsWith("--user")), "alice is the executor's own user");
    assertTrue(flags.unsupported("bob").stream().anyMatch(m -> m.startsWith("--user=alice: ")));
    assertFalse(flags.unsupported("root").stream().anyMatch(m -> m.startsWith("--user")),
        "run as root, the executor switches the task to alice itself");
  }

  @Test
  void aPlainStartIsNoCommandExecutor() {
    assertFalse(parse(List.of(), new ArrayList<>()).commandExecutor());
    assertTrue(parse(List.of("--launcher_dir=/x"), new ArrayList<>()).unsupported("me").isEmpty());
  }

  @Test
  void badFlagsAreErrorsNamingTheFlag() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(List.of("--task_command={\"value\":"),
        new ArrayList<>())).getMessage().startsWith("flag '--task_command': not JSON"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(List.of("--task_supplementary_groups=a"),
        new ArrayList<>())).getMessage().startsWith("flag '--task_supplementary_groups': 'a'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(List.of("--user"),
        new ArrayList<>())).getMessage().startsWith("flag '--user' needs a value"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(List.of("--user=a", "--user=b"),
        new ArrayList<>())).getMessage().contains("more than once"));
  }

  @Test
  void anUnknownFlagStopsTheExecutorNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ExecutorMain.run(List.of("--launcher_dir=/x", "--no_such_flag=1"), Map.of()));
    assertTrue(e.getMessage().startsWith("unknown executor option '--no_such_flag=1'"), e.getMessage());
  }
}
