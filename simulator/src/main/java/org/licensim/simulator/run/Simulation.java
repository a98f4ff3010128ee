package org.licensim.simulator.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.licensim.core.catalog.Catalog;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.state.TalliedStore;
import org.licensim.core.event.Event;
import org.licensim.core.state.HeapStateStore;
import org.licensim.simulator.population.EventActions;
import org.licensim.simulator.population.People;
import org.licensim.simulator.population.Rng;
import org.licensim.simulator.population.SyntheticPopulation;
import org.licensim.simulator.population.TenantPopulation;
import org.licensim.simulator.scenario.Scenario.Edit;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.TenantBase;

/**
 * Replays a scenario: day 0 sets up the licensing policy and hires the existing staff, then each
 * simulated day applies the scheduled changes and the day's churn, event by event, to the engine,
 * and records what the day ended with. scenario -> events -> engine -> day metrics -> result.
 *
 * <p>Every change is an {@link Event} applied through {@link Engine#apply}, so the event log
 * (plus {@link #initialSnapshot()}) replays to the same state with {@code licensim resolve}.
 * An event the engine refuses (an admin action the rules forbid) is counted and logged, and the
 * run goes on, as it would in a real tenant. The day's events get their times from a
 * {@link Clock}, the scenario's dated changes come from a {@link Schedule}, churn from the
 * population (synthetic, or a real tenant's), and a {@link Recorder} keeps what each day did.
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

    private final Scenario scenario;
    private final byte[] snapshot;
    private final Rng churnRng;
    private final Rng peopleRng;
    /** Null, or the seed of the days after day 0 (day 0 then follows the scenario's seed). */
    private Long churnSeed;
    private final Engine engine;
    private final String[] groupIds;
    private final int[] groupIndex;
    private final int products;
    /** A real tenant's people when the scenario starts from a snapshot; null for a synthetic one. */
    private final TenantPopulation population;
    /** The generated people of a synthetic scenario; null for a real tenant. */
    private final SyntheticPopulation synthetic;
    private final Clock clock;
    private final Schedule schedule;
    private final Recorder recorder;

    // the run
    private EventSink sink;
    private Listener listener;
    private long runStart;
    private long eventsBefore;
    private long eventsToday;
    private long seq;
    private int day;
    private long total;

    public Simulation(Scenario scenario, Catalog catalog) {
        this(scenario, catalog, null);
    }

    /**
     * A run whose day 0 is the scenario's own (made with its seed) and whose days after it follow
     * {@code churnSeed}: the plan of a synthetic scenario's day-0 tenant ({@code plan --day0 fixed}).
     * Null: the scenario's seed drives every day.
     */
    public Simulation(Scenario scenario, Catalog catalog, Long churnSeed) {
        this.scenario = scenario;
        this.churnSeed = churnSeed;
        Rng root = new Rng(scenario.seed());
        this.churnRng = root.fork(1);
        this.peopleRng = root.fork(2);
        People people = new People(scenario);
        TenantBase base = scenario.base();
        this.snapshot = base != null ? base.snapshot : SyntheticPopulation.startingSnapshot(scenario, catalog);
        Tenant tenant = base != null ? base.freshTenant() : SyntheticPopulation.startingTenant(snapshot, scenario);
        // the day's summary is read every simulated day: a store that keeps its totals spares a pass over every user
        this.engine = Engine.builder(tenant).store(new TalliedStore(new HeapStateStore())).reconcile();
        if (base == null) {
            // day 0 hires the scenario's users: the store's per-user index made for them at once, and
            // room for two entries each, instead of growing by half and doubling while they come; the
            // users' id table and folded proxy addresses sized for them too (each growth moved a
            // table of up to a million entries: about 8% of day 0's engine thread)
            engine.store().reserve(scenario.users(), 2L * scenario.users());
            engine.tenant().users().reserve(scenario.users());
        }
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
        String[] skus = scenario.products().stream().map(Scenario.ProductSpec::sku).toArray(String[]::new);
        products = skus.length;
        clock = new Clock(scenario.start());
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
                return clock.now();
            }
        };
        schedule = new Schedule(scenario, catalog, engine, skus, groupIds, groupIndex, clock, actions);
        recorder = new Recorder(scenario, catalog, engine, skus, groupIndex);
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
        runStart = System.nanoTime();
        day = 0;
        total = 0;
        return runDays();
    }

    /** Makes day 0 only, unlogged: the template {@link #after(long)} copies for each run of a fixed day 0. */
    public Simulation day0() {
        if (churnSeed != null || day != 0 || total != 0) {
            throw new IllegalStateException("day0() makes the day 0 of a new simulation whose days follow its seed");
        }
        runStart = System.nanoTime();
        runDay();
        day = 1;
        return this;
    }

    /** Whether {@link #after} can copy a day-0 simulation on this JVM (see {@link DeepCopy#available()}). */
    public static boolean canCopy() {
        return DeepCopy.available();
    }

    /**
     * A copy of this simulation after its {@link #day0()} whose days after day 0 follow {@code seed}:
     * running it gives exactly what {@code new Simulation(scenario, catalog, seed).run(...)} gives,
     * without making day 0 again. This one is not changed and can be copied again (also from
     * several threads at once).
     */
    public Simulation after(long seed) {
        if (day != 1 || churnSeed != null || population != null) {
            throw new IllegalStateException("after() copies a synthetic simulation just after its day0()");
        }
        Simulation c = DeepCopy.of(this);
        c.churnSeed = seed;
        return c;
    }

    /** Runs the days after the day 0 a {@link #day0()} made, in a copy from {@link #after}. */
    public SimulationResult runAfterDay0(Listener listener) {
        if (day != 1 || churnSeed == null) {
            throw new IllegalStateException("runAfterDay0() runs a copy made by after()");
        }
        this.listener = listener;
        runStart = System.nanoTime();
        return runDays();
    }

    private SimulationResult runDays() {
        for (; day <= scenario.days(); day++) {
            runDay();
        }
        return recorder.result(System.nanoTime() - runStart);
    }

    private void runDay() {
        recorder.startDay();
        eventsBefore = total;
        eventsToday = 0;
        if (day == 1 && churnSeed != null) {
            Rng after = new Rng(churnSeed);
            churnRng.reseed(after, 1);
            peopleRng.reseed(after, 2);
        }
        if (day == 0) {
            if (population != null) {
                loadTenant();
            } else {
                setUpTenant();
            }
        } else if (population != null) {
            simulateTenantDay();
        } else {
            simulateDay();
        }
        total += recorder.endDay(day).eventCount();
        if (listener != null) {
            listener.dayDone(day, scenario.days(), total, System.nanoTime() - runStart);
        }
    }

    // ---- day 0: the policy and the existing staff, or a real tenant as it is ----

    private void setUpTenant() {
        new DayZero(scenario, engine, synthetic, peopleRng, clock, groupIds, groupIndex, this::apply, () -> ++seq).make();
    }

    /** Day 0 from a real tenant: its snapshot is the engine's state; subscriptions already in Warning are suspended on their date. */
    private void loadTenant() {
        clock.startDay(0, 1);
        seq = engine.tenant().lastAppliedSeq(); // the run's events follow the snapshot's history
        population.load();
        schedule.graceOfTenant(scenario.base());
    }

    // ---- days 1..n: schedule, churn, reprocess ----

    /** A day of a real tenant: dated unit changes, then the day's churn from its rates. */
    private void simulateTenantDay() {
        int[] plan = population.plan(day);
        clock.startDay(day, plan.length + products * 2L + 1);
        schedule.unitChanges(day);
        LocalDate today = scenario.start().plusDays(day);
        for (int entry : plan) {
            clock.tick();
            population.perform(entry, today);
        }
    }

    /** A synthetic day: unit changes, the scenario's edits, the day's churn, and a reprocess of every group when due. */
    private void simulateDay() {
        byte[] churn = synthetic.churn(day);
        List<Edit> edits = schedule.editsOn(day);
        int every = scenario.churn().reprocessEveryDays();
        boolean reprocess = every > 0 && day % every == 0;
        clock.startDay(day, churn.length + edits.size() + products * 2L + (reprocess ? groupIds.length : 0) + 1);
        schedule.unitChanges(day);
        for (Edit e : edits) {
            clock.tick();
            schedule.edit(e);
        }
        for (byte kind : churn) {
            clock.tick();
            synthetic.perform(kind, scenario.start().plusDays(day));
        }
        if (reprocess) {
            for (int i = 0; i < groupIds.length; i++) {
                if (!scenario.groups().get(i).licenses().isEmpty()) {
                    clock.tick();
                    apply(new Event.Reprocess(++seq, clock.now(), null, groupIds[i]));
                }
            }
        }
    }

    /** Logs and applies one event; returns null when applied, else why the engine refused it. */
    private String apply(Event e) {
        if (sink != null) {
            try {
                sink.accept(e);
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
        if ((++eventsToday & 0xFFFF) == 0 && listener != null) {
            listener.working(day, scenario.days(), eventsBefore + eventsToday, System.nanoTime() - runStart);
        }
        return recorder.apply(e, day);
    }
}
