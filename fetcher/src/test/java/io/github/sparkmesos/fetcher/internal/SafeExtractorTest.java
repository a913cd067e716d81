package io.github.sparkmesos.fetcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules of the extractor that the end-to-end tests do not reach. */
class SafeExtractorTest {

  private static final FileTime MTIME = FileTime.from(Instant.parse("2021-03-04T05:06:07Z"));

  @TempDir
  Path target;

  private SafeExtractor extractor(SymlinkPolicy policy) {
    return new SafeExtractor(target, policy, 1000, ExpansionBudget.unlimited());
  }

  private static ByteArrayInputStream content(String text) {
    return new ByteArrayInputStream(text.getBytes());
  }

  @Test
  void strictPolicyRefusesAbsoluteAndEscapingSymlinks() throws Exception {
    SafeExtractor strict = extractor(SymlinkPolicy.STRICT);
    strict.file("lib/a.jar", content("jar"), 0644, MTIME);
    strict.symlink("lib/current.jar", "a.jar", MTIME);
    strict.symlink("bin/lib", "../lib", MTIME);

    StepException absolute = assertThrows(StepException.class, () -> strict.symlink("passwd", "/etc/passwd", MTIME));
    StepException escaping = assertThrows(StepException.class, () -> strict.symlink("lib/up", "../../x", MTIME));

    assertEquals("archive entry 'passwd' is a symlink to '/etc/passwd', which leaves the target directory",
        absolute.getMessage());
    assertEquals("archive entry 'lib/up' is a symlink to '../../x', which leaves the target directory",
        escaping.getMessage());
    assertEquals(Path.of("a.jar"), Files.readSymbolicLink(target.resolve("lib/current.jar")));
  }

  @Test
  void directoryModesAndMtimesAreAppliedLastDeepestFirst() throws Exception {
    SafeExtractor extractor = extractor(SymlinkPolicy.LENIENT);
    extractor.directory("ro/", 0555, MTIME);
    extractor.directory("ro/inner/", 0500, MTIME);
    extractor.file("ro/inner/f.txt", content("f"), 0444, MTIME);
    extractor.directory("sticky/", 01777, MTIME);
    extractor.directory("./", 0700, MTIME);
    int targetMode = mode(target);

    extractor.finish();

    assertEquals(0555, mode(target.resolve("ro")));
    assertEquals(0500, mode(target.resolve("ro/inner")));
    assertEquals(01777, mode(target.resolve("sticky")));
    assertEquals(MTIME, Files.getLastModifiedTime(target.resolve("ro")));
    assertEquals(MTIME, Files.getLastModifiedTime(target.resolve("ro/inner")));
    assertEquals("f", Files.readString(target.resolve("ro/inner/f.txt")));
    assertEquals(targetMode, mode(target), "'./' does not change the target directory itself");
    Trees.deleteQuietly(target.resolve("ro")); // read-only directories do not block cleanup
    assertTrue(Files.notExists(target.resolve("ro"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void aFileDoesNotReplaceADirectory() throws Exception {
    SafeExtractor extractor = extractor(SymlinkPolicy.LENIENT);
    extractor.directory("d/", 0755, MTIME);

    StepException e = assertThrows(StepException.class, () -> extractor.file("d", content("x"), 0644, MTIME));

    assertEquals("archive entry 'd' would replace the directory 'd'", e.getMessage());
  }

  @Test
  void aHardLinkNeedsItsTargetFirst() {
    SafeExtractor extractor = extractor(SymlinkPolicy.LENIENT);

    StepException e = assertThrows(StepException.class, () -> extractor.hardLink("h", "later.txt"));

    assertEquals("archive entry 'h' is a hard link to 'later.txt', which does not come before it in the archive",
        e.getMessage());
  }

  @Test
  void controlCharactersInNamesAreEscapedInMessages() {
    SafeExtractor extractor = extractor(SymlinkPolicy.LENIENT);

    StepException e = assertThrows(StepException.class,
        () -> extractor.file("../\u001b[2Jevil", content("x"), 0644, MTIME));

    assertEquals("archive entry '../\\x1b[2Jevil' leaves the target directory", e.getMessage());
  }

  private static int mode(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }
}
