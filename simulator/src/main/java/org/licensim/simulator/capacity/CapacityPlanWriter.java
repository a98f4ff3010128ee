package org.licensim.simulator.capacity;

import java.nio.file.Path;

import org.licensim.core.files.AtomicFile;
import org.licensim.simulator.scenario.TenantChurn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes a plan (and its backtest, when run) as {@code plan.json}, schema {@code licensim.plan/1} (docs/PLANNING.md). */
public final class CapacityPlanWriter {
    public static final String SCHEMA = "licensim.plan/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CapacityPlanWriter() {
    }

    public static ObjectNode json(CapacityPlan plan, Backtest backtest) {
        return json(plan, null, backtest);
    }

    public static ObjectNode json(CapacityPlan plan, Procurement procurement, Backtest backtest) {
        ObjectNode o = JSON.createObjectNode();
        o.put("schema", SCHEMA);
        o.put("scenario", plan.scenario().name());
        o.put("seed", plan.scenario().seed());
        o.put("users", plan.scenario().users());
        o.put("start", plan.scenario().start().toString());
        o.put("horizonDays", plan.horizon());
        o.put("runs", plan.runs());
        if (plan.maxRuns() > 0) {
            o.put("maxRuns", plan.maxRuns());
            o.put("targetErrorDays", CapacitySettings.TARGET_DAYS);
        }
        o.put("day0", plan.day0().name());
        o.put("percentile", plan.percentile());
        ArrayNode ps = o.putArray("products");
        for (CapacityPlan.ProductNeed p : plan.products()) {
            ObjectNode x = ps.addObject();
            int t = plan.products().indexOf(p);
            x.put("sku", p.sku());
            x.put("name", plan.productNames().get(t));
            x.put("capacityStart", p.capacityStart());
            x.put("capacityEnd", p.capacityEnd());
            x.put("runsShort", p.runsShort());
            x.put("needP50", p.needP50());
            x.put("needAtPercentile", p.needAtPercentile());
            x.put("needMax", p.needMax());
            x.put("buy", p.buy());
            putDay(x, "buyByDay", p.buyByDay());
            if (p.buyByDay() >= 0) {
                x.put("buyByDate", p.buyByDate());
            } else {
                x.putNull("buyByDate");
            }
            putDay(x, "firstShortDayEarly", p.firstShortEarly());
            putDay(x, "firstShortDayMedian", p.firstShortMedian());
            putDay(x, "firstShortDayLate", p.firstShortLate());
            x.put("releasable", p.releasable());
            ObjectNode mc = x.putObject("monteCarlo");
            precision(mc, "buyByDay", p.mc().buyBy(), p.buy() > 0);
            precision(mc, "firstShortDayMedian", p.mc().median(), true);
            precision(mc, "firstShortDayLate", p.mc().late(), true);
            precision(mc, "buy", p.mc().buy(), true);
            precision(mc, "releasable", p.mc().releasable(), true);
            ArrayNode need = x.putArray("needByRun");
            for (CapacityPlanner.Run r : plan.runResults()) {
                need.add(r.need(t, 0, r.day().length - 1));
            }
            daily(x.putObject("daily"), plan, t);
        }
        if (backtest != null) {
            backtest(o.putObject("backtest"), backtest, plan);
        }
        if (procurement != null) {
            procurement(o.putObject("procurement"), procurement, plan);
        }
        if (plan.scenario().base() != null && plan.scenario().base().churn().fit() != null) {
            TenantChurn.Fit f = plan.scenario().base().churn().fit();
            ObjectNode x = o.putObject("fit");
            x.put("source", f.source());
            x.put("days", f.days());
            if (f.from() != null) {
                x.put("from", f.from().toString());
                x.put("to", f.to().toString());
            }
            ObjectNode counts = x.putObject("counts");
            new java.util.TreeMap<>(f.counts()).forEach(counts::put);
            ArrayNode notes = x.putArray("notes");
            f.notes().forEach(notes::add);
        }
        return o;
    }

    /**
     * A figure's Monte Carlo precision: its 95% interval over the runs ({@code low}, {@code high};
     * null for "never") and its error (a standard error; null when unbounded, i.e. the interval
     * reaches "never"). Nothing when the figure does not apply (no buy-by date without a purchase).
     */
    private static void precision(ObjectNode o, String field, Precision p, boolean applies) {
        if (!applies) {
            o.putNull(field);
            return;
        }
        ObjectNode x = o.putObject(field);
        never(x, "low", p.low());
        never(x, "high", p.high());
        if (p.unbounded()) {
            x.putNull("error");
        } else {
            x.put("error", Math.round(p.error() * 100) / 100.0);
        }
    }

    private static void never(ObjectNode x, String field, int v) {
        if (v == Integer.MAX_VALUE || v < 0) {
            x.putNull(field);
        } else {
            x.put(field, v);
        }
    }

    /** The backtest: its rates per product and overall, each with its bound, and every row. */
    private static void backtest(ObjectNode b, Backtest bt, CapacityPlan plan) {
        b.put("truthRuns", bt.truths());
        b.put("runs", bt.runs());
        b.put("from", "day 0");
        Backtest.Bound bound = bt.bound();
        rate(b, "dateCoveredNominal", bound.dateCovered());
        rate(b, "boughtInTimeNominal", bound.boughtInTime());
        rate(b, "enoughNominal", bound.enough());
        score(b.putObject("all"), bt.score(null), Double.NaN);
        ObjectNode per = b.putObject("byProduct");
        for (CapacityPlan.ProductNeed p : plan.products()) {
            score(per.putObject(p.sku()), bt.score(p.sku()), bound.within3Days().getOrDefault(p.sku(), Double.NaN));
        }
        ArrayNode rows = b.putArray("rows");
        for (Backtest.Row r : bt.rows()) {
            ObjectNode x = rows.addObject();
            x.put("sku", r.sku());
            x.put("truthSeed", r.truthSeed());
            putDay(x, "actualFirstShort", r.actualFirstShort());
            x.put("actualNeed", r.actualNeed());
            x.put("dateCovered", r.dateCovered());
            x.put("within3Days", r.within3Days());
            x.put("boughtInTime", r.boughtInTime());
            x.put("enough", r.enough());
        }
    }

    private static void score(ObjectNode x, Backtest.Score s, double within3Bound) {
        x.put("rows", s.rows());
        rate(x, "dateCovered", s.dateCovered());
        x.put("datedRows", s.datedRows());
        rate(x, "within3Days", s.within3Days());
        rate(x, "within3DaysBound", within3Bound);
        rate(x, "boughtInTime", s.boughtInTime());
        rate(x, "enough", s.enough());
    }

    /** A share to 4 places, or null when there was nothing to count. */
    private static void rate(ObjectNode x, String field, double v) {
        if (Double.isNaN(v)) {
            x.putNull(field);
        } else {
            x.put(field, Math.round(v * 10_000) / 10_000.0);
        }
    }

    /**
     * Per day: capacity (the scenario's, the same in every run) and demand (consumed plus waiting)
     * at 1 - percentile, 0.5 and percentile over the runs: the band the plan's chart draws.
     */
    private static void daily(ObjectNode o, CapacityPlan plan, int t) {
        CapacityPlanner.Run first = plan.runResults().get(0);
        int n = first.day().length;
        ArrayNode date = o.putArray("date");
        ArrayNode capacity = o.putArray("capacity");
        ArrayNode low = o.putArray("demandLow");
        ArrayNode median = o.putArray("demandP50");
        ArrayNode high = o.putArray("demandHigh");
        for (int d = 0; d < n; d++) {
            date.add(first.date()[d]);
            capacity.add(first.capacity()[t][d]);
            low.add(CapacityPlanner.demandQuantile(plan.runResults(), t, d, 1 - plan.percentile()));
            median.add(CapacityPlanner.demandQuantile(plan.runResults(), t, d, 0.5));
            high.add(CapacityPlanner.demandQuantile(plan.runResults(), t, d, plan.percentile()));
        }
    }

    private static void procurement(ObjectNode o, Procurement p, CapacityPlan plan) {
        o.put("leadTimeDays", p.leadTimeDays());
        o.put("period", p.period());
        if (p.prices() != null) {
            o.put("currency", p.prices().currency());
        } else {
            o.putNull("currency");
        }
        o.put("inactiveDays", p.inactiveDays());
        o.put("signInActivity", p.signInKnown());
        ArrayNode ps = o.putArray("products");
        for (Procurement.ProductAdvice a : p.products()) {
            ObjectNode x = ps.addObject();
            x.put("sku", a.sku());
            x.put("name", a.name());
            putDay(x, "runwayDays", a.runwayDays());
            putDay(x, "runwayMedianDays", a.runwayMedianDays());
            x.put("buy", a.buy());
            purchases(x.putArray("schedule"), a.schedule());
            x.put("reclaimDisabled", a.reclaimDisabled());
            if (a.reclaimInactive() < 0) {
                x.putNull("reclaimInactive");
            } else {
                x.put("reclaimInactive", a.reclaimInactive());
            }
            x.put("buyIfReclaimed", a.buyIfReclaimed());
            purchases(x.putArray("scheduleIfReclaimed"), a.scheduleIfReclaimed());
            money(x, "perMonth", a.perMonth());
            if (p.prices() != null && p.prices().committed()) {
                String c = p.prices().commitment(a.sku());
                if (c == null) {
                    x.putNull("commitment");
                } else {
                    x.put("commitment", c);
                }
            }
            money(x, "scheduleCost", a.scheduleCost());
            money(x, "reclaimSavingsPerYear", a.reclaimSavingsPerYear());
            money(x, "releasableSavingsPerYear", a.releasableSavingsPerYear());
            if (!a.bringForward().isEmpty()) {
                ArrayNode bf = x.putArray("bringForward");
                for (Procurement.BringForward b : a.bringForward()) {
                    ObjectNode y = bf.addObject();
                    y.put("units", b.units());
                    y.put("date", b.date().toString());
                    y.put("by", b.by().toString());
                    y.put("orderBy", b.orderBy().toString());
                }
            }
        }
        if (p.prices() != null && p.prices().committed()) {
            ObjectNode m = o.putObject("costByMonth");
            p.costByMonth().forEach((k, v) -> money(m, k, v));
            ObjectNode y = o.putObject("costByYear");
            p.costByYear().forEach((k, v) -> money(y, k, v));
        }
        ArrayNode rs = o.putArray("renewals");
        for (Procurement.Renewal r : p.renewals()) {
            ObjectNode x = rs.addObject();
            x.put("subscriptionId", r.subscriptionId());
            x.put("sku", r.sku());
            x.put("date", r.date().toString());
            x.put("units", r.units());
            x.put("isTrial", r.trial());
            x.put("status", r.status());
            x.put("lapses", r.lapses());
            x.put("shortIfLapses", r.shortIfLapses());
            if (r.shortFrom() == null) {
                x.putNull("shortFrom");
            } else {
                x.put("shortFrom", r.shortFrom().toString());
            }
        }
        if (!p.waitingNow().isEmpty()) { // only plans of a tenant whose users wait while seats are free
            ArrayNode ws = o.putArray("waitingWhileSeatsAreFree");
            for (Procurement.Waiting w : p.waitingNow()) {
                ObjectNode x = ws.addObject();
                x.put("sku", w.product().sku());
                x.put("users", w.product().users());
                x.put("free", w.product().free());
                ArrayNode gs = x.putArray("groups");
                for (int i = 0; i < w.groupNames().size(); i++) {
                    gs.addObject().put("id", w.product().groups().get(i)).put("displayName", w.groupNames().get(i));
                }
            }
        }
    }

    private static void purchases(ArrayNode a, java.util.List<Procurement.Purchase> ps) {
        for (Procurement.Purchase p : ps) {
            ObjectNode x = a.addObject();
            x.put("period", p.period());
            x.put("units", p.units());
            x.put("neededBy", p.neededBy().toString());
            x.put("orderBy", p.orderBy().toString());
            x.put("late", p.late());
            money(x, "cost", p.cost());
        }
    }

    private static void money(ObjectNode x, String field, Double v) {
        if (v == null) {
            x.putNull(field);
        } else {
            x.put(field, Math.round(v * 100) / 100.0);
        }
    }

    private static void putDay(ObjectNode x, String field, int day) {
        if (day < 0) {
            x.putNull(field);
        } else {
            x.put(field, day);
        }
    }

    public static void write(CapacityPlan plan, Backtest backtest, Path file) {
        write(plan, null, backtest, file);
    }

    public static void write(CapacityPlan plan, Procurement procurement, Backtest backtest, Path file) {
        byte[] b = bytes(json(plan, procurement, backtest));
        AtomicFile.write(file, "plan", out -> out.write(b));
    }

    /** {@code plan.json}'s bytes: the one serialisation every writer of plans uses, so equal plans are equal files. */
    public static byte[] bytes(ObjectNode plan) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(plan);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a plan tree cannot fail to serialise", e);
        }
    }
}
