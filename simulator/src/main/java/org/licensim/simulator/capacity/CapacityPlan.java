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
                           List<CapacityPlanner.Run> runResults, long millis, List<String> productNames,
                           CapacityPlanner.Day0 day0, int maxRuns) {

    /**
     * What one product needs. Days are -1 for never (beyond the horizon). {@code firstShortEarly}
     * is the (1 - q) quantile of the runs' first short days (the buy-by date), {@code firstShortLate}
     * their predictive q bound; the two make the plan's interval of the first short day.
     * {@code releasable} is the lower predictive bound of each run's smallest headroom: at least
     * that many seats stayed unused on every day in a share q of futures (0 with too few runs to
     * say). {@code mc} holds the Monte Carlo error of each figure.
     */
    public record ProductNeed(String sku, int capacityStart, int capacityEnd, int runs, int runsShort,
                              int needP50, int needAtPercentile, int needMax, int firstShortEarly, int firstShortMedian,
                              int firstShortLate, String buyByDate, int releasable, MonteCarlo mc) {
        /** Seats to buy to stay error-free at the plan's percentile. */
        public int buy() {
            return needAtPercentile;
        }

        /** Day by which to buy them (the early percentile of the first short day), or -1 when none is needed. */
        public int buyByDay() {
            return needAtPercentile > 0 ? firstShortEarly : -1;
        }
    }

    /**
     * How precisely the runs fix a product's figures: each one's 95% confidence interval over
     * plans made with other seeds, and its Monte Carlo error in days or seats ({@link Precision}).
     */
    public record MonteCarlo(Precision buyBy, Precision median, Precision late, Precision buy, Precision releasable) {
    }

    public ProductNeed product(String sku) {
        return products.stream().filter(p -> p.sku().equals(sku)).findFirst().orElseThrow(
                () -> new LicensimException("no product " + sku + " in the plan"));
    }
}
