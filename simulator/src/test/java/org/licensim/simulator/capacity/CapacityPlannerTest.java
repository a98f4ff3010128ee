package org.licensim.simulator.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.catalog.Catalog;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.Scenarios;

/**
 * The capacity planner's advice, checked by taking it: the seat-crunch scenario rerun on the
 * same seeds with the seats the planner said to buy has nobody waiting, and with the seats it
 * said to release still has nobody waiting for that product.
 */
class CapacityPlannerTest {
    static Catalog catalog;
    static Scenario crunch;
    static CapacityPlan plan;

    @BeforeAll
    static void plan() {
        catalog = Catalog.loadDefault();
        crunch = Scenarios.shipped("seat-crunch", catalog).with(null, 2_000, 90);
        plan = CapacityPlanner.plan(crunch, catalog, 8, 0, 0.95, 2, line -> { });
    }

    static int worstNeed(Scenario s, String sku) {
        List<CapacityPlanner.Run> runs = CapacityPlanner.simulate(s, catalog, 8, 2, line -> { });
        int t = s.products().stream().map(Scenario.ProductSpec::sku).toList().indexOf(sku);
        int worst = 0;
        for (CapacityPlanner.Run r : runs) {
            worst = Math.max(worst, r.need(t, 0, r.day().length - 1));
        }
        return worst;
    }

    @Test
    @DisplayName("buying what the plan says before the day it says leaves nobody waiting in the planned runs")
    void buyAdviceHolds() {
        CapacityPlan.ProductNeed e3 = plan.product("ENTERPRISEPACK");
        assertEquals(8, e3.runs());
        assertTrue(e3.runsShort() > 0 && e3.buy() > 0, e3.toString());
        assertTrue(e3.buyByDay() >= 0 && e3.buyByDay() <= e3.firstShortMedian(), e3.toString());
        assertTrue(e3.needP50() <= e3.buy() && e3.buy() <= e3.needMax(), e3.toString());
        // with 8 runs the 95th percentile is the worst run: every run must then be free of waiting
        assertEquals(0, worstNeed(crunch.withExtraSeats("ENTERPRISEPACK", e3.buy()), "ENTERPRISEPACK"));
        // and one seat fewer than advised is not enough in the worst run
        assertTrue(worstNeed(crunch.withExtraSeats("ENTERPRISEPACK", e3.buy() - 1), "ENTERPRISEPACK") > 0);
    }

    @Test
    @DisplayName("seats the plan says were never used can be released without anyone waiting")
    void releaseAdviceHolds() {
        // at 95% a release needs 19 runs or more (a future run must keep the headroom in 95% of cases); at 80% the
        // 8 runs' smallest headroom is the bound
        assertTrue(plan.products().stream().allMatch(p -> p.releasable() == 0), "8 runs say nothing at 95%");
        CapacityPlan at80 = CapacityPlanner.plan(crunch, catalog, plan.runResults(), 0.8, 0);
        List<String> released = new ArrayList<>();
        for (CapacityPlan.ProductNeed p : at80.products()) {
            if (p.releasable() > 0 && p.runsShort() == 0) {
                assertEquals(0, worstNeed(crunch.withExtraSeats(p.sku(), -p.releasable()), p.sku()), p.toString());
                released.add(p.sku());
            }
        }
        assertTrue(!released.isEmpty(), "no product with spare seats in " + at80.products());
    }

    @Test
    @DisplayName("more users waiting than seats free is short although not every seat is used: the need gets a buy-by date")
    void waitingBeyondFreeSeatsIsShort() {
        // one product, 3 days, 120 seats: 110 used and 24 waiting from day 1 (stuck in CountViolation, R18)
        int[][] capacity = {{120, 120, 120}};
        int[][] consumed = {{100, 110, 110}};
        int[][] waiting = {{0, 24, 24}};
        int[][] demand = {{100, 134, 134}};
        CapacityPlanner.Run r = new CapacityPlanner.Run(1, new int[] {0, 1, 2}, new String[] {"2027-01-01", "2027-01-02", "2027-01-03"},
                demand, capacity, consumed, waiting);
        CapacityPlan.ProductNeed p = CapacityPlanner.productPlan("WORKPLACE_ANALYTICS", 0, List.of(r, r), 0, 0.95);
        assertEquals(14, p.buy());
        assertEquals(2, p.runsShort());
        assertEquals(1, p.buyByDay());
        assertEquals("2027-01-02", p.buyByDate());
    }

    @Test
    @DisplayName("the Monte Carlo error of a quantile comes from the order statistics around its rank; never short has no bound")
    void monteCarloError() {
        int[] days = new int[100];
        for (int i = 0; i < days.length; i++) {
            days[i] = 30 + i / 10; // ten runs on each of days 30..39
        }
        Precision median = Precision.median(days);
        assertEquals(35, median.value());
        // ranks 50 -+ 1.96 * 5: 40..60, days 33..35
        assertEquals(33, median.low());
        assertEquals(35, median.high());
        assertEquals(1 / 1.959964, median.error(), 1e-6, "a day either side of the middle rank (34), over 1.96");
        Precision p5 = Precision.ofRank(days, CapacityPlanner.earlyRank(100, 0.95));
        assertEquals(30, p5.value());
        assertEquals(30, p5.low());
        // 4.5 -+ 1.96 * sqrt(100 * 0.045 * 0.955): ranks 1..10, all on day 30: the buy-by date is exact
        assertEquals(30, p5.high());
        assertEquals(0, p5.error());
        int[] some = {10, 12, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        assertTrue(Precision.median(some).unbounded(), "an interval that reaches never has no finite error");
        // releasable: a lower bound a future run keeps with probability 95% needs 19 runs
        assertEquals(-7, Precision.lowerPredictive(new int[] {5, 6, 7}, 0.95, -7).value());
        int[] headroom = new int[39];
        for (int i = 0; i < headroom.length; i++) {
            headroom[i] = 100 + i;
        }
        assertEquals(101, Precision.lowerPredictive(headroom, 0.95, 0).value(), "rank floor(0.05 * 40) = 2");
    }

    @Test
    @DisplayName("quantiles are nearest-rank")
    void quantiles() {
        int[] v = {5, 1, 4, 2, 3};
        assertEquals(1, CapacityPlanner.quantile(v, 0.05));
        assertEquals(3, CapacityPlanner.quantile(v, 0.5));
        assertEquals(5, CapacityPlanner.quantile(v, 0.95));
        assertEquals(4, CapacityPlanner.quantile(v, 0.8));
    }

    @Test
    @DisplayName("the planner's progress names its phase and counts its runs in order, with the time spent and to go")
    void progressLines() {
        java.util.List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Scenario s = Scenarios.shipped("small", org.licensim.core.catalog.Catalog.loadDefault()).with(3L, 300, 5);
        CapacityPlanner.simulate(s, org.licensim.core.catalog.Catalog.loadDefault(), 4, 2, "backtest: held-out runs", lines::add);
        assertEquals(4, lines.size(), lines.toString());
        for (int k = 1; k <= 4; k++) {
            String l = lines.get(k - 1);
            assertTrue(l.matches("backtest: held-out runs: run " + k + " of 4 done \\(seed \\d+\\), \\d+\\.\\d s so far"
                    + (k < 4 ? ", about \\d+ s to go" : "")), l);
        }
    }

    @Test
    @DisplayName("progress of many runs: the first, the last and one per tenth of them, at most 11 lines, every count once")
    void progressOfManyRunsIsATenthAtATime() {
        for (int runs : new int[] {1, 4, 10, 11, 25, 100, 1000, 1001}) {
            java.util.List<Integer> said = new java.util.ArrayList<>();
            for (int k = 1; k <= runs; k++) {
                if (CapacityPlanner.reported(k, runs)) {
                    said.add(k);
                }
            }
            assertEquals(1, said.get(0), runs + ": the first run");
            assertEquals(runs, said.get(said.size() - 1), runs + ": the last run");
            assertTrue(said.size() <= 11, runs + " runs: " + said);
            assertEquals(Math.min(runs, runs <= 10 ? runs : 11), said.size(), runs + " runs: " + said);
        }
        assertEquals(java.util.List.of(1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100),
                java.util.stream.IntStream.rangeClosed(1, 100).filter(k -> CapacityPlanner.reported(k, 100)).boxed().toList());
        // a planner's progress of 25 runs, through its consumer
        java.util.List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Scenario s = Scenarios.shipped("small", org.licensim.core.catalog.Catalog.loadDefault()).with(3L, 100, 2);
        CapacityPlanner.simulate(s, org.licensim.core.catalog.Catalog.loadDefault(), 25, 2, "plan", lines::add);
        assertEquals(11, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("plan: run 1 of 25 done"), lines.get(0));
        assertTrue(lines.get(10).matches("plan: run 25 of 25 done \\(seed \\d+\\), \\d+\\.\\d s so far"), lines.get(10));
    }
}
