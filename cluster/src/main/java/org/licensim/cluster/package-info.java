/**
 * The capacity planner as an Apache Spark job (docs/SCALE.md): {@link org.licensim.cluster.PlanJob}
 * is what {@code spark-submit} runs, with {@code licensim plan}'s options from the simulator's
 * {@code PlanOptions}, {@link org.licensim.cluster.ClusterPlanner} makes one task
 * per (tenant, seed) and one per tenant to aggregate through the simulator's {@code CapacitySettings},
 * and {@code Storage} reads and writes local or Hadoop file systems. Nothing outside this module
 * sees Spark.
 */
package org.licensim.cluster;
