/**
 * Health checks ({@code TaskInfo.health_check}) and general checks ({@code TaskInfo.check}) of a task, with
 * the semantics of Mesos's {@code src/checks}: {@link io.github.sparkmesos.executor.checks.TaskChecks} is the
 * whole public surface; the probes, their schedule and the interpretation of results are package-private.
 */
package io.github.sparkmesos.executor.checks;
