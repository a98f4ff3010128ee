package org.licensim.core.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.licensim.core.directory.Tenant;
import org.licensim.core.io.SnapshotReader;
import org.roaringbitmap.RoaringBitmap;

/**
 * One contract over every member of the store family (docs/STORE.md): what is written is read
 * back exactly, whatever the order of writes, rewrites, removals, bulk loads and commits; and
 * each store says truly what it can do (totals, concurrent reads, source). A new store joins by
 * adding a line to {@link #stores()}.
 */
class StateStoreContractTest {
    private static final StoreSource SOURCE = new StoreSource("contract.json", "00ff");
    private static final Tenant TENANT = SnapshotReader.withDefaults().read(Path.of("../examples/contoso-small.json"));

    /** A store kind: how to make one in a directory, and what it must say it can do. */
    record Kind(String name, BiFunction<Path, Tenant, StateStore> make, boolean totals, boolean concurrent, boolean source) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> stores() {
        BiFunction<Path, Tenant, StateStore> persisted = (dir, t) ->
                ChronicleStateStore.create(dir.resolve("store"), t, SOURCE, ChronicleStateStore.Sizing.of(t));
        return Stream.of(
                new Kind("heap", (dir, t) -> new HeapStateStore(), false, true, false),
                new Kind("tallied heap", (dir, t) -> new TalliedStore(new HeapStateStore()), true, true, false),
                new Kind("persisted", persisted, false, false, true),
                new Kind("tallied persisted", (dir, t) -> new TalliedStore(persisted.apply(dir, t)), true, false, true))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    @DisplayName("A store says what it can do: totals only when tallied, concurrent reads, its source when persisted")
    void capabilities(Kind kind, @TempDir Path dir) {
        try (StateStore s = kind.make().apply(dir, TENANT)) {
            assertEquals(kind.totals(), s.totals().isPresent(), "totals");
            assertEquals(kind.concurrent(), s.concurrentReads(), "concurrent reads");
            assertEquals(kind.source() ? Optional.of(SOURCE) : Optional.empty(), s.source(), "source");
            s.commit(-1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    @DisplayName("What is written is read back exactly through writes, rewrites, removals, a bulk load and commits (seeded)")
    void readsWhatWasWritten(Kind kind, @TempDir Path dir) {
        Random r = new Random(20_26_12_04L);
        Map<Integer, int[]> model = new HashMap<>();
        int highest = -1;
        try (StateStore s = kind.make().apply(dir, TENANT)) {
            // a reconcile's bulk load first, of users 0..199
            s.prepareBulkLoad(200);
            int[] data = new int[200 * 4 * StateStore.ENTRY_INTS];
            int[] index = new int[3 * 200];
            int at = 0;
            int n = 0;
            for (int u = 0; u < 200; u++) {
                int[] es = entries(r, u, 1 + r.nextInt(3));
                System.arraycopy(es, 0, data, at, es.length);
                index[3 * n] = u;
                index[3 * n + 1] = at;
                index[3 * n + 2] = es.length / StateStore.ENTRY_INTS;
                at += es.length;
                n++;
                model.put(u, es);
                highest = u;
            }
            s.bulkLoad(data, index, n);
            s.commit(-1);
            check(s, model, highest, kind);
            // then events: rewrites that grow and shrink, removals, new users, at an offset, commits between
            int[] padded = new int[64 * StateStore.ENTRY_INTS];
            for (int step = 0; step < 3_000; step++) {
                int u = r.nextInt(300);
                int count = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(r.nextInt(8) == 0 ? 12 : 3);
                int[] es = entries(r, u, count);
                int offset = r.nextInt(4) * StateStore.ENTRY_INTS;
                System.arraycopy(es, 0, padded, offset, es.length);
                s.write(u, padded, offset, count);
                if (count == 0) {
                    model.remove(u);
                } else {
                    model.put(u, es);
                }
                highest = Math.max(highest, u);
                if (r.nextInt(50) == 0) {
                    s.commit(step);
                    check(s, model, highest, kind);
                }
            }
            s.commit(3_000);
            check(s, model, highest, kind);
        }
    }

    /** Every user reads back as the model says; users() is one past the highest written; a tally equals a recount. */
    private static void check(StateStore s, Map<Integer, int[]> model, int highest, Kind kind) {
        assertEquals(highest + 1, s.users(), kind + ": users()");
        int[] got = new int[64 * StateStore.ENTRY_INTS];
        for (int u = 0; u <= highest + 5; u++) {
            int[] want = model.getOrDefault(u, new int[0]);
            int n = want.length / StateStore.ENTRY_INTS;
            assertEquals(n, s.count(u), kind + ": count of user " + u);
            assertEquals(n, s.read(u, got), kind + ": read of user " + u);
            assertArrayEquals(want, Arrays.copyOf(got, want.length), kind + ": entries of user " + u);
        }
        s.totals().ifPresent(t -> {
            int products = TENANT.subscriptions().size();
            long[] byError = new long[States.errorCount()];
            RoaringBitmap notAllActive = new RoaringBitmap();
            for (int p = 0; p < products; p++) {
                int inError = 0;
                int waiting = 0;
                for (Map.Entry<Integer, int[]> e : model.entrySet()) {
                    boolean err = false;
                    boolean waits = false;
                    int[] es = e.getValue();
                    for (int i = 0; i < es.length; i += StateStore.ENTRY_INTS) {
                        int st = es[i + StateStore.STATE];
                        if (p == 0) {
                            byError[States.error(st)]++;
                            if (st != States.pack(States.ACTIVE, States.NONE)) {
                                notAllActive.add(e.getKey());
                            }
                        }
                        if (es[i + StateStore.PRODUCT] == p && States.state(st) == States.ERROR) {
                            err = true;
                            waits |= States.error(st) == States.COUNT_VIOLATION;
                        }
                    }
                    inError += err ? 1 : 0;
                    waiting += waits ? 1 : 0;
                }
                assertEquals(inError, t.usersInError(p), kind + ": users in error of product " + p);
                assertEquals(waiting, t.usersWaiting(p), kind + ": users waiting for product " + p);
            }
            assertArrayEquals(byError, t.sourcesByError(), kind + ": sources by error");
            assertEquals(notAllActive, t.usersNotAllActive(), kind + ": users not all Active");
        });
        assertTrue(s.users() >= 0);
    }

    private static final int[] STATES = {
        States.pack(States.ACTIVE, States.NONE), States.pack(States.ACTIVE, States.NONE),
        States.pack(States.ACTIVE_WITH_ERROR, States.MUTUALLY_EXCLUSIVE_VIOLATION),
        States.pack(States.ERROR, States.COUNT_VIOLATION), States.pack(States.ERROR, States.DEPENDENCY_VIOLATION)};

    /** {@code count} random entries of user {@code u}: products, sources, plan masks of the tenant, states, keys, times. */
    private static int[] entries(Random r, int u, int count) {
        int products = TENANT.subscriptions().size();
        int groups = TENANT.groups().size();
        int[] es = new int[count * StateStore.ENTRY_INTS];
        for (int i = 0; i < count; i++) {
            int t = r.nextInt(products);
            int src = r.nextBoolean() ? StateStore.direct(t) : r.nextInt(groups);
            int plans = TENANT.subscriptions().product(t).plans().length;
            long[] words = new long[TENANT.subscriptions().words(t)];
            for (int k = 0; k < plans; k++) {
                if (r.nextInt(5) > 0) {
                    words[k >>> 6] |= 1L << k;
                }
            }
            int mask = TENANT.masks().intern(t, words);
            long key = r.nextInt(4) == 0 && src >= 0 ? StateStore.snapshotGroupKey(src, u) : StateStore.eventKey(1 + r.nextInt(1 << 20), i);
            int time = r.nextInt(3) == 0 ? StateStore.NO_TIME : r.nextInt(1 << 30);
            StateStore.put(es, i * StateStore.ENTRY_INTS, src, t, mask, STATES[r.nextInt(STATES.length)], key, time);
        }
        return es;
    }
}
