package io.github.sparkmesos.fetcher;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FetchRequestTest {

  @Test
  void ofUsesTheMesosDefaults() {
    FetchRequest request = FetchRequest.of("http://example.invalid/a.tgz");
    assertAll(
        () -> assertTrue(request.extract()),
        () -> assertFalse(request.executable()),
        () -> assertNull(request.outputFile()));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''              | output_file must not be empty",
      "/etc/passwd     | output_file must be a path relative to the sandbox, got '/etc/passwd'",
      "../x.jar        | output_file must not contain '..' segments, got '../x.jar'",
      "lib/../../x.jar | output_file must not contain '..' segments, got 'lib/../../x.jar'",
      "lib/..          | output_file must not contain '..' segments, got 'lib/..'",
      ".               | output_file must name a file inside the sandbox, got '.'",
      "lib/            | output_file must name a file inside the sandbox, got 'lib/'",
  })
  void invalidOutputFilesAreRejectedWithTheRule(String outputFile, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FetchRequest("http://example.invalid/a", true, false, outputFile));
    assertEquals(message, e.getMessage());
  }

  @Test
  void outputFileWithNulIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FetchRequest.of("http://example.invalid/a").withOutputFile("a\0b"));
    assertEquals("output_file must not contain a NUL character", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"x.jar", "lib/x.jar", "./x.jar", "a/./b/c", "..x", "x.."})
  void relativeOutputFilesAreAccepted(String outputFile) {
    assertDoesNotThrow(() -> FetchRequest.of("http://example.invalid/a").withOutputFile(outputFile));
  }

  @Test
  void blankUriIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> FetchRequest.of(" "));
  }

  @Test
  void toStringHidesUserInformation() {
    String text = FetchRequest.of("https://alice:s3cret@repo.example.invalid/a.tgz").toString();
    assertFalse(text.contains("s3cret"), text);
    assertFalse(text.contains("alice"), text);
    assertTrue(text.contains("https://repo.example.invalid/a.tgz"), text);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http://alice:s3cret@host:8080/a?b=c | http://host:8080/a?b=c",
      "https://token@host/x                | https://host/x",
      "http://u:p@ss@host/x@y              | http://host/x@y",
      "http://host/x?u=a@b                 | http://host/x?u=a@b",
      "/local/path@x                       | /local/path@x",
      "hdfs://user:pw@nn:8020/x            | hdfs://nn:8020/x",
  })
  void exceptionMessagesNeverShowUserInformation(String uri, String shown) {
    FetchException e = new FetchException(uri, "HTTP 404 Not Found");
    assertEquals("Failed to fetch '" + shown + "': HTTP 404 Not Found", e.getMessage());
    assertEquals(shown, e.uri());
  }
}
