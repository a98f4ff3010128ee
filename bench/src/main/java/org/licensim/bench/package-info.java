/**
 * JMH benchmarks and the peers measured beside the engine (docs/BENCHMARKS.md), shaded into
 * {@code benchmarks.jar}, which {@code licensim bench} runs in its own JVM:
 * {@link org.licensim.bench.BenchMain} (profiles, the targets table), the generated tenants
 * ({@link org.licensim.bench.BenchTenant}, {@link org.licensim.bench.Scarce}), the peers behind
 * {@link org.licensim.bench.Resolver} (the engine, {@link org.licensim.bench.PlainJdkResolver},
 * {@link org.licensim.bench.DuckDbResolver}, DuckDB end to end), and the benchmarks: reconcile
 * (with its memory-bandwidth floor), end to end, per event, rules, the clock of time-driven
 * rules and the persisted store ({@link org.licensim.bench.StoreScaleRun} at scale). Uses core,
 * JMH and DuckDB's JDBC driver (the simulator is a dependency of its pom, unused so far).
 */
package org.licensim.bench;
