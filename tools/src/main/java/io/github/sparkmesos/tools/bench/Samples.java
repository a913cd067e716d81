package io.github.sparkmesos.tools.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The values one row of the benchmark measured, one per run. */
final class Samples {

  private final List<Double> values = new ArrayList<>();

  void add(double value) {
    values.add(value);
  }

  double median() {
    List<Double> sorted = sorted();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Nearest rank: with 5 runs, the largest. */
  double p90() {
    List<Double> sorted = sorted();
    return sorted.get((int) Math.ceil(0.9 * sorted.size()) - 1);
  }

  private List<Double> sorted() {
    if (values.isEmpty()) {
      throw new IllegalStateException("no samples");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted;
  }
}
