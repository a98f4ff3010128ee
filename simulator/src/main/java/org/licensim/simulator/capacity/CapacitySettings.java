package org.licensim.simulator.capacity;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.TenantBase;
import org.licensim.simulator.scenario.TenantChurn;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a plan is asked for besides its scenario or tenant, and the steps from a scenario to its
 * runs' seeds and from the runs to {@code plan.json}. {@code licensim plan} and the cluster job
 * (module {@code cluster}) both go through here, so the same settings and seeds give the same
 * bytes whichever of them made the runs.
 *
 * @param runs the runs to make, or with {@code maxRuns} above it the runs to start from
 * @param maxRuns 0: exactly {@code runs}; otherwise runs are added until the buy-by date of every
 *                product to buy is known to within {@value #TARGET_DAYS} day (its Monte Carlo
 *                error), and at most this many are made
 * @param horizon days to plan (0: the scenario's or churn file's own)
 * @param seed the first run's seed (null: the scenario's or churn file's)
 * @param users a synthetic scenario's day-0 users (null: the scenario's; refused for a tenant)
 * @param start day 0 of a tenant plan (null: the churn file's, else the snapshot's evaluatedAt)
 * @param day0 a synthetic scenario's day 0: the tenant its seed describes in every run
 *             ({@link CapacityPlanner.Day0#fixed}) or a new one per run ({@link CapacityPlanner.Day0#drawn})
 * @param backtest whether to score the plan against {@code truths} held-out runs from the same start
 */
public record CapacitySettings(int runs, int maxRuns, Long seed, int horizon, double percentile, Integer users,
                           LocalDate start, CapacityPlanner.Day0 day0, boolean backtest, int truths, int leadTime, String period,
                           int inactiveDays) implements Serializable {
    /** The buy-by date's Monte Carlo error that ends adding runs: under a day. */
    public static final double TARGET_DAYS = 1.0;
    /** Runs a plan starts from when it chooses its runs by precision. */
    public static final int FIRST_RUNS = 20;

    public CapacitySettings {
        if (runs < 1) {
            throw new LicensimException("--runs " + runs + ": at least 1 run");
        }
        if (maxRuns != 0 && maxRuns < runs) {
            throw new LicensimException("--max-runs " + maxRuns + ": at least the " + runs + " runs a plan starts from");
        }
        if (horizon < 0) {
            throw new LicensimException("--horizon " + horizon + ": give a number of days, or 0 for the scenario's own");
        }
        CapacityPlanner.checkPercentile(percentile);
        if (backtest && truths < 1) {
            throw new LicensimException("--truths " + truths + ": at least 1 held-out run");
        }
        if (leadTime < 0) {
            throw new LicensimException("--lead-time " + leadTime + ": give 0 or more days");
        }
    }

    /** A churn file's rates with this plan's start and horizon, before the tenant is read with them. */
    public TenantChurn apply(TenantChurn churn) {
        TenantChurn c = start != null ? churn.withStart(start) : churn;
        return horizon > 0 ? c.with(null, horizon) : c;
    }

    /** The scenario the runs simulate: the seed, users and horizon replaced where given. */
    public Scenario apply(Scenario s) {
        if (users != null && s.base() != null) {
            throw new LicensimException("--users " + users + ": a plan from a tenant starts with the tenant's own users");
        }
        if (day0 == CapacityPlanner.Day0.drawn && s.base() != null) {
            throw new LicensimException("--day0 drawn: a plan from a tenant starts from the tenant as it is; drawn "
                    + "day-0 tenants are for synthetic scenarios");
        }
        return s.with(seed, users, horizon > 0 ? horizon : null);
    }

    /** A tenant snapshot's bytes and a churn file's rates as the scenario of this plan. */
    public Scenario tenant(byte[] snapshot, String source, TenantChurn churn) {
        return apply(new TenantBase(snapshot, source, apply(churn)).scenario());
    }

    /** The seeds of the plan's first runs, in the order the plan takes them. */
    public List<Long> planSeeds(Scenario s) {
        return CapacityPlanner.seeds(s.seed(), runs);
    }

    /** The seeds of the backtest's held-out runs (none without a backtest). */
    public List<Long> truthSeeds(Scenario s) {
        return backtest ? Backtest.truthSeeds(s, truths) : List.of();
    }

    /** One run of this plan's scenario with {@code seed}: day 0 fixed or drawn as asked. */
    public CapacityPlanner.Run run(Scenario s, Catalog catalog, long seed) {
        return CapacityPlanner.run(s, catalog, seed, day0);
    }

    /**
     * The plan's runs: {@link #runs} of them, and when runs are chosen by precision, more (in
     * seed order) until every buy-by date's Monte Carlo error is under {@value #TARGET_DAYS} day or
     * {@link #maxRuns} are made. Each step estimates the runs the error needs from the error's
     * 1/sqrt(n) fall, at least one more batch and at most four times as many.
     */
    public List<CapacityPlanner.Run> runs(Scenario s, Catalog catalog, int threads, Consumer<String> progress) {
        List<CapacityPlanner.Run> out = new ArrayList<>(CapacityPlanner.simulate(s, catalog, planSeeds(s), threads, "plan", progress,
                day0));
        while (maxRuns > out.size()) {
            CapacityPlan p = CapacityPlanner.plan(s, catalog, out, percentile, 0);
            CapacityPlan.ProductNeed worst = worstBuyBy(p);
            if (worst == null || worst.mc().buyBy().error() < TARGET_DAYS) {
                break;
            }
            double err = worst.mc().buyBy().error();
            int n = out.size();
            int next = Double.isInfinite(err) ? 2 * n
                    : (int) Math.ceil(n * Math.min(4, Math.max(1.25, err * err / (TARGET_DAYS * TARGET_DAYS) * 1.1)));
            next = Math.min(maxRuns, Math.max(n + threads, next));
            progress.accept(String.format(Locale.ROOT, "plan: the buy-by date of %s is known to %s after %d runs; "
                    + "%d more", worst.sku(), Double.isInfinite(err) ? "no bound (it may be never)"
                    : String.format(Locale.ROOT, "+-%.2f days", err), n, next - n));
            List<Long> more = new ArrayList<>();
            for (int i = n; i < next; i++) {
                more.add(CapacityPlanner.seed(s.seed(), i));
            }
            out.addAll(CapacityPlanner.simulate(s, catalog, more, threads, "plan", progress, day0));
        }
        return out;
    }

    /** The product to buy whose buy-by date is least precise, or null when nothing is to be bought. */
    static CapacityPlan.ProductNeed worstBuyBy(CapacityPlan p) {
        CapacityPlan.ProductNeed worst = null;
        for (CapacityPlan.ProductNeed x : p.products()) {
            if (x.buy() > 0 && (worst == null || x.mc().buyBy().error() > worst.mc().buyBy().error())) {
                worst = x;
            }
        }
        return worst;
    }

    /** A finished plan: the Monte Carlo plan, its procurement advice and, when asked for, its backtest. */
    public record Result(CapacityPlan plan, Procurement procurement, Backtest backtest) {
        /** {@code plan.json}'s content. */
        public ObjectNode json() {
            return CapacityPlanWriter.json(plan, procurement, backtest);
        }
    }

    /**
     * The plan of runs already made: the plan's runs (seeds {@link Planner#seed} 0, 1, ... of the
     * scenario's) and {@code truths} of {@link #truthSeeds}, each in that order. The backtest scores
     * what the plan says against the truths, from the same start.
     */
    public Result result(Scenario s, Catalog catalog, List<CapacityPlanner.Run> runs, List<CapacityPlanner.Run> truths, Prices prices,
                         long millis) {
        CapacityPlan plan = CapacityPlanner.plan(s, catalog, runs, percentile, millis, day0, maxRuns);
        Procurement proc = Procurement.of(plan, leadTime, period, prices, inactiveDays);
        Backtest bt = backtest ? Backtest.score(plan, truths) : null;
        return new Result(plan, proc, bt);
    }
}
