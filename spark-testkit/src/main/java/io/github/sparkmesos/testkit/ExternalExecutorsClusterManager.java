package io.github.sparkmesos.testkit;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.ExternalClusterManager;
import org.apache.spark.scheduler.SchedulerBackend;
import org.apache.spark.scheduler.TaskScheduler;
import org.apache.spark.scheduler.TaskSchedulerImpl;
import org.apache.spark.scheduler.cluster.CoarseGrainedSchedulerBackend;

/**
 * Master URL {@code external-executors} (optionally {@code external-executors://anything}):
 * a plain {@link CoarseGrainedSchedulerBackend} that launches nothing and accepts every
 * {@code CoarseGrainedExecutorBackend} that registers with it.
 *
 * <p>Registered through {@code META-INF/services/org.apache.spark.scheduler.ExternalClusterManager}.
 * {@code ExternalClusterManager} and {@code CoarseGrainedSchedulerBackend} are {@code private[spark]}
 * in Scala, which is public in bytecode, so javac accepts this (verified against Spark 3.5.9 only).
 */
public final class ExternalExecutorsClusterManager implements ExternalClusterManager {

  /** The master URL (prefix) this cluster manager handles. */
  public static final String MASTER = "external-executors";

  @Override
  public boolean canCreate(String masterURL) {
    return masterURL.startsWith(MASTER);
  }

  @Override
  public TaskScheduler createTaskScheduler(SparkContext sc, String masterURL) {
    return new TaskSchedulerImpl(sc);
  }

  @Override
  public SchedulerBackend createSchedulerBackend(SparkContext sc, String masterURL, TaskScheduler scheduler) {
    return new CoarseGrainedSchedulerBackend((TaskSchedulerImpl) scheduler, sc.env().rpcEnv());
  }

  @Override
  public void initialize(TaskScheduler scheduler, SchedulerBackend backend) {
    ((TaskSchedulerImpl) scheduler).initialize(backend);
  }
}
