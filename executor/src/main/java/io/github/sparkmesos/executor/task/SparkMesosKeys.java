package io.github.sparkmesos.executor.task;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code spark.mesos.*} settings of Spark 3.5 (resource-managers/mesos config.scala), so that a
 * misspelt one is reported instead of silently doing nothing. Settings outside {@code spark.mesos.}
 * are Spark's own business and not checked.
 */
final class SparkMesosKeys {

  private static final Set<String> KNOWN = Set.of(
      "spark.mesos.coarse", "spark.mesos.coarse.shutdownTimeout", "spark.mesos.constraints",
      "spark.mesos.containerizer", "spark.mesos.checkpoint", "spark.mesos.extra.cores", "spark.mesos.gpus.max",
      "spark.mesos.mesosExecutor.cores", "spark.mesos.executor.home", "spark.mesos.executor.memoryOverhead",
      "spark.mesos.executor.docker.image", "spark.mesos.executor.docker.forcePullImage",
      "spark.mesos.executor.docker.volumes", "spark.mesos.executor.docker.parameters",
      "spark.mesos.executor.docker.portmaps", "spark.mesos.executor.secret.names",
      "spark.mesos.executor.secret.values", "spark.mesos.executor.secret.envkeys",
      "spark.mesos.executor.secret.filenames", "spark.mesos.fetcherCache.enable", "spark.mesos.network.name",
      "spark.mesos.network.labels", "spark.mesos.principal", "spark.mesos.principal.file", "spark.mesos.secret",
      "spark.mesos.secret.file", "spark.mesos.role", "spark.mesos.task.labels", "spark.mesos.uris",
      "spark.mesos.rejectOfferDuration", "spark.mesos.rejectOfferDurationForReachedMaxCores",
      "spark.mesos.rejectOfferDurationForUnmetConstraints", "spark.mesos.driver.constraints",
      "spark.mesos.driver.frameworkId", "spark.mesos.driver.failoverTimeout", "spark.mesos.driver.webui.url",
      "spark.mesos.driver.labels", "spark.mesos.driver.secret.names", "spark.mesos.driver.secret.values",
      "spark.mesos.driver.secret.envkeys", "spark.mesos.driver.secret.filenames", "spark.mesos.dispatcher.queue",
      "spark.mesos.dispatcher.webui.url", "spark.mesos.dispatcher.historyServer.url", "spark.mesos.maxDrivers",
      "spark.mesos.retainedDrivers", "spark.mesos.cluster.retry.wait.max", "spark.mesos.proxy.baseURL",
      "spark.mesos.appJar.local.resolution.mode", "spark.mesos.driver.memoryOverhead");
  /** Families of keys named by a suffix the user chooses. */
  private static final List<String> PREFIXES = List.of("spark.mesos.driverEnv.", "spark.mesos.dispatcher.driverDefault.");

  private SparkMesosKeys() {}

  /** The {@code spark.mesos.*} keys among {@code keys} that Spark does not know, in order. */
  static Set<String> unknown(Set<String> keys) {
    Set<String> unknown = new TreeSet<>();
    for (String key : keys) {
      if (key.startsWith("spark.mesos.") && !KNOWN.contains(key) && PREFIXES.stream().noneMatch(key::startsWith)) {
        unknown.add(key);
      }
    }
    return unknown;
  }
}
