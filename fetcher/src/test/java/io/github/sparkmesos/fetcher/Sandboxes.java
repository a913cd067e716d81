package io.github.sparkmesos.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Checks that a fetch left nothing of its own behind. */
final class Sandboxes {

  private Sandboxes() {
  }

  /** Fails if any partial file or staging directory ({@code .fetch-*}) is anywhere below {@code root}. */
  static void assertNoLeftovers(Path root) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      List<String> leftovers = paths.filter(p -> p.getFileName().toString().startsWith(".fetch-"))
          .map(p -> root.relativize(p).toString())
          .collect(Collectors.toList());
      assertEquals(List.of(), leftovers, "partial files or staging directories left in " + root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
