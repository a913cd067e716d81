package io.github.sparkmesos.tools.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The benchmark's one table: each figure beside its baseline, with medians, p90s and their ratio. */
final class ResultTable {

  /** A row; {@code target} is an upper bound on the median, or 0 for none. */
  private record Row(String label, Samples measured, String baselineLabel, Samples baseline, double target) {}

  private final List<Row> rows = new ArrayList<>();

  void add(String label, Samples measured, String baselineLabel, Samples baseline, double target) {
    rows.add(new Row(label, measured, baselineLabel, baseline, target));
  }

  void print(PrintStream out) {
    String format = "%-48s %9s %9s | %-40s %9s %9s | %7s | %s%n";
    out.printf(format, "measured", "median", "p90", "baseline", "median", "p90", "ratio", "target (median)");
    for (Row row : rows) {
      double m = row.measured().median();
      double b = row.baseline().median();
      String target = row.target() == 0 ? "" : String.format("<= %.0f: %s", row.target(), m <= row.target() ? "met"
          : "NOT met");
      out.printf(format, row.label(), figure(m), figure(row.measured().p90()), row.baselineLabel(), figure(b),
          figure(row.baseline().p90()), String.format("%.2f", m / b), target);
    }
  }

  private static String figure(double value) {
    return value >= 100 ? String.format("%.0f", value) : String.format("%.1f", value);
  }
}
