package io.github.sparkmesos.fetcher.internal;

/** Which symlink targets an archive may contain. */
enum SymlinkPolicy {
  /**
   * Links are created as given, even absolute or escaping ones (GNU tar's behaviour, and what real
   * archives such as a JDK need). Safe because nothing is ever written through a link.
   */
  LENIENT,
  /** Absolute targets and targets that lexically leave the target directory are refused. */
  STRICT
}
