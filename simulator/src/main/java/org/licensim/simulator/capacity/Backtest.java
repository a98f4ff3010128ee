package org.licensim.simulator.capacity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.simulator.scenario.Scenario;

/**
 * The planner checked on held-out simulated futures. A <em>truth</em> run (a seed the planner
 * never sees) is observed up to the split day; the forecast of days after the split is the
 * planner's Monte Carlo runs, each shifted to start from the truth's demand on the split day
 * (level-adjusted: the runs supply the change in demand, the truth its level). Per product:
 * did the truth's extra need after the split stay within the forecast's percentile (a hit),
 * and how many days apart are the forecast's median first short day and the truth's.
 */
public record Backtest(int truths, int runs, int split, int horizon, double percentile, List<Row> rows) {

    /**
     * One truth run and product: forecast against what happened. -1 days: never short.
     * {@code shortAtSplit}: the truth was already short on the split day, so its first short day
     * after the split is the next day whatever the forecast; such rows test nothing about growth
     * and are reported apart.
     */
    public record Row(String sku, long truthSeed, int predictedNeed, int actualNeed, int predictedFirstShort,
                      int actualFirstShort, boolean shortAtSplit) {
        public boolean hit() {
            return actualNeed <= predictedNeed;
        }

        /** Whether either side saw the product short after the split (the rows that test anything). */
        public boolean contested() {
            return predictedNeed > 0 || actualNeed > 0;
        }

        /** Contested, and not already short at the split: a shortage growth has to bring. */
        public boolean growthDriven() {
            return contested() && !shortAtSplit;
        }
    }

    public static Backtest run(Scenario scenario, Catalog catalog, int truths, int runs, int split, double percentile,
                               int threads, Consumer<String> progress) {
        checkSplit(scenario, split);
        List<CapacityPlanner.Run> mc = CapacityPlanner.simulate(scenario, catalog, runs, threads, "backtest: forecast runs", progress);
        return run(scenario, catalog, truths, mc, split, percentile, threads, progress);
    }

    /** The backtest with its forecast runs made: the held-out runs, then the score. */
    private static Backtest run(Scenario scenario, Catalog catalog, int truths, List<CapacityPlanner.Run> mc, int split,
                               double percentile, int threads, Consumer<String> progress) {
        checkSplit(scenario, split);
        if (truths < 1) {
            throw new LicensimException("--truths " + truths + ": at least 1 held-out run");
        }
        List<CapacityPlanner.Run> truth = CapacityPlanner.simulate(scenario, catalog, truthSeeds(scenario, truths), threads,
                "backtest: held-out runs", progress);
        return score(scenario, mc, truth, split, percentile);
    }

    /** The seeds of the held-out runs: a sequence of their own, far from the plan's. */
    public static List<Long> truthSeeds(Scenario scenario, int truths) {
        return CapacityPlanner.seeds(CapacityPlanner.seed(scenario.seed(), 100_000), truths);
    }

    /** Refuses a split day outside the horizon, naming both. */
    public static void checkSplit(Scenario scenario, int split) {
        if (split < 1 || split >= scenario.days()) {
            throw new LicensimException("--backtest " + split + ": the split day must be between 1 and the horizon ("
                    + scenario.days() + ") - 1");
        }
    }

    /** Scores forecast runs {@code mc} against held-out runs {@code truth} (both in seed order) split at {@code split}. */
    public static Backtest score(Scenario scenario, List<CapacityPlanner.Run> mc, List<CapacityPlanner.Run> truth, int split,
                                 double percentile) {
        int truths = truth.size();
        int runs = mc.size();
        List<Row> rows = new ArrayList<>();
        int products = scenario.products().size();
        for (CapacityPlanner.Run tr : truth) {
            int s = index(tr, split);
            int last = tr.day().length - 1;
            for (int t = 0; t < products; t++) {
                int[] need = new int[mc.size()];
                int[] first = new int[mc.size()];
                for (int i = 0; i < mc.size(); i++) {
                    CapacityPlanner.Run r = mc.get(i);
                    int best = 0;
                    int f = Integer.MAX_VALUE;
                    for (int d = s + 1; d <= last; d++) {
                        int excess = tr.demand()[t][s] + r.demand()[t][d] - r.demand()[t][s] - r.capacity()[t][d];
                        best = Math.max(best, excess);
                        if (excess > 0 && f == Integer.MAX_VALUE) {
                            f = r.day()[d];
                        }
                    }
                    need[i] = best;
                    first[i] = f;
                }
                int actualNeed = tr.need(t, s + 1, last);
                int actualFirst = -1;
                for (int d = s + 1; d <= last && actualFirst < 0; d++) {
                    if (tr.demand()[t][d] > tr.capacity()[t][d]) {
                        actualFirst = tr.day()[d];
                    }
                }
                int median = median(first);
                rows.add(new Row(scenario.products().get(t).sku(), tr.seed(), CapacityPlanner.predictive(need, percentile),
                        actualNeed, median == Integer.MAX_VALUE ? -1 : median, actualFirst,
                        tr.demand()[t][s] > tr.capacity()[t][s]));
            }
        }
        return new Backtest(truths, runs, split, scenario.days(), percentile, List.copyOf(rows));
    }

    /**
     * The median first short day over the runs (the mean of the middle two, rounded, for an even
     * count; never short in most runs gives MAX_VALUE). The nearest-rank lower median of 20 runs
     * is early by about half a day, which showed as a bias in the backtest.
     */
    static int median(int[] values) {
        int[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        if (n % 2 == 1 || v[n / 2] == Integer.MAX_VALUE) {
            return n % 2 == 1 ? v[n / 2] : v[n / 2 - 1] == Integer.MAX_VALUE ? Integer.MAX_VALUE : v[n / 2];
        }
        return (int) Math.round((v[n / 2 - 1] + (double) v[n / 2]) / 2);
    }

    private static int index(CapacityPlanner.Run r, int day) {
        for (int d = 0; d < r.day().length; d++) {
            if (r.day()[d] == day) {
                return d;
            }
        }
        throw new LicensimException("day " + day + " is not in the run");
    }

    /** Share of contested rows whose truth stayed within the forecast percentile. */
    public double hitRate() {
        long n = rows.stream().filter(Row::contested).count();
        return n == 0 ? Double.NaN : rows.stream().filter(r -> r.contested() && r.hit()).count() / (double) n;
    }

    public long contested() {
        return rows.stream().filter(Row::contested).count();
    }

    /** Absolute errors in days of the median first short day, over rows where both the forecast and the truth ran short. */
    public int[] dayErrors() {
        return rows.stream().filter(r -> r.predictedFirstShort() >= 0 && r.actualFirstShort() >= 0)
                .mapToInt(r -> Math.abs(r.predictedFirstShort() - r.actualFirstShort())).sorted().toArray();
    }

    /** Rows where exactly one of forecast (median) and truth ran short. */
    public long shortnessMismatches() {
        return rows.stream().filter(r -> (r.predictedFirstShort() >= 0) != (r.actualFirstShort() >= 0)).count();
    }

    public double meanDayError() {
        return Arrays.stream(dayErrors()).average().orElse(Double.NaN);
    }

    /** Contested rows that were already short at the split (reported apart from the growth rows). */
    public long alreadyShort() {
        return rows.stream().filter(r -> r.contested() && r.shortAtSplit()).count();
    }

    public long growthContested() {
        return rows.stream().filter(Row::growthDriven).count();
    }

    /** Share of growth-driven rows whose truth stayed within the forecast percentile (the p95 coverage at 0.95). */
    public double growthHitRate() {
        long n = growthContested();
        return n == 0 ? Double.NaN : rows.stream().filter(r -> r.growthDriven() && r.hit()).count() / (double) n;
    }

    /**
     * Share of growth-driven rows whose median first short day was within {@code days} of the
     * truth's; a row where only one side ran short counts as a miss.
     */
    public double growthWithin(int days) {
        long n = rows.stream().filter(r -> r.growthDriven() && (r.predictedFirstShort() >= 0 || r.actualFirstShort() >= 0))
                .count();
        long ok = rows.stream().filter(r -> r.growthDriven() && r.predictedFirstShort() >= 0 && r.actualFirstShort() >= 0
                && Math.abs(r.predictedFirstShort() - r.actualFirstShort()) <= days).count();
        return n == 0 ? Double.NaN : ok / (double) n;
    }

    /** {@link #growthWithin} and {@link #growthHitRate} of one product's rows: {within, dated rows, hit rate, growth rows}. */
    public double[] growthOf(String sku, int days) {
        Backtest one = new Backtest(truths, runs, split, horizon, percentile,
                rows.stream().filter(r -> r.sku().equals(sku)).toList());
        return new double[] {one.growthWithin(days), one.growthDated(), one.growthHitRate(), one.growthContested()};
    }

    /** The rows {@link #growthWithin} counts. */
    public long growthDated() {
        return rows.stream().filter(r -> r.growthDriven() && (r.predictedFirstShort() >= 0 || r.actualFirstShort() >= 0))
                .count();
    }
}
