package org.licensim.simulator.capacity;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;

import org.licensim.core.engine.Engine;
import org.licensim.core.engine.Summary;
import org.licensim.core.planning.HealthCheck;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;
import org.licensim.core.state.UserEntries;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.TenantBase;

/**
 * Procurement-grade advice from a plan's runs (docs/PLANNING.md, "Purchase schedule"): per
 * product, the seats to have in place by each month (or quarter) so that nobody waits at the
 * plan's percentile, when to order them given the lead time, the days of runway today, the
 * seats reclaimable now and what reclaiming them does to the schedule, and costs when prices are
 * given. Purchases already dated (the churn file's, the scenario's) and lifecycle changes are in
 * the runs' capacity, so the schedule only adds what they do not cover.
 *
 * <p>The requirement on day d is, per run, the largest shortfall (demand minus capacity) up to
 * d; its percentile over the runs is non-decreasing, so buying each period's increase before the
 * first day it is needed keeps waiting demand at zero at that percentile on every day.
 */
public record Procurement(int leadTimeDays, String period, Prices prices, int inactiveDays, boolean signInKnown,
                          List<ProductAdvice> products, List<Renewal> renewals, List<Waiting> waitingNow) {

    /**
     * Without {@code waitingNow}: the products whose users wait on day 0 for a seat while seats are
     * free (SPEC R18: their sources failed and are retried only by a reprocess; the runs count them
     * as demand, so the schedule assumes they are reprocessed).
     */
    public Procurement(int leadTimeDays, String period, Prices prices, int inactiveDays, boolean signInKnown,
                       List<ProductAdvice> products, List<Renewal> renewals) {
        this(leadTimeDays, period, prices, inactiveDays, signInKnown, products, renewals, List.of());
    }

    /** Users waiting on day 0 for a product while seats of it are free, and the groups to reprocess by display name. */
    public record Waiting(HealthCheck.WaitingWhileFree product, List<String> groupNames) {
    }

    /** Seats to have by {@code neededBy} (ordered by {@code orderBy}); {@code late} when orderBy is before day 0. */
    public record Purchase(String period, int units, LocalDate neededBy, LocalDate orderBy, boolean late, Double cost) {
    }

    /**
     * @param runwayDays      days until the first short day at the plan's percentile (its early
     *                        quantile), -1 when beyond the horizon; {@code runwayMedianDays} the median's
     * @param reclaimDisabled seats held today by disabled accounts; {@code reclaimInactive} by
     *                        enabled users not signed in for {@code inactiveDays} (-1: the export
     *                        has no sign-in activity)
     */
    public record ProductAdvice(String sku, String name, int runwayDays, int runwayMedianDays, List<Purchase> schedule,
                                int reclaimDisabled, int reclaimInactive, List<Purchase> scheduleIfReclaimed,
                                Double perMonth, Double scheduleCost, Double reclaimSavingsPerYear,
                                Double releasableSavingsPerYear, List<BringForward> bringForward) {
        public int buy() {
            return schedule.stream().mapToInt(Purchase::units).sum();
        }

        public int buyIfReclaimed() {
            return scheduleIfReclaimed.stream().mapToInt(Purchase::units).sum();
        }
    }

    /**
     * A purchase the scenario already dates ({@code units} on {@code date}) that comes after the
     * product is first short at the plan's percentile: it should be in place by {@code by} (the
     * runway's end), ordered by {@code orderBy} given the lead time.
     */
    public record BringForward(int units, LocalDate date, LocalDate by, LocalDate orderBy) {
    }

    /**
     * A subscription's next lifecycle date in the horizon. {@code lapses}: modelled as going (a
     * trial, a subscription not renewed, one already in Warning). For one assumed to renew,
     * {@code shortIfLapses} is the seats the product would lack at the percentile if it did not
     * (0: it does not matter for capacity), from {@code shortFrom}.
     */
    public record Renewal(String subscriptionId, String sku, LocalDate date, int units, boolean trial, String status,
                          boolean lapses, int shortIfLapses, LocalDate shortFrom) {
    }

    private static final double DAYS_PER_MONTH = 365.25 / 12;

    public static Procurement of(CapacityPlan plan, int leadTimeDays, String period, Prices prices, int inactiveDays) {
        if (leadTimeDays < 0) {
            throw new org.licensim.core.LicensimException("--lead-time " + leadTimeDays + ": days, at least 0");
        }
        if (!period.equals("month") && !period.equals("quarter")) {
            throw new org.licensim.core.LicensimException("--schedule " + period + ": month or quarter");
        }
        Scenario s = plan.scenario();
        List<CapacityPlanner.Run> rs = plan.runResults();
        Engine dayZero = s.base() == null ? null : Engine.builder(s.base().freshTenant()).reconcile();
        int[][] reclaim = dayZero == null ? null : reclaimable(s, dayZero, inactiveDays);
        boolean signIn = reclaim != null && reclaim[2][0] == 1;
        List<ProductAdvice> out = new ArrayList<>();
        for (int t = 0; t < plan.products().size(); t++) {
            CapacityPlan.ProductNeed pp = plan.products().get(t);
            Double price = prices == null ? null : prices.monthly(pp.sku());
            String commitment = prices == null ? null : prices.commitment(pp.sku());
            int[] required = requirement(rs, t, plan.percentile(), 0);
            List<Purchase> sched = schedule(required, rs.get(0).day(), s.start(), period, leadTimeDays, price,
                    commitment, plan.horizon());
            int dis = reclaim == null ? 0 : reclaim[0][t];
            int ina = reclaim == null || !signIn ? -1 : reclaim[1][t];
            int extra = dis + Math.max(0, ina);
            List<Purchase> ifReclaimed = extra == 0 ? sched : schedule(requirement(rs, t, plan.percentile(), extra),
                    rs.get(0).day(), s.start(), period, leadTimeDays, price, commitment, plan.horizon());
            Double cost = price == null ? null : sched.stream().mapToDouble(p -> p.cost() == null ? 0 : p.cost()).sum();
            out.add(new ProductAdvice(pp.sku(), plan.productNames().get(t), runway(required, rs.get(0).day()),
                    runway(requirement(rs, t, 0.5, 0), rs.get(0).day()),
                    sched, dis, ina, ifReclaimed, price, cost, price == null ? null : extra * price * 12,
                    price == null || pp.runsShort() > 0 ? null : pp.releasable() * price * 12,
                    bringForward(s, pp.sku(), runway(required, rs.get(0).day()), plan.horizon(), leadTimeDays)));
        }
        return new Procurement(leadTimeDays, period, prices, inactiveDays, signIn, List.copyOf(out), renewals(plan),
                dayZero == null ? List.of() : waiting(dayZero));
    }

    /**
     * The scenario's dated purchases of {@code sku} that come later than the first day the product
     * is short ({@code runway}, -1 for never): each should be brought forward to that day.
     */
    static List<BringForward> bringForward(Scenario s, String sku, int runway, int horizon, int leadTime) {
        int i = s.productIndex(sku);
        if (runway < 0 || i < 0) {
            return List.of();
        }
        List<BringForward> out = new ArrayList<>();
        for (Scenario.UnitChange u : s.products().get(i).purchases()) {
            int units = (int) Math.round(u.units().of(s.users()));
            if (u.day() > runway && u.day() <= horizon && units > 0) {
                LocalDate by = s.start().plusDays(runway);
                out.add(new BringForward(units, s.start().plusDays(u.day()), by, by.minusDays(leadTime)));
            }
        }
        return List.copyOf(out);
    }

    /** Days from day 0 to the first day a requirement is above 0 (somebody would wait), or -1. */
    static int runway(int[] req, int[] day) {
        for (int d = 0; d < req.length; d++) {
            if (req[d] > 0) {
                return day[d];
            }
        }
        return -1;
    }

    /** Per day index, the percentile over the runs of each run's largest shortfall so far (capacity raised by {@code extra}). */
    static int[] requirement(List<CapacityPlanner.Run> rs, int t, double q, int extra) {
        int days = rs.get(0).day().length;
        int[][] running = new int[rs.size()][days];
        for (int i = 0; i < rs.size(); i++) {
            CapacityPlanner.Run r = rs.get(i);
            int best = 0;
            for (int d = 0; d < days; d++) {
                best = Math.max(best, r.demand()[t][d] - r.capacity()[t][d] - extra);
                running[i][d] = best;
            }
        }
        int[] out = new int[days];
        int[] v = new int[rs.size()];
        for (int d = 0; d < days; d++) {
            for (int i = 0; i < v.length; i++) {
                v[i] = running[i][d];
            }
            out[d] = Math.max(d == 0 ? 0 : out[d - 1], q == 0.5 ? CapacityPlanner.quantile(v, q) : CapacityPlanner.predictive(v, q));
        }
        return out;
    }

    /** The purchases that follow requirement {@code req} (per day index of {@code day}), one per period it rises in. */
    static List<Purchase> schedule(int[] req, int[] day, LocalDate start, String period, int leadTime, Double perMonth,
                                   String commitment, int horizon) {
        List<Purchase> out = new ArrayList<>();
        int have = 0;
        int d = 0;
        while (d < day.length) {
            LocalDate date = start.plusDays(day[d]);
            String key = key(date, period);
            int first = -1;
            int end = d;
            while (end < day.length && key(start.plusDays(day[end]), period).equals(key)) {
                if (first < 0 && req[end] > have) {
                    first = end;
                }
                end++;
            }
            int need = req[end - 1];
            if (need > have) {
                LocalDate by = start.plusDays(day[first]);
                LocalDate order = by.minusDays(leadTime);
                double months = committedMonths(commitment, horizon - day[first]);
                out.add(new Purchase(key, need - have, by, order, order.isBefore(start),
                        perMonth == null ? null : (need - have) * perMonth * months));
                have = need;
            }
            d = end;
        }
        return List.copyOf(out);
    }

    /**
     * The months a seat bought {@code daysLeft} days before the horizon is paid for: annual, 12;
     * monthly, the whole months to the horizon (a month begun is paid, at least one); not said,
     * the months to the horizon pro rata (as before commitments could be given).
     */
    static double committedMonths(String commitment, int daysLeft) {
        if (Prices.ANNUAL.equals(commitment)) {
            return 12;
        }
        double months = Math.max(0, daysLeft / DAYS_PER_MONTH);
        if (Prices.MONTHLY.equals(commitment)) {
            return Math.max(1, Math.ceil(months - 1e-9));
        }
        return months;
    }

    /** The schedule's cost by the month its purchases are needed ("2026-03"), over every product; empty without prices. */
    public java.util.SortedMap<String, Double> costByMonth() {
        return costBy(7);
    }

    /** The schedule's cost by the year its purchases are needed ("2026"). */
    public java.util.SortedMap<String, Double> costByYear() {
        return costBy(4);
    }

    private java.util.SortedMap<String, Double> costBy(int chars) {
        java.util.SortedMap<String, Double> out = new java.util.TreeMap<>();
        for (ProductAdvice a : products) {
            for (Purchase p : a.schedule()) {
                if (p.cost() != null) {
                    out.merge(p.neededBy().toString().substring(0, chars), p.cost(), Double::sum);
                }
            }
        }
        return out;
    }

    private static String key(LocalDate date, String period) {
        return period.equals("quarter") ? date.getYear() + "-Q" + date.get(IsoFields.QUARTER_OF_YEAR)
                : date.toString().substring(0, 7);
    }

    private static List<Waiting> waiting(Engine dayZero) {
        var groups = dayZero.tenant().groups();
        List<Waiting> out = new ArrayList<>();
        for (HealthCheck.WaitingWhileFree w : HealthCheck.waitingWhileFree(dayZero, Summary.of(dayZero))) {
            out.add(new Waiting(w, w.groups().stream().map(id -> groups.nameOf(groups.indexOf(id))).toList()));
        }
        return List.copyOf(out);
    }

    /**
     * Seats held on day 0, per product: [0] by disabled accounts, [1] by enabled users whose last
     * sign-in is more than {@code inactiveDays} before day 0; [2][0] is 1 when the snapshot has
     * sign-in activity at all.
     */
    static int[][] reclaimable(Scenario s, Engine engine, int inactiveDays) {
        var users = engine.tenant().users();
        var subs = engine.tenant().subscriptions();
        int np = s.products().size();
        int[] tenantIndex = new int[np];
        for (int i = 0; i < np; i++) {
            var product = engine.tenant().catalog().findProduct(s.products().get(i).sku());
            tenantIndex[i] = product == null ? -1 : subs.indexOf(product);
        }
        int[][] out = new int[3][Math.max(1, np)];
        out[2][0] = users.hasSignInActivity() ? 1 : 0;
        long cutoff = s.start().atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond() - inactiveDays * 86_400L;
        boolean[] held = new boolean[subs.size()];
        try {
            UserEntries.forEach(engine.store(), users, (u, es, count) -> {
                boolean disabled = !users.accountEnabled(u);
                long last = users.lastSignIn(u);
                boolean inactive = !disabled && last != Long.MIN_VALUE && last < cutoff;
                if (!disabled && !inactive) {
                    return;
                }
                java.util.Arrays.fill(held, false);
                for (int i = 0; i < count; i++) {
                    int at = i * StateStore.ENTRY_INTS;
                    if (States.holds(es[at + StateStore.STATE])) {
                        held[es[at + StateStore.PRODUCT]] = true;
                    }
                }
                for (int i = 0; i < np; i++) {
                    if (tenantIndex[i] >= 0 && held[tenantIndex[i]]) {
                        out[disabled ? 0 : 1][i]++;
                    }
                }
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    private static List<Renewal> renewals(CapacityPlan plan) {
        Scenario s = plan.scenario();
        if (s.base() == null) {
            return List.of();
        }
        List<Renewal> out = new ArrayList<>();
        List<CapacityPlanner.Run> rs = plan.runResults();
        int[] day = rs.get(0).day();
        for (TenantBase.Lifecycle l : s.base().lifecycle()) {
            int t = s.productIndex(l.sku());
            int shortBy = 0;
            LocalDate from = null;
            if (!l.lapses() && t >= 0) {
                long gone = ChronoUnit.DAYS.between(s.start(), l.date()) + s.graceDays();
                for (int d = 0; d < day.length; d++) {
                    if (day[d] < gone) {
                        continue;
                    }
                    int demand = CapacityPlanner.demandQuantile(rs, t, d, plan.percentile());
                    int cap = rs.get(0).capacity()[t][d];
                    // the shortage the lapse would add to the one the plan already has
                    int lack = Math.max(0, demand - Math.max(0, cap - l.units())) - Math.max(0, demand - cap);
                    if (lack > shortBy) {
                        if (from == null) {
                            from = s.start().plusDays(day[d]);
                        }
                        shortBy = lack;
                    }
                }
            }
            out.add(new Renewal(l.subscriptionId(), l.sku(), l.date(), l.units(), l.trial(), l.status(), l.lapses(),
                    shortBy, from));
        }
        return List.copyOf(out);
    }
}
