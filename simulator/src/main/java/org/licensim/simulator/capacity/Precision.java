package org.licensim.simulator.capacity;

import java.util.Arrays;

/**
 * How precisely a plan's Monte Carlo runs pin a quantile down: the distribution-free 95%
 * confidence interval of a sample quantile from the order statistics (the ranks n q -+ 1.96
 * sqrt(n q (1 - q)), the normal approximation of the binomial count below the true quantile), and
 * the Monte Carlo error, the interval's wider side (from the value to the farther end) over 1.96: a
 * standard error, which near the runs' extremes (the p5 of 20 runs) the cut interval would
 * understate. A run that never ran short is {@link Integer#MAX_VALUE}: an interval reaching it has
 * no finite error.
 */
public record Precision(int value, int low, int high, double error) {
    static final double Z95 = 1.959964;
    /** Whether the interval reaches "never" (beyond the horizon). */
    public boolean unbounded() {
        return Double.isInfinite(error);
    }

    /** The interval of the value at 1-based rank {@code rank} of the n sorted {@code values}, seen as the rank / n quantile. */
    static Precision ofRank(int[] values, int rank) {
        int[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        int r = Math.max(1, Math.min(n, rank));
        double q = Math.min(1, Math.max(0, (r - 0.5) / n));
        double half = Z95 * Math.sqrt(n * q * (1 - q));
        int lo = Math.max(1, (int) Math.floor(r - half));
        int hi = Math.min(n, (int) Math.ceil(r + half));
        int low = v[lo - 1];
        int high = v[hi - 1];
        // the wider side over 1.96: near the first or last rank the interval is cut at the runs' extreme, and its
        // one side that is left says more than the width (at 20 runs the p5's interval is ranks 1-3, the value rank 1)
        int value = v[r - 1];
        double err = high == Integer.MAX_VALUE || low == Integer.MAX_VALUE || value == Integer.MAX_VALUE
                ? Double.POSITIVE_INFINITY : Math.max(high - (double) value, value - (double) low) / Z95;
        return new Precision(value, low, high, err);
    }

    /** The median ({@link Planner#median}: the mean of the middle two) with the interval of the middle rank. */
    static Precision median(int[] values) {
        Precision mid = ofRank(values, (values.length + 1) / 2);
        return new Precision(CapacityPlanner.median(values), mid.low(), mid.high(), mid.error());
    }

    /** The nearest-rank {@code q} quantile (rank ceil(q n), as {@link Planner#quantile}) with its interval. */
    static Precision quantile(int[] values, double q) {
        return ofRank(values, (int) Math.ceil(q * values.length - 1e-9));
    }

    /** The predictive bound (rank ceil(q (n + 1)), as {@link Planner#predictive}) with its interval. */
    static Precision predictive(int[] values, double q) {
        return ofRank(values, (int) Math.ceil(q * (values.length + 1) - 1e-9));
    }

    /**
     * The lower predictive bound: a future run's value is at least the r-th smallest of n with
     * probability 1 - r / (n + 1), so r = floor((1 - q) (n + 1)) gives at least q; with fewer runs
     * than that takes (r = 0) there is no such bound and the answer is {@code none}.
     */
    static Precision lowerPredictive(int[] values, double q, int none) {
        int r = (int) Math.floor((1 - q) * (values.length + 1) + 1e-9);
        if (r < 1) {
            return new Precision(none, none, none, Double.POSITIVE_INFINITY);
        }
        return ofRank(values, r);
    }
}
