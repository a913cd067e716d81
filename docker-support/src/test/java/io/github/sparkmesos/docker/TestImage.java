package io.github.sparkmesos.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The test image, made here without Docker Hub: Debian's {@code busybox-static} (downloaded once with
 * {@code apt-get download}), a root filesystem of {@code /bin/busybox} and its applet links, imported with
 * {@code docker import}. The .deb and the rootfs tar are cached in {@code build/docker-test/}.
 */
final class TestImage {

  private TestImage() {
  }

  /** Makes {@code name} on the engine unless it is there. */
  static void ensure(DockerEngine engine, String name) throws Exception {
    if (engine.imageId(name).isPresent()) {
      return;
    }
    Cli.run(null, "docker", "import", "-c", "ENV PATH=/bin", "-c", "CMD [\"/bin/sh\"]",
        rootfsTar().toString(), name);
  }

  /** Imports the same root filesystem under {@code name} with a label {@code sme.version=<version>}: a different image id. */
  static void importVariant(String name, String version) throws Exception {
    Cli.run(null, "docker", "import", "-c", "ENV PATH=/bin", "-c", "CMD [\"/bin/sh\"]",
        "-c", "LABEL sme.version=" + version, rootfsTar().toString(), name);
  }

  /** Imports the same root filesystem under {@code name} with the {@code ENTRYPOINT} and {@code CMD} given (JSON). */
  static void importWithEntrypoint(String name, String entrypoint, String cmd) throws Exception {
    Cli.run(null, "docker", "import", "-c", "ENV PATH=/bin", "-c", "ENTRYPOINT " + entrypoint, "-c", "CMD " + cmd,
        rootfsTar().toString(), name);
  }

  static synchronized Path rootfsTar() throws Exception {
    Path cache = TestEngine.projectRoot().resolve("build/docker-test");
    Path tar = cache.resolve("busybox-rootfs.tar");
    if (Files.exists(tar)) {
      return tar;
    }
    Files.createDirectories(cache);
    Path deb = findDeb(cache);
    if (deb == null) {
      Cli.run(cache, "apt-get", "download", "busybox-static");
      deb = findDeb(cache);
      if (deb == null) {
        throw new IOException("apt-get download busybox-static left no .deb in " + cache);
      }
    }
    Path work = Files.createTempDirectory(cache, "rootfs-");
    try {
      Path unpacked = work.resolve("deb");
      Cli.run(null, "dpkg-deb", "-x", deb.toString(), unpacked.toString());
      Path rootfs = work.resolve("rootfs");
      Path bin = Files.createDirectories(rootfs.resolve("bin"));
      Files.copy(unpacked.resolve("bin/busybox"), bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
      for (String applet : Cli.run(null, bin.resolve("busybox").toString(), "--list").split("\\s+")) {
        if (!applet.isEmpty() && !applet.equals("busybox")) {
          Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
      }
      for (String dir : new String[] {"tmp", "etc", "proc", "sys", "dev", "root"}) {
        Files.createDirectories(rootfs.resolve(dir));
      }
      Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n");
      Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
      Cli.run(null, "chmod", "1777", rootfs.resolve("tmp").toString());
      Path partial = cache.resolve("busybox-rootfs.tar.part");
      Cli.run(null, "tar", "--numeric-owner", "--owner=0", "--group=0", "-C", rootfs.toString(), "-cf",
          partial.toString(), ".");
      Files.move(partial, tar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return tar;
    } finally {
      try (Stream<Path> walk = Files.walk(work)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Path findDeb(Path cache) throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      return files.filter(p -> p.getFileName().toString().startsWith("busybox-static_")
          && p.getFileName().toString().endsWith(".deb")).findFirst().orElse(null);
    }
  }
}
