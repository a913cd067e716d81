package io.github.sparkmesos.fetcher;

import static io.github.sparkmesos.fetcher.TestFiles.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkmesos.testing.LoopbackServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile archives (the cases of docs/dependencies.md §4), each in every format that can express it, served over
 * HTTP. Layout: {@code tmp/outside/victim.txt} is the victim; the sandbox is {@code tmp/work/sandbox}, so the
 * staging directory {@code sandbox/.fetch-*} is three levels below {@code tmp} and {@code ../../../outside} from
 * it reaches the victim's directory.
 */
@Timeout(60)
class HostileArchiveTest {

  /** Low enough for the bombs below, high enough for every other case. */
  static final long MAX_ENTRIES = 8;
  static final long MAX_EXPANDED = 1 << 20;

  @TempDir
  Path tmp;
  Path sandbox;
  Path outside;
  LoopbackServer server;
  Fetcher fetcher;

  @BeforeEach
  void setUp() throws IOException {
    sandbox = Files.createDirectories(tmp.resolve("work/sandbox"));
    outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("victim.txt"), "victim");
    server = new LoopbackServer();
    fetcher = new Fetcher(FetcherOptions.DEFAULTS.withReadTimeout(Duration.ofSeconds(20))
        .withMaxArchiveEntries(MAX_ENTRIES).withMaxExpandedBytes(MAX_EXPANDED));
  }

  @AfterEach
  void tearDown() {
    fetcher.close();
    server.close();
    Sandboxes.assertNoLeftovers(tmp);
  }

  /** The archive formats; every tar flavour can express every case, zip all but hard links. */
  enum Format {
    TAR("hostile.tar", Archives.Tar::bytes),
    TAR_GZ("hostile.tar.gz", Archives.Tar::tgz),
    TAR_BZ2("hostile.tar.bz2", Archives.Tar::tbz2),
    TAR_XZ("hostile.tar.xz", Archives.Tar::txz),
    ZIP("hostile.zip", null);

    final String fileName;
    final Function<Archives.Tar, byte[]> tarBytes;

    Format(String fileName, Function<Archives.Tar, byte[]> tarBytes) {
      this.fileName = fileName;
      this.tarBytes = tarBytes;
    }
  }

  /** Each case starts with a harmless entry, which must be gone after the refusal. */
  enum Hostile {
    DOT_DOT {
      @Override
      Archives.Tar tar(Archives.Tar tar, Path outside) {
        return tar.file("../../../outside/evil.txt", "pwned", 0644);
      }

      @Override
      Archives.Zip zip(Archives.Zip zip, Path outside) {
        return zip.file("../../../outside/evil.txt", "pwned", 0644);
      }

      @Override
      String refusal(Format format, Path outside) {
        return "archive entry '../../../outside/evil.txt' leaves the target directory";
      }
    },
    DOT_DOT_AFTER_DIRECTORIES {
      @Override
      Archives.Tar tar(Archives.Tar tar, Path outside) {
        return tar.file("a/b/../../../../../outside/evil.txt", "pwned", 0644);
      }

      @Override
      Archives.Zip zip(Archives.Zip zip, Path outside) {
        return zip.file("a/b/../../../../../outside/evil.txt", "pwned", 0644);
      }

      @Override
      String refusal(Format format, Path outside) {
        return "archive entry 'a/b/../../../../../outside/evil.txt' leaves the target directory";
      }
    },
    ABSOLUTE_PATH {
      @Override
      Archives.Tar tar(Archives.Tar tar, Path outside) {
        return tar.file(outside.resolve("evil-abs.txt").toString(), "pwned", 0644);
      }

      @Override
      Archives.Zip zip(Archives.Zip zip, Path outside) {
        return zip.file(outside.resolve("evil-abs.txt").toString(), "pwned", 0644);
      }

      @Override
      String refusal(Format format, Path outside) {
        return "archive entry '" + outside.resolve("evil-abs.txt") + "' is an absolute path";
      }
    },
    WRITE_THROUGH_ABSOLUTE_SYMLINK {
      @Override
      Archives.Tar tar(Archives.Tar tar, Path outside) {
        return tar.symlink("lnk", outside.toString()).file("lnk/pwned", "pwned", 0644);
      }

      @Override
      Archives.Zip zip(Archives.Zip zip, Path outside) {
        return zip.symlink("lnk", outside.toString()).file("lnk/pwned", "pwned", 0644);
      }

      @Override
      String refusal(Format format, Path outside) {
        return "archive entry 'lnk/pwned' goes through the symlink 'lnk'";
      }
    },
    WRITE_THROUGH_RELATIVE_SYMLINK {
      @Override
      Archives.Tar tar(Archives.Tar tar, Path outside) {
        return tar.symlink("up", "../../../outside").file("up/sub/pwned", "pwned", 0644);
      }

      @Override
      Archives.Zip zip(Archives.Zip zip, Path outside) {
        return zip.symlink("up", "../../../outside").file("up/sub/pwned", "pwned", 0644);
      }

      @Override
      String refusal(Format format, Path outside) {
        return "archive entry 'up/sub/pwned' goes through the symlink 'up'";
      }
    },
    DIRECTORY_OVER_SYMLINK {
      @Override
      Archives.Tar tar(Archives.Tar tar, Path outside) {
        return tar.symlink("lnk", outside.toString()).dir("lnk/", 0777);
      }

      @Override
      Archives.Zip zip(Archives.Zip zip, Path outside) {
        return zip.symlink("lnk", outside.toString()).dir("lnk/", 0777);
      }

      @Override
      String refusal(Format format, Path outside) {
        return "archive entry 'lnk/' would replace the symlink 'lnk' with a directory";
      }
    },
    HARD_LINK_TO_ABSOLUTE_PATH {
      @Override
      Archives.Tar tar(Archives.Tar tar, Path outside) {
        return tar.hardLink("hl", outside.resolve("victim.txt").toString()).file("hl", "pwned", 0644);
      }

      @Override
      String refusal(Format format, Path outside) {
        return "archive entry 'hl' is a hard link to '" + outside.resolve("victim.txt")
            + "', which is an absolute path";
      }
    },
    HARD_LINK_LEAVING_THE_TARGET {
      @Override
      Archives.Tar tar(Archives.Tar tar, Path outside) {
        return tar.hardLink("hl2", "../../../outside/victim.txt").file("hl2", "pwned", 0644);
      }

      @Override
      String refusal(Format format, Path outside) {
        return "archive entry 'hl2' is a hard link to '../../../outside/victim.txt', which leaves the target"
            + " directory";
      }
    },
    HARD_LINK_THROUGH_A_SYMLINK {
      @Override
      Archives.Tar tar(Archives.Tar tar, Path outside) {
        return tar.symlink("lnk", outside.toString()).hardLink("hl3", "lnk/victim.txt");
      }

      @Override
      String refusal(Format format, Path outside) {
        return "archive entry 'hl3' is a hard link to 'lnk/victim.txt', which goes through the symlink 'lnk'";
      }
    },
    HARD_LINK_TO_A_SYMLINK {
      @Override
      Archives.Tar tar(Archives.Tar tar, Path outside) {
        return tar.symlink("s", outside.resolve("victim.txt").toString()).hardLink("h", "s");
      }

      @Override
      String refusal(Format format, Path outside) {
        return "archive entry 'h' is a hard link to 's', which is a symlink";
      }
    },
    FIFO {
      @Override
      Archives.Tar tar(Archives.Tar tar, Path outside) {
        return tar.special("pipe", TarConstants.LF_FIFO);
      }

      @Override
      Archives.Zip zip(Archives.Zip zip, Path outside) {
        return zip.special("pipe", 010644);
      }

      @Override
      String refusal(Format format, Path outside) {
        return format == Format.ZIP
            ? "archive entry 'pipe' is a special file (mode 10644); special files are not allowed"
            : "archive entry 'pipe' is a FIFO; special files are not allowed";
      }
    },
    CHARACTER_DEVICE {
      @Override
      Archives.Tar tar(Archives.Tar tar, Path outside) {
        return tar.special("dev/null", TarConstants.LF_CHR);
      }

      @Override
      Archives.Zip zip(Archives.Zip zip, Path outside) {
        return zip.special("dev/null", 020666);
      }

      @Override
      String refusal(Format format, Path outside) {
        return format == Format.ZIP
            ? "archive entry 'dev/null' is a special file (mode 20666); special files are not allowed"
            : "archive entry 'dev/null' is a character device; device entries are not allowed";
      }
    },
    BLOCK_DEVICE {
      @Override
      Archives.Tar tar(Archives.Tar tar, Path outside) {
        return tar.special("sda", TarConstants.LF_BLK);
      }

      @Override
      Archives.Zip zip(Archives.Zip zip, Path outside) {
        return zip.special("sda", 060660);
      }

      @Override
      String refusal(Format format, Path outside) {
        return format == Format.ZIP
            ? "archive entry 'sda' is a special file (mode 60660); special files are not allowed"
            : "archive entry 'sda' is a block device; device entries are not allowed";
      }
    },
    BOMB_BY_ENTRY_COUNT {
      @Override
      Archives.Tar tar(Archives.Tar tar, Path outside) {
        for (int i = 0; i < 10; i++) {
          tar.file("f" + i + ".txt", "x", 0644);
        }
        return tar;
      }

      @Override
      Archives.Zip zip(Archives.Zip zip, Path outside) {
        for (int i = 0; i < 10; i++) {
          zip.file("f" + i + ".txt", "x", 0644);
        }
        return zip;
      }

      @Override
      String refusal(Format format, Path outside) {
        return "archive entry 'f7.txt' is beyond the limit of 8 entries per archive (max archive entries;"
            + " a decompression bomb?)";
      }
    },
    BOMB_BY_SIZE {
      @Override
      Archives.Tar tar(Archives.Tar tar, Path outside) {
        return tar.file("zeros.bin", new byte[8 << 20], 0644);
      }

      @Override
      Archives.Zip zip(Archives.Zip zip, Path outside) {
        return zip.file("zeros.bin", new byte[8 << 20], 0644);
      }

      @Override
      String refusal(Format format, Path outside) {
        return "archive entry 'zeros.bin' expands the archive beyond the limit of 1048576 bytes (max expanded"
            + " bytes; a decompression bomb?)";
      }
    };

    abstract Archives.Tar tar(Archives.Tar tar, Path outside);

    /** The case as a zip, or null when zip cannot express it (hard links). */
    Archives.Zip zip(Archives.Zip zip, Path outside) {
      return null;
    }

    abstract String refusal(Format format, Path outside);

    /** The archive in {@code format} after a harmless first entry, or null if the format cannot express it. */
    byte[] archive(Format format, Path outside) {
      if (format == Format.ZIP) {
        Archives.Zip zip = zip(Archives.zip().file("harmless.txt", "ok", 0644), outside);
        return zip == null ? null : zip.bytes();
      }
      return format.tarBytes.apply(tar(Archives.tar().file("harmless.txt", "ok", 0644), outside));
    }
  }

  static List<Arguments> everyCaseInEveryFormat() {
    List<Arguments> cases = new ArrayList<>();
    for (Hostile hostile : Hostile.values()) {
      for (Format format : Format.values()) {
        if (format != Format.ZIP || hostile.zip(Archives.zip(), Path.of("/probe")) != null) {
          cases.add(Arguments.of(hostile, format));
        }
      }
    }
    return cases;
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("everyCaseInEveryFormat")
  void hostileEntryIsRefusedByNameAndNothingIsWritten(Hostile hostile, Format format) throws Exception {
    byte[] archive = hostile.archive(format, outside);
    String path = "/" + hostile.name().toLowerCase() + "/" + format.fileName;
    server.serve(path, archive);
    Map<String, String> before = TreeSnapshot.of(tmp);

    FetchException e = assertThrows(FetchException.class,
        () -> fetcher.fetch(FetchRequest.of(server.url(path)), sandbox, FetchProgress.NONE));

    assertEquals("Failed to fetch '" + server.url(path) + "': " + hostile.refusal(format, outside), e.getMessage());
    assertEquals(before, TreeSnapshot.of(tmp), "nothing changed, inside or outside the sandbox");
    assertEquals(List.of("victim.txt"), list(outside));
    assertEquals("victim", Files.readString(outside.resolve("victim.txt")));
    assertEquals(List.of(), list(sandbox));
  }

  @Test
  void absoluteSymlinkIsKeptInLenientMode() throws Exception {
    server.serve("/links.tgz", Archives.tar().symlink("passwd", "/etc/passwd").tgz());

    fetcher.fetch(FetchRequest.of(server.url("/links.tgz")), sandbox, FetchProgress.NONE);

    assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(sandbox.resolve("passwd")));
    Files.delete(sandbox.resolve("passwd")); // spares JUnit's warning about a link leaving its temp dir
  }

  @Test
  void regularFileReplacesAnEarlierSymlinkWithoutWritingThroughIt() throws Exception {
    server.serve("/replace.tgz", Archives.tar()
        .symlink("f", outside.resolve("victim.txt").toString())
        .file("f", "mine", 0644)
        .tgz());

    fetcher.fetch(FetchRequest.of(server.url("/replace.tgz")), sandbox, FetchProgress.NONE);

    assertTrue(Files.isRegularFile(sandbox.resolve("f"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("mine", Files.readString(sandbox.resolve("f")));
    assertEquals("victim", Files.readString(outside.resolve("victim.txt")));
  }

  @Test
  void symlinkChainIsResolvedLexicallyInsideTheTarget() throws Exception {
    server.serve("/chain.tgz", Archives.tar()
        .symlink("a", ".")
        .symlink("b", "a/a/a/../../..")
        .file("b/../evil-chain.txt", "lexically inside", 0644)
        .tgz());
    Map<String, String> outsideBefore = TreeSnapshot.of(outside);

    fetcher.fetch(FetchRequest.of(server.url("/chain.tgz")), sandbox, FetchProgress.NONE);

    assertEquals("lexically inside", Files.readString(sandbox.resolve("evil-chain.txt")));
    assertEquals(List.of("a", "b", "evil-chain.txt"), list(sandbox));
    assertEquals(outsideBefore, TreeSnapshot.of(outside));
    assertEquals(List.of("outside", "work"), list(tmp));
    assertEquals(List.of("sandbox"), list(tmp.resolve("work")));
    Files.delete(sandbox.resolve("b")); // it resolves above the temp dir, as with GNU tar; JUnit would warn
  }

  @Test
  void plainGzExpandingBeyondTheLimitIsRefused() throws Exception {
    server.serve("/zeros.bin.gz", Archives.gzip(new byte[8 << 20]));

    FetchException e = assertThrows(FetchException.class,
        () -> fetcher.fetch(FetchRequest.of(server.url("/zeros.bin.gz")), sandbox, FetchProgress.NONE));

    assertEquals("Failed to fetch '" + server.url("/zeros.bin.gz") + "': 'zeros.bin' decompresses to more than"
        + " 1048576 bytes (max expanded bytes; a decompression bomb?)", e.getMessage());
    assertEquals(List.of(), list(sandbox));
  }
}
