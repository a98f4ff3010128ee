package org.licensim.simulator.capacity;

import java.util.ArrayList;
import java.util.List;

import org.licensim.core.LicensimException;
import org.licensim.simulator.scenario.Scenario;

/**
 * The plan checked against held-out futures from the same start: each <em>truth</em> is a run
 * with a seed the plan never uses (the real future, as the churn model would play it), and each
 * row asks whether what {@code plan} printed for a product held in it:
 * <ul>
 * <li><b>date covered</b>: the truth's first short day fell within the plan's interval of the
 *     first short day (its p(1 - q) and pQ over the runs; "never" is after every day);</li>
 * <li><b>within 3 days</b>: the plan's median first short day was within 3 days of the truth's
 *     (rows where either ran short);</li>
 * <li><b>bought in time</b>: the buy-by date was no later than the truth's first short day (or
 *     the truth never ran short; a plan that buys nothing misses every truth that does);</li>
 * <li><b>enough</b>: the seats to buy covered the truth's extra need.</li>
 * </ul>
 * Beside each rate is the best a forecast can do ({@link Bound}): for the three coverages the
 * level the plan's ranks give by construction when the truth is drawn like the runs (a new run
 * falls in each of the n + 1 gaps between n sorted runs alike), and for the 3-day rate the share
 * of the plan's own runs within 3 days of its median, the rate a perfect model would score.
 */
public record Backtest(int truths, int runs, int horizon, double percentile, List<Row> rows, Bound bound) {

    /** One truth and product: what the plan printed and what happened. Days are -1 for never. */
    public record Row(String sku, long truthSeed, int actualFirstShort, int actualNeed, int early, int median, int late,
                      int buy, int buyByDay) {
        private static long at(int day) {
            return day < 0 ? Long.MAX_VALUE : day;
        }

        public boolean dateCovered() {
            return at(early) <= at(actualFirstShort) && at(actualFirstShort) <= at(late);
        }

        /** Whether either side ran short (the rows the 3-day rate counts). */
        public boolean dated() {
            return median >= 0 || actualFirstShort >= 0;
        }

        public boolean within3Days() {
            return median >= 0 && actualFirstShort >= 0 && Math.abs(median - actualFirstShort) <= 3;
        }

        public boolean boughtInTime() {
            return actualFirstShort < 0 || buyByDay >= 0 && buyByDay <= actualFirstShort;
        }

        public boolean enough() {
            return actualNeed <= buy;
        }
    }

    /** Per product, the best rates a forecast can have ({@code within3Days}: NaN when no run ran short). */
    public record Bound(double dateCovered, double boughtInTime, double enough, java.util.Map<String, Double> within3Days) {
    }

    /** The scores of one product (or all, {@code sku} null): rates with the rows they count. */
    public record Score(String sku, int rows, double dateCovered, int datedRows, double within3Days,
                        double boughtInTime, double enough) {
    }

    /** Scores plan {@code plan} (its runs and printed figures) against held-out runs {@code truth} from the same start. */
    public static Backtest score(CapacityPlan plan, List<CapacityPlanner.Run> truth) {
        if (truth.isEmpty()) {
            throw new LicensimException("--truths 0: a backtest needs at least 1 held-out run");
        }
        List<Row> rows = new ArrayList<>();
        for (CapacityPlanner.Run tr : truth) {
            int last = tr.day().length - 1;
            for (int t = 0; t < plan.products().size(); t++) {
                CapacityPlan.ProductNeed p = plan.products().get(t);
                int f = tr.firstShort(t, 0);
                rows.add(new Row(p.sku(), tr.seed(), f < 0 ? -1 : tr.day()[f], tr.need(t, 0, last), p.firstShortEarly(),
                        p.firstShortMedian(), p.firstShortLate(), p.buy(), p.buyByDay()));
            }
        }
        int n = plan.runs();
        double q = plan.percentile();
        java.util.Map<String, Double> oracle = new java.util.LinkedHashMap<>();
        for (int t = 0; t < plan.products().size(); t++) {
            oracle.put(plan.products().get(t).sku(), oracleWithin(plan.runResults(), t, 3));
        }
        Bound bound = new Bound(
                (CapacityPlanner.predictiveRank(n, q) - CapacityPlanner.earlyRank(n, q)) / (double) (n + 1),
                (n + 1 - CapacityPlanner.earlyRank(n, q)) / (double) (n + 1),
                CapacityPlanner.predictiveRank(n, q) / (double) (n + 1), oracle);
        return new Backtest(truth.size(), n, plan.horizon(), q, List.copyOf(rows), bound);
    }

    /**
     * The 3-day rate of a perfect model: each run in turn is the truth, forecast by the median of
     * the others; rows where neither ran short are not counted, as in the backtest.
     */
    static double oracleWithin(List<CapacityPlanner.Run> runs, int t, int days) {
        int n = runs.size();
        int[] first = new int[n];
        for (int i = 0; i < n; i++) {
            int f = runs.get(i).firstShort(t, 0);
            first[i] = f < 0 ? Integer.MAX_VALUE : runs.get(i).day()[f];
        }
        int dated = 0;
        int ok = 0;
        for (int i = 0; i < n; i++) {
            int[] others = new int[n - 1];
            for (int j = 0, k = 0; j < n; j++) {
                if (j != i) {
                    others[k++] = first[j];
                }
            }
            int m = n == 1 ? Integer.MAX_VALUE : CapacityPlanner.median(others);
            if (m == Integer.MAX_VALUE && first[i] == Integer.MAX_VALUE) {
                continue;
            }
            dated++;
            if (m != Integer.MAX_VALUE && first[i] != Integer.MAX_VALUE && Math.abs(m - first[i]) <= days) {
                ok++;
            }
        }
        return dated == 0 ? Double.NaN : ok / (double) dated;
    }

    /** The scores of product {@code sku}, or of every row when {@code sku} is null. */
    public Score score(String sku) {
        List<Row> rs = rows.stream().filter(r -> sku == null || r.sku().equals(sku)).toList();
        long dated = rs.stream().filter(Row::dated).count();
        return new Score(sku, rs.size(), rate(rs.stream().filter(Row::dateCovered).count(), rs.size()), (int) dated,
                rate(rs.stream().filter(r -> r.dated() && r.within3Days()).count(), dated),
                rate(rs.stream().filter(Row::boughtInTime).count(), rs.size()),
                rate(rs.stream().filter(Row::enough).count(), rs.size()));
    }

    private static double rate(long k, long n) {
        return n == 0 ? Double.NaN : k / (double) n;
    }

    /** The seeds of the held-out runs: a sequence of their own, far from the plan's. */
    public static List<Long> truthSeeds(Scenario scenario, int truths) {
        return CapacityPlanner.seeds(CapacityPlanner.seed(scenario.seed(), 100_000), truths);
    }
}
