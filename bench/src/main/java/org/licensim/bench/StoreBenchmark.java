package org.licensim.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;
import org.licensim.core.feed.ChangeFeed;
import org.licensim.core.rules.DynamicMembership;
import org.licensim.core.state.ChronicleStateStore;
import org.licensim.core.state.HeapStateStore;
import org.licensim.core.state.StateStore;
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
 * What persistence costs: the same tenant and the same events on the on-heap store and on the
 * Chronicle Map store (docs/STORE.md), side by side in one run. {@code reconcile} builds a new
 * store from the snapshot (map files created, every user written, ids recorded, committed);
 * {@code memberToggle} is one event that adds a user to a licensed group or takes them out
 * again, committed (undo log, value, commit record) like every event on the persisted store.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
public class StoreBenchmark {
    public enum Kind { heap, chronicle }

    static StateStore newStore(Kind kind, BenchTenant t, Path dir) {
        if (kind == Kind.heap) {
            return new HeapStateStore();
        }
        org.licensim.core.files.Trees.delete(dir);
        return ChronicleStateStore.create(dir, t.tenant, org.licensim.core.state.StoreSource.described("bench"), ChronicleStateStore.Sizing.of(t.tenant));
    }

    static Path tempDir(String name) {
        try {
            return Files.createTempDirectory("licensim-bench-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @State(Scope.Benchmark)
    public static class Rebuild {
        @Param({"1000000"})
        int users;
        @Param({"heap", "chronicle"})
        Kind store;
        BenchTenant tenant;
        Path base;
        Engine engine;
        final ChangeFeed feed = new ChangeFeed();

        @Setup(Level.Trial)
        public void setUp() {
            feed.setEnabled(false);
            tenant = BenchTenant.generate(users, BenchTenant.Shape.manySmall);
            base = tempDir("reconcile");
        }

        @Setup(Level.Invocation)
        public void fresh() {
            engine = Engine.builder(tenant.tenant).membership(DynamicMembership.MEMBER_LISTS).feed(feed)
                    .store(newStore(store, tenant, base.resolve("store"))).build();
        }

        @TearDown(Level.Invocation)
        public void close() {
            engine.store().close();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            org.licensim.core.files.Trees.delete(base);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Engine reconcile(Rebuild r) {
        r.engine.reconcile();
        return r.engine;
    }

    @State(Scope.Benchmark)
    public static class Toggle {
        @Param({"1000000"})
        int users;
        @Param({"heap", "chronicle"})
        Kind store;
        Engine engine;
        Path base;
        String group = "bench-toggle";
        long seq = 1;
        int next;
        boolean in;

        @Setup(Level.Trial)
        public void setUp() {
            BenchTenant t = BenchTenant.generate(users, BenchTenant.Shape.manySmall);
            ChangeFeed feed = new ChangeFeed();
            feed.setEnabled(false);
            base = tempDir("toggle");
            engine = Engine.builder(t.tenant).membership(DynamicMembership.MEMBER_LISTS).feed(feed)
                    .store(newStore(store, t, base.resolve("store"))).reconcile();
            engine.apply(new Event.GroupCreated(seq++, EngineFixture.TIME, group, group, true, null, false, List.of()));
            engine.apply(new Event.LicenseAssignedToGroup(seq++, EngineFixture.TIME, group,
                    BenchTenant.PRODUCTS.get(EventBenchmark.TARGET_PRODUCT), List.of()));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            engine.store().close();
            org.licensim.core.files.Trees.delete(base);
        }
    }

    /** Adds user i to the group, then (next call) removes them, then moves on to user i + 1. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void memberToggle(Toggle t) {
        String user = BenchTenant.userId(t.next);
        if (t.in) {
            t.engine.apply(new Event.MemberRemoved(t.seq++, EngineFixture.TIME, t.group, user));
            t.next = (t.next + 1) % t.users;
        } else {
            t.engine.apply(new Event.MemberAdded(t.seq++, EngineFixture.TIME, t.group, user));
        }
        t.in = !t.in;
    }
}
