package org.licensim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;

/**
 * Not a benchmark: CI's guard that every benchmark still compiles, sets up (including the peers'
 * agreement check) and runs, in JMH's smoke profile on a tiny tenant. Speed is not judged here.
 */
class BenchmarkSmokeTest {
    @Test
    @DisplayName("every benchmark runs once in the smoke profile and yields a finite score")
    void everyBenchmarkRuns() throws Exception {
        Collection<RunResult> results = BenchMain.run(BenchMain.Profile.smoke, "org.licensim.bench.*", null);
        Set<String> ran = new TreeSet<>();
        for (RunResult r : results) {
            String b = r.getParams().getBenchmark();
            ran.add(b.substring(b.lastIndexOf('.', b.lastIndexOf('.') - 1) + 1));
            double score = r.getPrimaryResult().getScore();
            assertTrue(Double.isFinite(score) && score > 0, b + " " + r.getParams() + " scored " + score);
        }
        assertEquals(Set.of("ClockBenchmark.dayBoundary", "ClockBenchmark.evaluateEveryone", "EndToEndBenchmark.resolve",
                "EventBenchmark.attributeChange", "EventBenchmark.directAssign", "EventBenchmark.eventObject",
                "EventBenchmark.groupProductEdit60k", "EventBenchmark.memberAdded", "EventBenchmark.memberRemoved",
                "EventBenchmark.seatPurchaseAutoReprocess", "MemoryFloorBenchmark.stream", "ReconcileBenchmark.reconcile",
                "RuleBenchmark.evaluateAllRules", "RuleBenchmark.parseAndCompileRules", "StoreBenchmark.memberToggle",
                "StoreBenchmark.reconcile"), ran);
        assertEquals(9 + 3 + 6 + 2 + 2 + 4 + 2 + 9, results.size(), "reconcile: 3 shapes x 3 resolvers; 3 memory floors; 6 event "
                + "runs; 2 event-object baselines; 2 rule runs; 2 store kinds x 2 store benchmarks; 2 clock runs; 3 shapes x 3 "
                + "end-to-end resolvers");
        String table = BenchMain.Targets.table(results);
        assertTrue(table.contains("full reconcile, 3000 users, manySmall"), table);
        assertTrue(table.contains("full reconcile, 3000 users, scarce"), table);
        assertTrue(table.contains("scarce") && table.contains("x clean"), table);
        assertTrue(table.contains("plainJdk") && table.contains("duckdb"), table);
        assertTrue(table.contains("memory floor"), table);
        assertTrue(table.contains("persistence: membership event on the chronicle store"), table);
        assertTrue(table.contains("persistence: reconcile 3000 users into a new heap store"), table);
        assertTrue(table.contains("baseline: building one membership event"), table);
    }
}
