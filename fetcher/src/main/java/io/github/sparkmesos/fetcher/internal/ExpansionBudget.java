package io.github.sparkmesos.fetcher.internal;

/** How many decompressed bytes one fetch may still produce (the guard against decompression bombs). */
final class ExpansionBudget {

  private final long limit;
  private long used;

  ExpansionBudget(long limit) {
    this.limit = limit;
  }

  static ExpansionBudget unlimited() {
    return new ExpansionBudget(Long.MAX_VALUE);
  }

  /** Counts {@code bytes}; false once the total is over the limit. */
  boolean take(long bytes) {
    used = bytes > Long.MAX_VALUE - used ? Long.MAX_VALUE : used + bytes;
    return used <= limit;
  }

  long limit() {
    return limit;
  }
}
