package org.licensim.simulator.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.engine.Rejection;
import org.licensim.core.engine.Summary;
import org.licensim.core.event.Event;
import org.licensim.core.state.States;
import org.licensim.simulator.scenario.Scenario.GroupSpec;
import org.licensim.simulator.scenario.Scenario;

/**
 * What a run records: each event applied to the engine with its latency (per type, per day) and
 * whether it was refused (the kinds of refusal, with a first example), and at the end of each day
 * the tenant's seats, errors and group sizes as {@link DayStats}.
 */
final class Recorder {
    private static final int REJECTION_KINDS = 50;
    private static final int KINDS = Event.Kind.values().length;

    private final Scenario scenario;
    private final Catalog catalog;
    private final Engine engine;
    private final String[] skus;
    private final int[] groupIndex;

    private final List<DayStats> days = new ArrayList<>();
    private final long[] dayP50;
    private final long[] dayP99;
    private final long[] dayMax;
    private final long[][][] byType;
    private final long[] dayEvents = new long[KINDS];
    private final long[] dayRejected = new long[KINDS];
    private final Histogram[] latency = new Histogram[KINDS];
    private final Histogram dayLatency = new Histogram(3);
    private final Histogram[] dayTypeLatency = new Histogram[KINDS];
    private final Map<String, SimulationResult.Rejection> rejections = new LinkedHashMap<>();
    private long engineNanos;

    /** {@code groupIndex}: the scenario's groups in the tenant, filled in as day 0 creates them. */
    Recorder(Scenario scenario, Catalog catalog, Engine engine, String[] skus, int[] groupIndex) {
        this.scenario = scenario;
        this.catalog = catalog;
        this.engine = engine;
        this.skus = skus;
        this.groupIndex = groupIndex;
        for (int t = 0; t < latency.length; t++) {
            latency[t] = new Histogram(3);
            dayTypeLatency[t] = new Histogram(3);
        }
        dayP50 = new long[scenario.days() + 1];
        dayP99 = new long[scenario.days() + 1];
        dayMax = new long[scenario.days() + 1];
        byType = new long[scenario.days() + 1][][];
    }

    void startDay() {
        Arrays.fill(dayEvents, 0);
        Arrays.fill(dayRejected, 0);
        // a reset clears every bucket: most types see no event on most days
        if (dayLatency.getTotalCount() > 0) {
            dayLatency.reset();
        }
        for (Histogram h : dayTypeLatency) {
            if (h.getTotalCount() > 0) {
                h.reset();
            }
        }
    }

    /** Applies one event on day {@code day}; returns null when applied, else why the engine refused it. */
    String apply(Event e, int day) {
        int type = e.kind().ordinal();
        long t0 = System.nanoTime();
        String refused = null;
        String kind = null;
        String detail = null;
        try {
            engine.apply(e);
        } catch (Rejection x) {
            refused = x.getMessage();
            kind = x.reason().label();
            detail = x.detail();
        } catch (LicensimException x) {
            refused = x.getMessage();
            kind = "other";
            detail = refused;
        }
        long dt = System.nanoTime() - t0;
        engineNanos += dt;
        latency[type].recordValue(dt);
        dayLatency.recordValue(dt);
        dayTypeLatency[type].recordValue(dt);
        if (refused == null) {
            dayEvents[type]++;
        } else {
            dayRejected[type]++;
            String reason = e.type() + ": " + kind;
            SimulationResult.Rejection r = rejections.get(reason);
            if (r == null) {
                if (rejections.size() < REJECTION_KINDS) {
                    rejections.put(reason, new SimulationResult.Rejection(reason, 1,
                            "day " + day + ", seq " + e.seq() + ": " + detail));
                }
            } else {
                rejections.put(reason, new SimulationResult.Rejection(reason, r.count() + 1, r.example()));
            }
        }
        return refused;
    }

    /** The day's end: what the tenant holds now, and the day's latencies. */
    DayStats endDay(int day) {
        DayStats stats = dayStats(day);
        days.add(stats);
        dayP50[day] = dayLatency.getValueAtPercentile(50);
        dayP99[day] = dayLatency.getValueAtPercentile(99);
        dayMax[day] = dayLatency.getMaxValue();
        byType[day] = new long[dayTypeLatency.length][];
        for (int t = 0; t < dayTypeLatency.length; t++) {
            Histogram h = dayTypeLatency[t];
            if (h.getTotalCount() > 0) {
                byType[day][t] = new long[] {h.getTotalCount(), h.getValueAtPercentile(50),
                    h.getValueAtPercentile(99), h.getMaxValue()};
            }
        }
        return stats;
    }

    SimulationResult result(long elapsedNanos) {
        return new SimulationResult(scenario, List.of(skus), productDisplayNames(), groupNames(), days, latency, dayP50,
                dayP99, dayMax, byType, elapsedNanos, engineNanos, List.copyOf(rejections.values()));
    }

    private DayStats dayStats(int day) {
        Tenant tenant = engine.tenant();
        Summary summary = Summary.of(engine);
        Subscriptions subs = tenant.subscriptions();
        int np = skus.length;
        int[] consumed = new int[np];
        int[] capacity = new int[np];
        int[] waiting = new int[np];
        int[] inError = new int[np];
        for (int i = 0; i < np; i++) {
            int t = subs.indexOf(catalog.findProduct(skus[i]));
            consumed[i] = summary.consumed()[t];
            capacity[i] = summary.capacity()[t];
            waiting[i] = summary.usersWaiting()[t];
            inError[i] = summary.usersInError()[t];
        }
        long[] errors = summary.sourcesByError().clone();
        errors[States.NONE] = 0; // the day series counts sources in error only
        int[] groupMembers = new int[groupIndex.length];
        for (int i = 0; i < groupIndex.length; i++) {
            groupMembers[i] = tenant.groups().userMembers(groupIndex[i]).getCardinality();
        }
        return new DayStats(day, scenario.start().plusDays(day), summary.users(), consumed, capacity, waiting, inError,
                errors, groupMembers, dayEvents.clone(), dayRejected.clone());
    }

    /** The products' display names (Office 365 E3), in the order of the skus; the part number when the catalog has none. */
    private List<String> productDisplayNames() {
        List<String> out = new ArrayList<>();
        for (String sku : skus) {
            Product p = catalog.findProduct(sku);
            out.add(p == null || p.displayName() == null || p.displayName().isBlank() ? sku : p.displayName());
        }
        return out;
    }

    private List<String> groupNames() {
        return scenario.groups().stream().map(GroupSpec::name).toList();
    }
}
