package io.github.sparkmesos.executor.pipeline;

import io.github.sparkmesos.executor.task.LaunchPlan;

/**
 * Turns the plan's secret references into values for the runtime's input only. Validation refuses
 * references while no resolver is configured, so today every plan passes through unchanged; the
 * secrets module plugs its resolvers in here.
 */
final class ResolveSecretsStep {

  private ResolveSecretsStep() {}

  static LaunchPlan run(LaunchPlan plan) {
    return plan;
  }
}
