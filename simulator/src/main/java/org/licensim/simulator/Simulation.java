package org.licensim.simulator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.directory.Subscriptions.PrepaidUnits;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.engine.Rejection;
import org.licensim.core.engine.Summary;
import org.licensim.core.event.Event;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.state.HeapStateStore;
import org.licensim.core.state.TalliedStore;
import org.licensim.core.state.States;
import org.licensim.simulator.Scenario.Edit;
import org.licensim.simulator.Scenario.GroupSpec;
import org.licensim.simulator.Scenario.LicenseSpec;
import org.licensim.simulator.Scenario.ProductSpec;
import org.licensim.simulator.Scenario.UnitChange;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Replays a scenario: day 0 sets up the licensing policy and hires the existing staff, then each
 * simulated day applies the scheduled changes and the day's churn, event by event, to the engine,
 * and records what the day ended with. scenario -> events -> engine -> day metrics -> result.
 *
 * <p>Every change is an {@link Event} applied through {@link Engine#apply}, so the event log
 * (plus {@link #initialSnapshot()}) replays to the same state with {@code licensim resolve}.
 * An event the engine refuses (an admin action the rules forbid) is counted and logged, and the
 * run goes on, as it would in a real tenant.
 */
public final class Simulation {
    /** Told after each simulated day; for progress display. */
    public interface Listener {
        void dayDone(int day, int days, long events, long elapsedNanos);

        /** Told every 65,536 events within a day, so that a long day 0 shows life. */
        default void working(int day, int days, long events, long elapsedNanos) {
        }
    }

    /** Receives every event before it is applied (the event log). */
    public interface EventSink {
        void accept(Event e) throws IOException;
    }

    static final int HIRE = 0;
    static final int LEAVE = 1;
    static final int TRANSFER = 2;
    static final int ATTRIBUTE = 3;
    static final int MEMBER = 4;
    static final int DIRECT = 5;
    private static final long DAY_MS = 86_400_000L;
    private static final long WORK_START_MS = 8 * 3_600_000L;
    private static final long WORK_MS = 10 * 3_600_000L;
    private static final int REJECTION_KINDS = 50;

    private final Scenario scenario;
    private final Catalog catalog;
    private final byte[] snapshot;
    private final Rng churnRng;
    private final Rng peopleRng;
    private final People people;
    private final Engine engine;
    private final String[] groupIds;
    private final int[] groupIndex;
    private final String[] skus;
    private final List<long[]> graceEnds = new ArrayList<>();
    /** A real tenant's people when the scenario starts from a snapshot; null for a synthetic one. */
    private final TenantPopulation population;
    /** The generated people of a synthetic scenario; null for a real tenant. */
    private final SyntheticPopulation synthetic;
    /** Null, or the seed of the days after day 0 (day 0 then follows the scenario's seed). */
    private final Long churnSeed;

    // the current day
    private EventSink sink;
    private Listener listener;
    private long runStart;
    private long eventsBefore;
    private long eventsToday;
    private long seq;
    private long dayStartMs;
    private long slotMs;
    private long slot;
    private final long[] dayEvents = new long[SimulationResult.EVENT_TYPES.size()];
    private final long[] dayRejected = new long[SimulationResult.EVENT_TYPES.size()];
    private final Histogram[] latency = new Histogram[SimulationResult.EVENT_TYPES.size()];
    private final Histogram dayLatency = new Histogram(3);
    private final Histogram[] dayTypeLatency = new Histogram[SimulationResult.EVENT_TYPES.size()];
    private final java.util.Map<String, SimulationResult.Rejection> rejections = new java.util.LinkedHashMap<>();
    private int day;
    private long engineNanos;

    public Simulation(Scenario scenario, Catalog catalog) {
        this(scenario, catalog, null);
    }

    /**
     * A run whose day 0 is the scenario's own (made with its seed) and whose days after it follow
     * {@code churnSeed}: the plan of a synthetic scenario's day-0 tenant ({@code plan --day0 fixed}).
     * Null: the scenario's seed drives every day.
     */
    public Simulation(Scenario scenario, Catalog catalog, Long churnSeed) {
        this.churnSeed = churnSeed;
        this.scenario = scenario;
        this.catalog = catalog;
        Rng root = new Rng(scenario.seed());
        this.churnRng = root.fork(1);
        this.peopleRng = root.fork(2);
        this.people = new People(scenario);
        TenantBase base = scenario.base();
        this.snapshot = base != null ? base.snapshot : buildSnapshot();
        Tenant tenant;
        try {
            tenant = base != null ? base.freshTenant()
                    : SnapshotReader.withDefaults().read(new ByteArrayInputStream(snapshot), "scenario " + scenario.name());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the day's summary is read every simulated day: a store that keeps its totals spares a pass over every user
        this.engine = Engine.builder(tenant).store(new TalliedStore(new HeapStateStore())).reconcile();
        int g = scenario.groups().size();
        groupIds = new String[g];
        groupIndex = new int[g];
        for (int i = 0; i < g; i++) {
            if (base != null) {
                groupIndex[i] = base.groupIndexes[i];
                groupIds[i] = tenant.groups().id(groupIndex[i]);
            } else {
                groupIds[i] = People.guid(scenario.seed(), 1, i);
            }
        }
        skus = new String[scenario.products().size()];
        for (int i = 0; i < skus.length; i++) {
            skus[i] = scenario.products().get(i).sku();
        }
        for (int t = 0; t < latency.length; t++) {
            latency[t] = new Histogram(3);
            dayTypeLatency[t] = new Histogram(3);
        }
        EventActions actions = new EventActions() {
            @Override
            public boolean apply(Event e) {
                return Simulation.this.apply(e) == null;
            }

            @Override
            public long nextSeq() {
                return ++seq;
            }

            @Override
            public Instant now() {
                return Simulation.this.now();
            }
        };
        population = base == null ? null : new TenantPopulation(base, scenario, engine.tenant(), people, root.fork(3),
                churnRng, peopleRng, groupIds, actions);
        synthetic = base != null ? null : new SyntheticPopulation(scenario, people, churnRng, peopleRng, groupIds, actions);
    }

    /** The snapshot the run starts from: the tenant and its products, no users or groups yet. */
    public byte[] initialSnapshot() {
        return snapshot.clone();
    }

    /** The engine, for a caller that wants the final state (e.g. to write it). */
    public Engine engine() {
        return engine;
    }

    public SimulationResult run(Listener listener, EventSink eventSink) {
        this.sink = eventSink;
        this.listener = listener;
        long t0 = System.nanoTime();
        runStart = t0;
        List<DayStats> days = new ArrayList<>(scenario.days() + 1);
        long[] dayP50 = new long[scenario.days() + 1];
        long[] dayP99 = new long[scenario.days() + 1];
        long[] dayMax = new long[scenario.days() + 1];
        long[][][] byType = new long[scenario.days() + 1][][];
        long total = 0;
        for (day = 0; day <= scenario.days(); day++) {
            Arrays.fill(dayEvents, 0);
            Arrays.fill(dayRejected, 0);
            dayLatency.reset();
            for (Histogram h : dayTypeLatency) {
                h.reset();
            }
            eventsBefore = total;
            eventsToday = 0;
            if (day == 1 && churnSeed != null) {
                Rng after = new Rng(churnSeed);
                churnRng.reseed(after, 1);
                peopleRng.reseed(after, 2);
            }
            if (day == 0 && population != null) {
                loadTenant();
            } else if (day == 0) {
                setUpTenant();
            } else if (population != null) {
                simulateTenantDay();
            } else {
                simulateDay();
            }
            DayStats stats = record();
            days.add(stats);
            total += stats.eventCount();
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
            if (listener != null) {
                listener.dayDone(day, scenario.days(), total, System.nanoTime() - t0);
            }
        }
        return new SimulationResult(scenario, productNames(), productDisplayNames(), groupNames(), days, latency, dayP50, dayP99, dayMax, byType,
                System.nanoTime() - t0, engineNanos, List.copyOf(rejections.values()));
    }

    // ---- day 0: the policy and the existing staff ----

    private void setUpTenant() {
        startDay(scenario.groups().size() * 3L + scenario.users());
        List<GroupSpec> groups = scenario.groups();
        for (int i = 0; i < groups.size(); i++) {
            GroupSpec g = groups.get(i);
            nextSlot();
            require(new Event.GroupCreated(++seq, now(), groupIds[i], g.name(), true, g.rule(), false, List.of()),
                    "$.groups[" + i + "]");
            groupIndex[i] = engine.tenant().groups().indexOf(groupIds[i]);
            for (int l = 0; l < g.licenses().size(); l++) {
                LicenseSpec lic = g.licenses().get(l);
                require(new Event.LicenseAssignedToGroup(++seq, now(), groupIds[i], lic.sku(), lic.disabledPlans()),
                        "$.groups[" + i + "].licenses[" + l + "]");
            }
        }
        LocalDate start = scenario.start();
        for (int k = 0; k < scenario.users(); k++) {
            nextSlot();
            synthetic.hire(start.minusDays(1 + peopleRng.nextInt(3650)));
        }
    }

    /** Day 0 from a real tenant: its snapshot is the engine's state; subscriptions already in Warning are suspended on their date. */
    private void loadTenant() {
        startDay(1);
        seq = engine.tenant().lastAppliedSeq(); // the run's events follow the snapshot's history
        population.load();
        for (TenantBase.Lifecycle l : scenario.base().lifecycle()) {
            if (l.status().equals("Warning")) {
                long d = java.time.temporal.ChronoUnit.DAYS.between(scenario.start(), l.date());
                graceEnds.add(new long[] {Math.max(1, d), scenario.productIndex(l.sku()), l.units()});
            }
        }
    }

    /** A day of a real tenant: dated unit changes, then the day's churn from its rates. */
    private void simulateTenantDay() {
        int[] plan = population.plan(day);
        startDay(plan.length + skus.length * 2L + 1);
        unitChanges();
        LocalDate today = scenario.start().plusDays(day);
        for (int entry : plan) {
            nextSlot();
            population.perform(entry, today);
        }
    }

    /** A policy event the scenario itself makes: refused means the scenario is wrong. */
    private void require(Event e, String where) {
        String refused = apply(e);
        if (refused != null) {
            throw new LicensimException("scenario " + scenario.name() + " " + where + ": the engine refused "
                    + e.type() + ": " + refused);
        }
    }

    // ---- days 1..n: schedule, churn, reprocess ----

    private void simulateDay() {
        Scenario.Churn c = scenario.churn();
        int dow = scenario.start().plusDays(day).getDayOfWeek().getValue() - 1;
        int[] counts = new int[ScenarioReader.CHURN_KINDS.size()];
        Scenario.Quantity[] rates = {c.hires(), c.leavers(), c.transfers(), c.attributeEdits(), c.memberEdits(),
            c.directEdits()};
        int total = 0;
        for (int k = 0; k < counts.length; k++) {
            double mean = rates[k].of(scenario.users()) * c.weekly()[dow] * waveFactor(ScenarioReader.CHURN_KINDS.get(k));
            counts[k] = churnRng.poisson(mean);
            total += counts[k];
        }
        List<Edit> edits = editsToday();
        boolean reprocess = c.reprocessEveryDays() > 0 && day % c.reprocessEveryDays() == 0;
        startDay(total + edits.size() + skus.length * 2L + (reprocess ? groupIds.length : 0) + 1);
        unitChanges();
        for (Edit e : edits) {
            nextSlot();
            edit(e);
        }
        byte[] plan = shuffledPlan(counts, total);
        for (byte kind : plan) {
            nextSlot();
            switch (kind) {
                case HIRE -> synthetic.hire(scenario.start().plusDays(day));
                case LEAVE -> synthetic.leave();
                case TRANSFER -> synthetic.transfer();
                case ATTRIBUTE -> synthetic.editAttributes();
                case MEMBER -> synthetic.editMembership();
                case DIRECT -> synthetic.editDirect();
                default -> throw new IllegalStateException("churn kind " + kind);
            }
        }
        if (reprocess) {
            for (int i = 0; i < groupIds.length; i++) {
                if (!scenario.groups().get(i).licenses().isEmpty()) {
                    nextSlot();
                    apply(new Event.Reprocess(++seq, now(), null, groupIds[i]));
                }
            }
        }
    }

    private double waveFactor(String kind) {
        double f = 1;
        for (Scenario.Wave w : scenario.churn().waves()) {
            if (day >= w.from() && day <= w.to() && w.kinds().contains(kind)) {
                f *= w.factor();
            }
        }
        return f;
    }

    private List<Edit> editsToday() {
        List<Edit> out = new ArrayList<>();
        for (Edit e : scenario.edits()) {
            if (e.day() == day) {
                out.add(e);
            }
        }
        return out;
    }

    /** The day's churn kinds in a random order, so hires and leavers interleave as they would. */
    private byte[] shuffledPlan(int[] counts, int total) {
        byte[] plan = new byte[total];
        int at = 0;
        for (int k = 0; k < counts.length; k++) {
            for (int i = 0; i < counts[k]; i++) {
                plan[at++] = (byte) k;
            }
        }
        churnRng.shuffle(plan);
        return plan;
    }

    private void unitChanges() {
        Subscriptions subs = engine.tenant().subscriptions();
        for (int i = 0; i < skus.length; i++) {
            ProductSpec p = scenario.products().get(i);
            int t = subs.indexOf(catalog.findProduct(skus[i]));
            for (UnitChange u : p.purchases()) {
                if (u.day() == day) {
                    PrepaidUnits pu = subs.units(t);
                    int add = units(u);
                    nextSlot();
                    apply(new Event.UnitsChanged(++seq, now(), skus[i],
                            new PrepaidUnits(pu.enabled() + add, pu.warning(), pu.suspended(), pu.lockedOut())));
                }
            }
            for (UnitChange u : p.expiries()) {
                if (u.day() == day) {
                    PrepaidUnits pu = subs.units(t);
                    int n = Math.min(units(u), pu.enabled());
                    nextSlot();
                    apply(new Event.UnitsChanged(++seq, now(), skus[i],
                            new PrepaidUnits(pu.enabled() - n, pu.warning() + n, pu.suspended(), pu.lockedOut())));
                    graceEnds.add(new long[] {day + scenario.graceDays(), i, n});
                }
            }
        }
        for (long[] g : graceEnds) {
            if (g[0] == day) {
                int i = (int) g[1];
                int t = subs.indexOf(catalog.findProduct(skus[i]));
                PrepaidUnits pu = subs.units(t);
                int n = (int) Math.min(g[2], pu.warning());
                nextSlot();
                apply(new Event.UnitsChanged(++seq, now(), skus[i],
                        new PrepaidUnits(pu.enabled(), pu.warning() - n, pu.suspended() + n, pu.lockedOut())));
            }
        }
    }

    private int units(UnitChange u) {
        return (int) Math.round(u.units().of(scenario.users()));
    }

    private void edit(Edit e) {
        int gi = groupNames().indexOf(e.group());
        String gid = groupIds[gi];
        Event ev = switch (e.action()) {
            case changeRule -> new Event.GroupRuleChanged(++seq, now(), gid, e.rule(), false);
            case pauseRule -> new Event.GroupRuleChanged(++seq, now(), gid,
                    engine.tenant().groups().membershipRule(groupIndex[gi]), true);
            case assignLicense -> new Event.LicenseAssignedToGroup(++seq, now(), gid, e.sku(), e.disabledPlans());
            case removeLicense -> new Event.LicenseRemovedFromGroup(++seq, now(), gid, e.sku());
            case changeDisabledPlans -> new Event.GroupDisabledPlansChanged(++seq, now(), gid, e.sku(), e.disabledPlans());
            case switchLicense -> new Event.AssignLicense(++seq, now(), null, gid,
                    List.of(new Event.AddedLicense(e.toSku(), e.disabledPlans())), List.of(e.sku()));
            case reprocess -> new Event.Reprocess(++seq, now(), null, gid);
        };
        apply(ev);
    }

    // ---- applying events ----

    /** Logs and applies one event; returns null when applied, else why the engine refused it. */
    private String apply(Event e) {
        if (sink != null) {
            try {
                sink.accept(e);
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
        int type = SimulationResult.typeIndex(e);
        if ((++eventsToday & 0xFFFF) == 0 && listener != null) {
            listener.working(day, scenario.days(), eventsBefore + eventsToday, System.nanoTime() - runStart);
        }
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

    private void startDay(long slots) {
        dayStartMs = scenario.start().plusDays(day).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long span = day == 0 ? DAY_MS : WORK_MS;
        if (day > 0) {
            dayStartMs += WORK_START_MS;
        }
        slotMs = Math.max(1, span / Math.max(1, slots));
        slot = 0;
    }

    private void nextSlot() {
        slot++;
    }

    private Instant now() {
        return Instant.ofEpochMilli(dayStartMs + slot * slotMs);
    }

    // ---- recording a day ----

    private DayStats record() {
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
        int[] groupMembers = new int[groupIds.length];
        for (int i = 0; i < groupIds.length; i++) {
            groupMembers[i] = tenant.groups().userMembers(groupIndex[i]).getCardinality();
        }
        return new DayStats(day, scenario.start().plusDays(day), summary.users(), consumed, capacity, waiting, inError,
                errors, groupMembers, dayEvents.clone(), dayRejected.clone());
    }

    /** The products' display names (Office 365 E3), in the order of {@link #productNames}; the part number when the catalog has none. */
    private List<String> productDisplayNames() {
        List<String> out = new ArrayList<>();
        for (String sku : skus) {
            org.licensim.core.catalog.Product p = catalog.findProduct(sku);
            out.add(p == null || p.displayName() == null || p.displayName().isBlank() ? sku : p.displayName());
        }
        return out;
    }

    private List<String> productNames() {
        return List.of(skus);
    }

    private List<String> groupNames() {
        return scenario.groups().stream().map(GroupSpec::name).toList();
    }

    // ---- the starting snapshot ----

    private byte[] buildSnapshot() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeObjectFieldStart("tenant");
            Scenario.TenantSpec t = scenario.tenant();
            g.writeStringField("id", t.id());
            if (t.displayName() != null) {
                g.writeStringField("displayName", t.displayName());
            }
            g.writeStringField("countryLetterCode", t.country());
            g.writeBooleanField("groupLicensingEnabled", true);
            g.writeBooleanField("autoReprocess", t.autoReprocess());
            g.writeEndObject();
            g.writeArrayFieldStart("subscribedSkus");
            for (ProductSpec p : scenario.products()) {
                g.writeStartObject();
                g.writeStringField("skuId", catalog.findProduct(p.sku()).skuId());
                g.writeStringField("skuPartNumber", p.sku());
                g.writeObjectFieldStart("prepaidUnits");
                g.writeNumberField("enabled", Math.round(p.seats().of(scenario.users())));
                g.writeNumberField("warning", 0);
                g.writeNumberField("suspended", 0);
                g.writeNumberField("lockedOut", 0);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
