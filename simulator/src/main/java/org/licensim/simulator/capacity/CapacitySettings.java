package org.licensim.simulator.capacity;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;

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
 * @param horizon days to plan (0: the scenario's or churn file's own)
 * @param seed the first run's seed (null: the scenario's or churn file's)
 * @param users a synthetic scenario's day-0 users (null: the scenario's; refused for a tenant)
 * @param start day 0 of a tenant plan (null: the churn file's, else the snapshot's evaluatedAt)
 * @param backtest the backtest's split day (null: no backtest)
 */
public record CapacitySettings(int runs, Long seed, int horizon, double percentile, Integer users, LocalDate start,
                           Integer backtest, int truths, int leadTime, String period, int inactiveDays)
        implements Serializable {

    public CapacitySettings {
        if (runs < 1) {
            throw new LicensimException("--runs " + runs + ": at least 1 run");
        }
        if (horizon < 0) {
            throw new LicensimException("--horizon " + horizon + ": give a number of days, or 0 for the scenario's own");
        }
        CapacityPlanner.checkPercentile(percentile);
        if (backtest != null && truths < 1) {
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
        Scenario out = s.with(seed, users, horizon > 0 ? horizon : null);
        if (backtest != null) {
            Backtest.checkSplit(out, backtest);
        }
        return out;
    }

    /** A tenant snapshot's bytes and a churn file's rates as the scenario of this plan. */
    public Scenario tenant(byte[] snapshot, String source, TenantChurn churn) {
        return apply(new TenantBase(snapshot, source, apply(churn)).scenario());
    }

    /** The seeds of the plan's runs, in the order the plan takes them. */
    public List<Long> planSeeds(Scenario s) {
        return CapacityPlanner.seeds(s.seed(), runs);
    }

    /** The seeds of the backtest's held-out runs (none without a backtest). */
    public List<Long> truthSeeds(Scenario s) {
        return backtest == null ? List.of() : Backtest.truthSeeds(s, truths);
    }

    /** A finished plan: the Monte Carlo plan, its procurement advice and, when asked for, its backtest. */
    public record Result(CapacityPlan plan, Procurement procurement, Backtest backtest) {
        /** {@code plan.json}'s content. */
        public ObjectNode json() {
            return CapacityPlanWriter.json(plan, procurement, backtest);
        }
    }

    /**
     * The plan of runs already made: {@code runs} of {@link #planSeeds} and {@code truths} of
     * {@link #truthSeeds}, each in that order. The backtest's forecast runs are the plan's own.
     */
    public Result result(Scenario s, Catalog catalog, List<CapacityPlanner.Run> runs, List<CapacityPlanner.Run> truths, Prices prices,
                         long millis) {
        CapacityPlan plan = CapacityPlanner.plan(s, catalog, runs, percentile, millis);
        Procurement proc = Procurement.of(plan, leadTime, period, prices, inactiveDays);
        Backtest bt = backtest == null ? null : Backtest.score(s, runs, truths, backtest, percentile);
        return new Result(plan, proc, bt);
    }
}
