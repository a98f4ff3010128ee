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
            x.put("releasable", p.releasable());
            ArrayNode need = x.putArray("needByRun");
            for (CapacityPlanner.Run r : plan.runResults()) {
                need.add(r.need(t, 0, r.day().length - 1));
            }
            daily(x.putObject("daily"), plan, t);
        }
        if (backtest != null) {
            ObjectNode b = o.putObject("backtest");
            b.put("truthRuns", backtest.truths());
            b.put("runs", backtest.runs());
            b.put("splitDay", backtest.split());
            b.put("contested", backtest.contested());
            b.put("hitRate", backtest.hitRate());
            b.put("meanDayError", backtest.meanDayError());
            b.put("shortnessMismatches", backtest.shortnessMismatches());
            b.put("alreadyShortAtSplit", backtest.alreadyShort());
            b.put("growthContested", backtest.growthContested());
            b.put("growthHitRate", backtest.growthHitRate());
            b.put("growthDated", backtest.growthDated());
            b.put("growthWithin3Days", backtest.growthWithin(3));
            ObjectNode per = b.putObject("growthByProduct");
            for (CapacityPlan.ProductNeed p : plan.products()) {
                double[] g = backtest.growthOf(p.sku(), 3);
                ObjectNode x = per.putObject(p.sku());
                x.put("rows", (long) g[3]);
                x.put("within3Days", g[0]);
                x.put("datedRows", (long) g[1]);
                x.put("hitRate", g[2]);
            }
            ArrayNode rows = b.putArray("rows");
            for (Backtest.Row r : backtest.rows()) {
                ObjectNode x = rows.addObject();
                x.put("sku", r.sku());
                x.put("truthSeed", r.truthSeed());
                x.put("predictedNeed", r.predictedNeed());
                x.put("actualNeed", r.actualNeed());
                putDay(x, "predictedFirstShort", r.predictedFirstShort());
                putDay(x, "actualFirstShort", r.actualFirstShort());
                x.put("shortAtSplit", r.shortAtSplit());
            }
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
            money(x, "scheduleCost", a.scheduleCost());
            money(x, "reclaimSavingsPerYear", a.reclaimSavingsPerYear());
            money(x, "releasableSavingsPerYear", a.releasableSavingsPerYear());
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
