package org.licensim.simulator.capacity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.planning.Shortage;
import org.licensim.simulator.run.DayStats;
import org.licensim.simulator.run.Simulation;
import org.licensim.simulator.run.SimulationResult;
import org.licensim.simulator.scenario.Scenario;

/**
 * The capacity planner: the scenario's churn run N times with different seeds (on every core),
 * and per product the distribution of what the runs needed. A product's <em>extra need</em> on a
 * day is the users who wanted it (holders plus users waiting) beyond the seats the scenario
 * had that day; over the horizon a run needs the largest such excess. At percentile q the
 * advice is to buy the q-th percentile of that need before the (1 - q)-th percentile of the
 * first day the product ran short, and the seats no run ever used (the smallest headroom seen
 * in any run on any day) could be released.
 */
public final class CapacityPlanner {
    /** Seeds of the runs: the scenario's seed, then spaced by a large odd constant. */
    public static long seed(long base, int run) {
        return base + 0x9E37_79B9L * run;
    }

    /** One run's trajectories, per product and day. */
    public record Run(long seed, int[] day, String[] date, int[][] demand, int[][] capacity, int[][] consumed,
                      int[][] waiting) implements java.io.Serializable {
        static Run of(long seed, SimulationResult r) {
            int n = r.days().size();
            int p = r.products().size();
            int[] day = new int[n];
            String[] date = new String[n];
            int[][] demand = new int[p][n];
            int[][] cap = new int[p][n];
            int[][] con = new int[p][n];
            int[][] wait = new int[p][n];
            for (int d = 0; d < n; d++) {
                DayStats s = r.days().get(d);
                day[d] = s.day();
                date[d] = s.date().toString();
                for (int t = 0; t < p; t++) {
                    con[t][d] = s.consumed()[t];
                    wait[t][d] = s.waiting()[t];
                    demand[t][d] = s.consumed()[t] + s.waiting()[t];
                    cap[t][d] = s.capacity()[t];
                }
            }
            return new Run(seed, day, date, demand, cap, con, wait);
        }

        /** Largest excess of demand over capacity on days {@code from..to} (indices), at least 0. */
        int need(int t, int from, int to) {
            int best = 0;
            for (int d = from; d <= to; d++) {
                best = Math.max(best, demand[t][d] - capacity[t][d]);
            }
            return best;
        }

        /**
         * First day index from {@code from} on which {@code t} was short, or -1: more users wanted it
         * than it had seats (the day {@link #need} starts counting; {@link Shortage}, the definition
         * simulate, check and the reports share). Users can wait while a few seats are free (Entra
         * does not retry a failed source by itself, R18): when more wait than are free, seats are
         * short although not all are used.
         */
        int firstShort(int t, int from) {
            for (int d = from; d < day.length; d++) {
                if (Shortage.isShort(consumed[t][d], waiting[t][d], capacity[t][d])) {
                    return d;
                }
            }
            return -1;
        }

        /** Smallest headroom (capacity minus demand) over all days. */
        int headroom(int t) {
            int best = Integer.MAX_VALUE;
            for (int d = 0; d < day.length; d++) {
                best = Math.min(best, capacity[t][d] - demand[t][d]);
            }
            return best;
        }
    }

    /**
     * A synthetic scenario's day 0 in the runs: {@code fixed}, the tenant the scenario's seed
     * describes, the same in every run (only the churn after it differs), or {@code drawn}, a
     * tenant drawn anew with each run's seed. A plan from a tenant snapshot starts from the
     * snapshot: fixed.
     */
    public enum Day0 {
        fixed, drawn
    }

    private CapacityPlanner() {
    }

    /** The runs of a plan, in seed order, using {@code threads} threads. */
    static List<Run> simulate(Scenario s, Catalog catalog, int runs, int threads, Consumer<String> progress) {
        return simulate(s, catalog, runs, threads, "plan", progress);
    }

    /**
     * As above; {@code phase} names the runs in the progress lines ("plan", "backtest: ..."),
     * each of which also says how long the phase has taken and about how long it has to go.
     */
    static List<Run> simulate(Scenario s, Catalog catalog, int runs, int threads, String phase,
                              Consumer<String> progress) {
        if (runs < 1) {
            throw new LicensimException("--runs " + runs + ": at least 1 run");
        }
        return simulate(s, catalog, seeds(s.seed(), runs), threads, phase, progress);
    }

    /** The seeds of {@code runs} runs from {@code base}: {@link #seed} of 0, 1, ... */
    public static List<Long> seeds(long base, int runs) {
        List<Long> out = new ArrayList<>(runs);
        for (int i = 0; i < runs; i++) {
            out.add(seed(base, i));
        }
        return out;
    }

    /** One run: the scenario with {@code seed}, simulated, day 0 drawn with it. A pure function of its arguments. */
    public static Run run(Scenario s, Catalog catalog, long seed) {
        return run(s, catalog, seed, Day0.drawn);
    }

    /**
     * One run with {@code seed}: with {@link Day0#fixed} day 0 is the scenario's own (its seed) and
     * {@code seed} drives the days after it; with {@link Day0#drawn} {@code seed} drives both.
     */
    public static Run run(Scenario s, Catalog catalog, long seed, Day0 day0) {
        Simulation sim = day0 == Day0.fixed && s.base() == null ? new Simulation(s, catalog, seed)
                : new Simulation(s.with(seed, null, null), catalog);
        return Run.of(seed, sim.run((d, n, e, ns) -> { }, null));
    }

    /** The runs of the given seeds, in their order, on {@code threads} threads, day 0 drawn with each. */
    public static List<Run> simulate(Scenario s, Catalog catalog, List<Long> seedList, int threads, String phase,
                              Consumer<String> progress) {
        return simulate(s, catalog, seedList, threads, phase, progress, Day0.drawn);
    }

    /** The runs of the given seeds, in their order, on {@code threads} threads, day 0 as {@code day0} says. */
    public static List<Run> simulate(Scenario s, Catalog catalog, List<Long> seedList, int threads, String phase,
                              Consumer<String> progress, Day0 day0) {
        int runs = seedList.size();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, runs)), r -> {
            Thread t = new Thread(r, "licensim-plan");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        long t0 = System.nanoTime();
        try {
            // a fixed synthetic day 0 is the same in every run: made once, and each run continues from a copy of it
            Simulation template = day0 == Day0.fixed && s.base() == null && runs > 1 && Simulation.canCopy()
                    ? new Simulation(s, catalog, null).day0() : null;
            List<Future<Run>> futures = new ArrayList<>();
            for (long seed : seedList) {
                futures.add(pool.submit(() -> {
                    Run r = template == null ? run(s, catalog, seed, day0)
                            : Run.of(seed, template.after(seed).runAfterDay0((d, n, e, ns) -> { }));
                    synchronized (done) { // lines in the order of the count they give
                        int k = done.incrementAndGet();
                        if (!reported(k, runs)) {
                            return r;
                        }
                        double spent = (System.nanoTime() - t0) / 1e9;
                        progress.accept(String.format(java.util.Locale.ROOT, "%s: run %d of %d done (seed %d), %.1f s "
                                + "so far%s", phase, k, runs, seed, spent, k == runs ? "" : String.format(java.util.Locale.ROOT,
                                ", about %.0f s to go", spent / k * (runs - k))));
                    }
                    return r;
                }));
            }
            List<Run> out = new ArrayList<>();
            for (Future<Run> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LicensimException("interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Plans {@code scenario} over {@code horizon} days (0: the scenario's own) with {@code runs}
     * runs at {@code percentile} (e.g. 0.95).
     */
    public static CapacityPlan plan(Scenario scenario, Catalog catalog, int runs, int horizon, double percentile, int threads,
                            Consumer<String> progress) {
        checkPercentile(percentile);
        Scenario s = horizon > 0 ? scenario.with(null, null, horizon) : scenario;
        long t0 = System.nanoTime();
        List<Run> rs = simulate(s, catalog, runs, threads, progress);
        return plan(s, catalog, rs, percentile, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * The plan of runs already made (of {@link #seeds} of the scenario's seed, in that order): what
     * {@code plan} and the cluster job both aggregate. {@code millis} is how long the runs took.
     */
    public static CapacityPlan plan(Scenario s, Catalog catalog, List<Run> rs, double percentile, long millis) {
        return plan(s, catalog, rs, percentile, millis, Day0.drawn, 0);
    }

    /** As above, saying how day 0 was made and the ceiling of runs chosen by precision (0: asked for). */
    public static CapacityPlan plan(Scenario s, Catalog catalog, List<Run> rs, double percentile, long millis, Day0 day0,
                            int maxRuns) {
        checkPercentile(percentile);
        if (rs.isEmpty()) {
            throw new LicensimException("a plan needs at least 1 run");
        }
        List<String> skus = s.products().stream().map(Scenario.ProductSpec::sku).toList();
        List<CapacityPlan.ProductNeed> out = new ArrayList<>();
        for (int t = 0; t < skus.size(); t++) {
            out.add(productPlan(skus.get(t), t, rs, 0, percentile));
        }
        List<String> names = new ArrayList<>();
        for (String sku : skus) {
            org.licensim.core.catalog.Product p = catalog.findProduct(sku);
            names.add(p == null || p.displayName() == null || p.displayName().isBlank() ? sku : p.displayName());
        }
        return new CapacityPlan(s, rs.size(), s.days(), percentile, out, List.copyOf(rs), millis, names,
                s.base() != null ? Day0.fixed : day0, maxRuns);
    }

    /** Refuses a percentile outside (0, 1), as the option it came from. */
    public static void checkPercentile(double percentile) {
        if (!(percentile > 0 && percentile < 1)) {
            throw new LicensimException("--percentile " + percentile + ": give a value between 0 and 1, e.g. 0.95");
        }
    }

    static CapacityPlan.ProductNeed productPlan(String sku, int t, List<Run> rs, int from, double q) {
        int n = rs.size();
        int[] need = new int[n];
        int[] first = new int[n];
        int[] headroom = new int[n];
        int shortRuns = 0;
        Run any = rs.get(0);
        int last = any.day().length - 1;
        for (int i = 0; i < n; i++) {
            Run r = rs.get(i);
            need[i] = r.need(t, from, last);
            int f = r.firstShort(t, from);
            first[i] = f < 0 ? Integer.MAX_VALUE : r.day()[f];
            shortRuns += f >= 0 ? 1 : 0;
            headroom[i] = Math.max(0, r.headroom(t));
        }
        Precision early = Precision.ofRank(first, earlyRank(n, q));
        Precision late = Precision.ofRank(first, predictiveRank(n, q));
        Precision buy = Precision.ofRank(need, predictiveRank(n, q));
        Precision median = Precision.median(first);
        Precision releasable = Precision.lowerPredictive(headroom, q, 0);
        String by = early.value() == Integer.MAX_VALUE ? null : any.date()[indexOf(any, early.value())];
        return new CapacityPlan.ProductNeed(sku, any.capacity()[t][0], any.capacity()[t][last], n, shortRuns, quantile(need, 0.5),
                buy.value(), Arrays.stream(need).max().orElse(0), never(early.value()), never(median.value()),
                never(late.value()), by, releasable.value(), new CapacityPlan.MonteCarlo(early, median, late, buy, releasable));
    }

    private static int never(int day) {
        return day == Integer.MAX_VALUE ? -1 : day;
    }

    private static int indexOf(Run r, int day) {
        for (int d = 0; d < r.day().length; d++) {
            if (r.day()[d] == day) {
                return d;
            }
        }
        throw new IllegalStateException("day " + day + " is not in the run");
    }

    /**
     * The rank (1-based) of the buy-by date among n sorted first short days: n + 1 - k with k the
     * predictive rank, so that a future run runs short no earlier with probability k / (n + 1) >= q,
     * and the day the purchase schedule's pQ requirement first rises above 0 (Procurement) is the
     * same day. At 20 runs and q = 0.95 it is the earliest run, as the nearest-rank p5 was; at 52
     * the 2nd, where the nearest rank (the 3rd) left the schedule's first date a run earlier.
     */
    static int earlyRank(int n, double q) {
        return Math.max(1, n + 1 - predictiveRank(n, q));
    }

    /** The rank of the predictive q bound: ceil(q (n + 1)), at most n (see {@link #predictive}). */
    static int predictiveRank(int n, double q) {
        return Math.max(1, Math.min(n, (int) Math.ceil(q * (n + 1) - 1e-9)));
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

    /** Demand (consumed plus waiting) for product {@code t} on day index {@code d} at quantile {@code q} over the runs. */
    static int demandQuantile(List<Run> rs, int t, int d, double q) {
        int[] v = new int[rs.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rs.get(i).demand()[t][d];
        }
        return quantile(v, q);
    }

    /**
     * The bound a future run stays within with probability at least q: the k-th smallest of the n
     * runs with k = ceil(q (n + 1)) (at most n). A new run is as likely to fall in any of the n + 1
     * gaps between the sorted runs, so the nearest-rank q-quantile (k = ceil(q n)) covers only
     * k / (n + 1): 19 of 20 runs is 90.5%, not 95%, which the backtest showed.
     */
    static int predictive(int[] values, double q) {
        int[] v = values.clone();
        Arrays.sort(v);
        int k = (int) Math.ceil(q * (v.length + 1) - 1e-9);
        return v[Math.max(0, Math.min(v.length - 1, k - 1))];
    }

    /** Nearest-rank quantile: the smallest value with at least q of the values at or below it. */
    static int quantile(int[] values, double q) {
        int[] v = values.clone();
        Arrays.sort(v);
        // 1 - 0.95 is 0.050000000000000044 in binary: without the tolerance p5 of 20 runs would be the 2nd
        int rank = (int) Math.ceil(q * v.length - 1e-9);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    /**
     * Whether the {@code k}-th of {@code runs} finished runs gets a progress line: the first, the
     * last, and each that reaches another tenth of them. A line per run was a hundred lines for
     * {@code plan --runs 100}, in a log or a terminal alike; at most 11 say as much.
     */
    static boolean reported(int k, int runs) {
        return k == 1 || k == runs || k * 10L / runs > (k - 1) * 10L / runs;
    }
}
