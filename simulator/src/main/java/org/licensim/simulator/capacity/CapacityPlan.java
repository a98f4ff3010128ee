package org.licensim.simulator.capacity;

import java.util.List;

import org.licensim.core.LicensimException;
import org.licensim.simulator.scenario.Scenario;

/**
 * A capacity plan: per product, how many seats the Monte Carlo runs of {@link CapacityPlanner}
 * needed beyond those the tenant had, and by when (docs/PLANNING.md). Named apart from a
 * product's <em>service</em> plans (the catalog's), which it never deals with.
 */
public record CapacityPlan(Scenario scenario, int runs, int horizon, double percentile, List<ProductNeed> products,
                           List<CapacityPlanner.Run> runResults, long millis, List<String> productNames) {

    /** What one product needs. */
    public record ProductNeed(String sku, int capacityStart, int capacityEnd, int runs, int runsShort,
                              int needP50, int needAtPercentile, int needMax, int firstShortEarly, int firstShortMedian,
                              String buyByDate, int releasable) {
        /** Seats to buy to stay error-free at the plan's percentile. */
        public int buy() {
            return needAtPercentile;
        }

        /** Day by which to buy them (the early percentile of the first short day), or -1 when none is needed. */
        public int buyByDay() {
            return needAtPercentile > 0 ? firstShortEarly : -1;
        }
    }

    public ProductNeed product(String sku) {
        return products.stream().filter(p -> p.sku().equals(sku)).findFirst().orElseThrow(
                () -> new LicensimException("no product " + sku + " in the plan"));
    }
}
