package io.github.sparkmesos.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProgressTextTest {

  static final String URI = "https://alice:s3cret@repo.example.invalid/dist/spark-3.5.9-bin-sme.tgz?token=x#frag";

  @Test
  void aProgressLineWithAKnownTotal() {
    assertEquals("spark-3.5.9-bin-sme.tgz: 48.2 MiB of 161.1 MiB (30%) at 112.4 MiB/s, 1s left",
        ProgressText.progress(URI, 50_541_363, 168_925_594, Duration.ofMillis(429)));
  }

  @Test
  void withoutATotalThereIsNoPercentageAndNoTimeLeft() {
    assertEquals("spark-3.5.9-bin-sme.tgz: 48.2 MiB at 112.4 MiB/s",
        ProgressText.progress(URI, 50_541_363, -1, Duration.ofMillis(429)));
  }

  @Test
  void atTheStartThereIsNoRate() {
    assertEquals("spark-3.5.9-bin-sme.tgz: 0 B of 161.1 MiB (0%)",
        ProgressText.progress(URI, 0, 168_925_594, Duration.ZERO));
  }

  @Test
  void neverOneHundredPercentBeforeTheEndAndNoTimeLeftAtTheEnd() {
    assertEquals("app.tgz: 999.9 KiB of 1000.0 KiB (99%) at 999.9 KiB/s, 1s left",
        ProgressText.progress("/srv/app.tgz", 1_023_900, 1_024_000, Duration.ofSeconds(1)));
    assertEquals("app.tgz: 1000.0 KiB of 1000.0 KiB (100%) at 1000.0 KiB/s",
        ProgressText.progress("/srv/app.tgz", 1_024_000, 1_024_000, Duration.ofSeconds(1)));
  }

  @Test
  void longTimesLeftAreInMinutesAndHours() {
    assertEquals("big.bin: 1.0 MiB of 1.0 GiB (0%) at 1.0 MiB/s, 17m 03s left",
        ProgressText.progress("hdfs://nn/big.bin", 1 << 20, 1L << 30, Duration.ofSeconds(1)));
    assertEquals("huge.bin: 1.0 MiB of 10.0 GiB (0%) at 1.0 MiB/s, 2h 50m left",
        ProgressText.progress("hdfs://nn/huge.bin", 1 << 20, 10L << 30, Duration.ofSeconds(1)));
  }

  @Test
  void aUriWithoutAPathIsShownWhole() {
    assertEquals("http://host/: 1 B", ProgressText.progress("http://u:p@host/", 1, -1, Duration.ZERO));
  }

  @Test
  void theFinalLine() {
    String sha = "9b233fe2" + "0".repeat(48) + "aae438b5";
    assertEquals("Fetched https://repo.example.invalid/dist/spark-3.5.9-bin-sme.tgz?token=x#frag (161.1 MiB, sha256 "
            + sha + ") in 1433 ms from source",
        ProgressText.fetched(URI, 168_925_594, sha, Duration.ofMillis(1433), false));
    FetchResult cached = new FetchResult("/srv/app.tgz", Path.of("/sandbox"), 2048, true, Duration.ofMillis(12),
        sha, true);
    assertEquals("Fetched /srv/app.tgz (2.0 KiB, sha256 " + sha + ") in 12 ms from cache",
        ProgressText.fetched(cached));
    assertEquals("Fetched /srv/a.txt (5 B) in 0 ms from source",
        ProgressText.fetched("/srv/a.txt", 5, null, Duration.ZERO, false));
  }

  @ParameterizedTest
  @CsvSource({
      "0, 0 B",
      "1023, 1023 B",
      "1024, 1.0 KiB",
      "1536, 1.5 KiB",
      "168925594, 161.1 MiB",
      "1073741824, 1.0 GiB",
      "1099511627776, 1.0 TiB",
  })
  void sizes(long bytes, String text) {
    assertEquals(text, ProgressText.size(bytes));
  }
}
