package io.github.sparkmesos.executor.pipeline;

/** Takes back what a stage made, when a later stage fails. */
@FunctionalInterface
interface Undo {
  void run();
}
