package org.licensim.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.licensim.core.directory.Subscriptions.PrepaidUnits;
import org.licensim.core.directory.TenantSettings;
import org.licensim.core.directory.UserData;
import org.licensim.core.event.Event;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Per-event latency of the engine's {@code apply} on a reconciled tenant (the engine issue's
 * shape: 2,000 groups, 5 memberships per user), JMH SampleTime for percentiles. Each benchmark
 * walks through a pool of distinct targets (several groups or products per user, so that an
 * iteration at 1M users cannot use it up) and an iteration-level setup (untimed) puts the
 * tenant back, so every timed event does real work. A pool that runs out inside an iteration
 * is refilled on the spot, inside a timed call: that lands in the tail and in B/op, so each
 * trial prints how often it happened (on tiny smoke tenants, often; at 1M users, never or once).
 *
 * <p>B/op ({@code -prof gc}) counts the event object each call builds (the caller's input: a
 * record of 32-40 bytes, an attribute change's map) and the engine's own allocation, which
 * core's AllocationTest holds at 0 for membership and attribute changes; ids and values are
 * made once, not per call.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
public class EventBenchmark {
    static final int TARGET_PRODUCT = 1;

    @State(Scope.Benchmark)
    public static class Tenant {
        @Param({"1000000"})
        int users;
        EngineFixture f;

        @Setup(Level.Trial)
        public void setUp() {
            f = new EngineFixture(BenchTenant.generate(users, BenchTenant.Shape.manySmall));
        }
    }

    /** Targets per pool: several groups (or products) per user, so that an iteration cannot use a pool up. */
    static final int POOL_GROUPS = 4;

    /**
     * Targets used up one per operation and given back between iterations (the events undone),
     * so that every operation does the same kind of work; a pool used up inside an iteration is
     * refilled there, counted, and reported at the end of the trial.
     */
    abstract static class Pool {
        int next;
        int refills;

        /** Operations before the pool is used up. */
        abstract int size(Tenant t);

        /** Undoes operation {@code i}. */
        abstract void undo(Tenant t, int i);

        /** Sets the pool up (first call) and gives every target back: JMH calls it before each iteration. */
        abstract void reset(Tenant t);

        void undoAll(Tenant t) {
            for (int i = 0; i < next; i++) {
                undo(t, i);
            }
            next = 0;
        }

        /** The next operation's index, refilling the pool when it is used up. */
        int take(Tenant t) {
            if (next == size(t)) {
                refills++;
                reset(t);
            }
            return next++;
        }

        void report(String benchmark) {
            if (refills > 0) {
                System.out.println(benchmark + ": pool refilled " + refills + " times inside iterations (in the tail)");
            }
        }
    }

    /** Membership operations over {@link #POOL_GROUPS} groups times every user: operation i is group i / users, user i % users. */
    abstract static class MemberPool extends Pool {
        String[] groups;

        @Override
        int size(Tenant t) {
            return t.users * POOL_GROUPS;
        }

        String group(Tenant t, int i) {
            return groups[i / t.users];
        }

        String user(Tenant t, int i) {
            return t.f.id(i % t.users);
        }
    }

    /** Adds users one by one to empty licensed groups (each gains a source; many need no new seat). */
    @State(Scope.Benchmark)
    public static class AddPool extends MemberPool {
        @Override
        void undo(Tenant t, int i) {
            t.f.require(new Event.MemberRemoved(t.f.nextSeq(), EngineFixture.TIME, group(t, i), user(t, i)));
        }

        @Override
        @Setup(Level.Iteration)
        public void reset(Tenant t) {
            if (groups == null) {
                groups = new String[POOL_GROUPS];
                for (int i = 0; i < POOL_GROUPS; i++) {
                    groups[i] = t.f.licensedGroup("bench-add-" + i, TARGET_PRODUCT, new int[0]);
                }
            }
            undoAll(t);
        }

        @TearDown(Level.Trial)
        public void report() {
            report("memberAdded");
        }
    }

    @Benchmark
    public void memberAdded(Tenant t, AddPool pool) {
        int i = pool.take(t);
        t.f.engine.apply(new Event.MemberAdded(t.f.nextSeq(), EngineFixture.TIME, pool.group(t, i), pool.user(t, i)));
    }

    /** Removes users one by one from licensed groups holding everyone. */
    @State(Scope.Benchmark)
    public static class RemovePool extends MemberPool {
        @Override
        void undo(Tenant t, int i) {
            t.f.require(new Event.MemberAdded(t.f.nextSeq(), EngineFixture.TIME, group(t, i), user(t, i)));
        }

        @Override
        @Setup(Level.Iteration)
        public void reset(Tenant t) {
            if (groups == null) {
                int[] all = new int[t.users];
                for (int u = 0; u < all.length; u++) {
                    all[u] = u;
                }
                groups = new String[POOL_GROUPS];
                for (int i = 0; i < POOL_GROUPS; i++) {
                    groups[i] = t.f.licensedGroup("bench-remove-" + i, TARGET_PRODUCT, all);
                }
            }
            undoAll(t);
        }

        @TearDown(Level.Trial)
        public void report() {
            report("memberRemoved");
        }
    }

    @Benchmark
    public void memberRemoved(Tenant t, RemovePool pool) {
        int i = pool.take(t);
        t.f.engine.apply(new Event.MemberRemoved(t.f.nextSeq(), EngineFixture.TIME, pool.group(t, i), pool.user(t, i)));
    }

    /** Products with free seats assigned directly, one after another, to users who hold none directly. */
    static final int[] DIRECT_PRODUCTS = {5, 6, 7, 8};

    /** Direct assignment of a product with free seats to users without a direct licence. */
    @State(Scope.Benchmark)
    public static class DirectPool extends Pool {
        int[] targets;

        @Override
        int size(Tenant t) {
            return targets.length * DIRECT_PRODUCTS.length;
        }

        @Override
        void undo(Tenant t, int i) {
            t.f.require(new Event.LicenseRemovedFromUser(t.f.nextSeq(), EngineFixture.TIME,
                    t.f.id(targets[i % targets.length]),
                    BenchTenant.PRODUCTS.get(DIRECT_PRODUCTS[i / targets.length])));
        }

        @Override
        @Setup(Level.Iteration)
        public void reset(Tenant t) {
            if (targets == null) {
                targets = java.util.stream.IntStream.range(0, t.users).filter(u -> !BenchTenant.direct(u)).toArray();
            }
            undoAll(t);
        }

        @TearDown(Level.Trial)
        public void report() {
            report("directAssign");
        }
    }

    @Benchmark
    public void directAssign(Tenant t, DirectPool pool) {
        int i = pool.take(t);
        t.f.engine.apply(new Event.LicenseAssignedToUser(t.f.nextSeq(), EngineFixture.TIME,
                t.f.id(pool.targets[i % pool.targets.length]),
                BenchTenant.PRODUCTS.get(DIRECT_PRODUCTS[i / pool.targets.length]), List.of()));
    }

    /** Moving users between two departments that dynamic groups (licensed) select on. */
    @State(Scope.Benchmark)
    public static class Rules {
        @Param({"50", "500"})
        int rules;
        @Param({"1000000"})
        int users;
        /** The rule groups' forms: section 4's mix, or department only (-p forms=mixed,department side by side). */
        @Param({"mixed"})
        BenchTenant.RuleForms forms;
        EngineFixture f;
        boolean[] moved;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            f = new EngineFixture(BenchTenant.generate(users, BenchTenant.Shape.manySmall, rules, forms));
            moved = new boolean[users];
        }
    }

    /** Department values, made once. */
    static final String[] DEPARTMENT = new String[BenchTenant.DEPARTMENTS];

    static {
        for (int d = 0; d < DEPARTMENT.length; d++) {
            DEPARTMENT[d] = "D" + d;
        }
    }

    @Benchmark
    public void attributeChange(Rules r) {
        int u = r.next;
        r.next = (r.next + 1) % r.users;
        int dept = u * 7 % BenchTenant.DEPARTMENTS + (r.moved[u] ? 0 : 1);
        r.moved[u] = !r.moved[u];
        UserData d = new UserData();
        d.strings.put("department", DEPARTMENT[dept % BenchTenant.DEPARTMENTS]);
        r.f.engine.apply(new Event.UserAttributesChanged(r.f.nextSeq(), EngineFixture.TIME, r.f.id(u), d));
    }

    /** One more seat of a product users wait for, with autoReprocess on: the oldest waiting demand gets it. */
    @State(Scope.Benchmark)
    public static class Seats {
        @Param({"1000000"})
        int users;
        BenchTenant bench;
        EngineFixture f;
        PrepaidUnits original;
        int added;
        int waiting;
        int refills;

        @TearDown(Level.Trial)
        public void report() {
            if (refills > 0) {
                System.out.println("seatPurchase: engine rebuilt " + refills + " times inside iterations (in the tail)");
            }
        }

        @Setup(Level.Trial)
        public void setUp() {
            bench = BenchTenant.generate(users, BenchTenant.Shape.manySmall);
            TenantSettings s = bench.tenant.settings();
            bench.tenant.setSettings(new TenantSettings(s.id(), s.displayName(), s.defaultCountry(),
                    s.groupLicensingEnabled(), true));
            // half the seats: hundreds of thousands waiting at 1M users, more than an iteration can hand out
            PrepaidUnits u = bench.tenant.subscriptions().units(BenchTenant.SHORT[0]);
            original = new PrepaidUnits(u.enabled() / 2, 0, 0, 0);
        }

        @Setup(Level.Iteration)
        public void reset() {
            bench.tenant.subscriptions().setUnits(BenchTenant.SHORT[0], original);
            f = new EngineFixture(bench);
            waiting = org.licensim.core.engine.Summary.of(f.engine).usersInError()[BenchTenant.SHORT[0]];
            added = 0;
        }
    }

    @Benchmark
    public void seatPurchaseAutoReprocess(Seats s) {
        if (s.added == s.waiting) {
            s.refills++;
            s.reset();
        }
        s.added++;
        s.f.engine.apply(new Event.UnitsChanged(s.f.nextSeq(), EngineFixture.TIME,
                BenchTenant.PRODUCTS.get(BenchTenant.SHORT[0]),
                new PrepaidUnits(s.original.enabled() + s.added, 0, 0, 0)));
    }

    /** Disabling and re-enabling a plan for a group of 60,000 members (the size Azure's docs name). */
    @State(Scope.Benchmark)
    public static class BigGroup {
        static final int SIZE = 60_000;
        String group;
        boolean disabled;
        String plan;

        @Setup(Level.Trial)
        public void setUp(Tenant t) {
            int n = Math.min(SIZE, t.users);
            int[] members = new int[n];
            int step = Math.max(1, t.users / n);
            for (int i = 0; i < n; i++) {
                members[i] = i * step;
            }
            group = t.f.licensedGroup("bench-60k", TARGET_PRODUCT, members);
            var catalog = t.f.bench.catalog;
            var product = catalog.findProduct(BenchTenant.PRODUCTS.get(TARGET_PRODUCT));
            plan = catalog.plan(product.plans()[0]).servicePlanId();
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void groupProductEdit60k(Tenant t, BigGroup g) {
        g.disabled = !g.disabled;
        t.f.engine.apply(new Event.GroupDisabledPlansChanged(t.f.nextSeq(), EngineFixture.TIME, g.group,
                BenchTenant.PRODUCTS.get(TARGET_PRODUCT), g.disabled ? List.of(g.plan) : List.of()));
    }

    /** What a timed call builds before it calls the engine, for {@link #eventObject}. */
    @State(Scope.Thread)
    public static class EventOnly {
        @Param({"membership", "attribute"})
        String kind;
        long seq;
        int next;
    }

    /**
     * Baseline, not an engine benchmark: builds the event a membership or an attribute-change
     * call builds (same record, same map) and hands it to JMH, so its B/op is the event's. The
     * targets table subtracts it from those benchmarks' B/op to judge the engine's own allocation.
     */
    @Benchmark
    public Event eventObject(EventOnly s) {
        s.next = (s.next + 1) & 1023;
        if ("membership".equals(s.kind)) {
            return new Event.MemberAdded(s.seq++, EngineFixture.TIME, "bench-add-0", DEPARTMENT[s.next % DEPARTMENT.length]);
        }
        UserData d = new UserData();
        d.strings.put("department", DEPARTMENT[s.next % DEPARTMENT.length]);
        return new Event.UserAttributesChanged(s.seq++, EngineFixture.TIME, DEPARTMENT[0], d);
    }
}
