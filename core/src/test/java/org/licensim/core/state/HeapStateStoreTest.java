package org.licensim.core.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The heap store's own behaviour beside the family's contract ({@link StateStoreContractTest}). */
class HeapStateStoreTest {
    private static int[] entries(int n, int seed) {
        int[] es = new int[n * StateStore.ENTRY_INTS];
        for (int i = 0; i < n; i++) {
            StateStore.put(es, i * StateStore.ENTRY_INTS, StateStore.direct(i), i, seed, States.pack(States.ACTIVE, 0),
                    StateStore.eventKey(seed, i), seed + i);
        }
        return es;
    }

    @Test
    @DisplayName("Users that outgrow their slots move and the slab is compacted, and every user still reads what it was last given")
    void outgrowingAndCompaction() {
        HeapStateStore s = new HeapStateStore();
        int[] got = new int[64 * StateStore.ENTRY_INTS];
        for (int round = 1; round <= 6; round++) {
            for (int u = 0; u < 2_000; u++) {
                s.write(u, entries(round, u + round), round);
            }
        }
        // half the users shrink: their slots stay, the others' old slots became garbage and were compacted away
        for (int u = 0; u < 2_000; u += 2) {
            s.write(u, entries(1, u), 1);
        }
        for (int u = 0; u < 2_000; u++) {
            int n = u % 2 == 0 ? 1 : 6;
            int[] want = u % 2 == 0 ? entries(1, u) : entries(6, u + 6);
            assertEquals(n, s.read(u, got));
            assertArrayEquals(want, Arrays.copyOf(got, want.length), "user " + u);
        }
        // 2,000 users x at most 6 entries of 7 ints, less than twice that once compacted (slots double at most)
        assertTrue(s.bytes() < 4L * 2 * 2_000 * 6 * StateStore.ENTRY_INTS * 2 + 13L * 4_096, "bytes " + s.bytes());
    }

    @Test
    @DisplayName("A bulk load adopts the reconcile's array; a user of it that grows moves to the slab, the others stay")
    void bulkLoadAdopts() {
        HeapStateStore s = new HeapStateStore();
        int[] data = new int[3 * 2 * StateStore.ENTRY_INTS];
        System.arraycopy(entries(2, 7), 0, data, 0, 2 * StateStore.ENTRY_INTS);
        System.arraycopy(entries(2, 8), 0, data, 2 * StateStore.ENTRY_INTS, 2 * StateStore.ENTRY_INTS);
        System.arraycopy(entries(2, 9), 0, data, 4 * StateStore.ENTRY_INTS, 2 * StateStore.ENTRY_INTS);
        s.prepareBulkLoad(3);
        s.bulkLoad(data, new int[] {0, 0, 2, 1, 2 * StateStore.ENTRY_INTS, 2, 2, 4 * StateStore.ENTRY_INTS, 2}, 3);
        s.write(1, entries(5, 11), 5);
        int[] got = new int[64 * StateStore.ENTRY_INTS];
        assertEquals(2, s.read(0, got));
        assertArrayEquals(entries(2, 7), Arrays.copyOf(got, 2 * StateStore.ENTRY_INTS));
        assertEquals(5, s.read(1, got));
        assertArrayEquals(entries(5, 11), Arrays.copyOf(got, 5 * StateStore.ENTRY_INTS));
        assertEquals(2, s.read(2, got));
        assertArrayEquals(entries(2, 9), Arrays.copyOf(got, 2 * StateStore.ENTRY_INTS));
        assertEquals(3, s.users());
    }

    @Test
    @DisplayName("Several outputs loaded at once, their users filled from two threads, read back as one bulk load each would give")
    void bulkLoadAllFromTwoThreads() {
        HeapStateStore s = new HeapStateStore();
        int[][] data = new int[2][];
        int[][] index = new int[2][];
        int[] n = new int[2];
        // output 0: users 0 (1 entry) and 3 (2 entries); output 1: users 5 (3 entries) and 9 (1 entry)
        int[][] users = {{0, 3}, {5, 9}};
        int[][] counts = {{1, 2}, {3, 1}};
        for (int w = 0; w < 2; w++) {
            data[w] = new int[(counts[w][0] + counts[w][1]) * StateStore.ENTRY_INTS];
            index[w] = new int[6];
            int at = 0;
            for (int i = 0; i < 2; i++) {
                System.arraycopy(entries(counts[w][i], 100 + users[w][i]), 0, data[w], at, counts[w][i] * StateStore.ENTRY_INTS);
                index[w][3 * i] = users[w][i];
                index[w][3 * i + 1] = at;
                index[w][3 * i + 2] = counts[w][i];
                at += counts[w][i] * StateStore.ENTRY_INTS;
            }
            n[w] = 2;
        }
        s.prepareBulkLoad(12);
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        s.bulkLoadAll(data, index, n, worker -> {
            Thread other = new Thread(() -> {
                threads.add(Thread.currentThread().getName());
                worker.accept(1);
            }, "second");
            other.start();
            threads.add(Thread.currentThread().getName());
            worker.accept(0);
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(2, threads.size(), "the outputs were filled on two threads");
        int[] got = new int[64 * StateStore.ENTRY_INTS];
        assertReads(s, users, counts, got);
        assertEquals(0, s.count(4));
        assertEquals(10, s.users(), "one past the highest user loaded, as one bulk load at a time leaves it");
        // a loaded user that grows moves to the slab; its neighbours in the same output stay
        s.write(5, entries(6, 7), 6);
        assertEquals(6, s.read(5, got));
        assertArrayEquals(entries(6, 7), Arrays.copyOf(got, 6 * StateStore.ENTRY_INTS));
        assertEquals(1, s.read(9, got));
        assertArrayEquals(entries(1, 109), Arrays.copyOf(got, StateStore.ENTRY_INTS));
    }

    @Test
    @DisplayName("A reconcile's workers place their users in the store's index themselves: adopted, the store reads as a bulk load of the same outputs")
    void bulkIndexPlacedByWorkers() {
        HeapStateStore s = new HeapStateStore();
        BulkIndex index = s.bulkIndex(12, 2);
        // worker 0: users 0 (1 entry) and 3 (2 entries); worker 1: users 5 (3 entries) and 9 (1 entry)
        int[][] users = {{0, 3}, {5, 9}};
        int[][] counts = {{1, 2}, {3, 1}};
        int[][] data = new int[2][];
        for (int w = 0; w < 2; w++) {
            data[w] = new int[(counts[w][0] + counts[w][1] + 1) * StateStore.ENTRY_INTS];
            int at = 0;
            for (int i = 0; i < 2; i++) {
                System.arraycopy(entries(counts[w][i], 100 + users[w][i]), 0, data[w], at, counts[w][i] * StateStore.ENTRY_INTS);
                index.place(users[w][i], at, counts[w][i], index.id(w));
                at += counts[w][i] * StateStore.ENTRY_INTS;
            }
        }
        assertEquals(0, s.users(), "nothing is readable before the outputs are adopted");
        index.adopt(data, 9);
        int[] got = new int[64 * StateStore.ENTRY_INTS];
        assertReads(s, users, counts, got);
        assertEquals(0, s.count(4));
        assertEquals(10, s.users());
        // a placed user that grows moves to the slab; its neighbour in the same output stays
        s.write(3, entries(4, 8), 4);
        assertEquals(4, s.read(3, got));
        assertArrayEquals(entries(4, 8), Arrays.copyOf(got, 4 * StateStore.ENTRY_INTS));
        assertEquals(1, s.read(0, got));
        assertArrayEquals(entries(1, 100), Arrays.copyOf(got, StateStore.ENTRY_INTS));
        assertThrows(IllegalStateException.class, () -> index.adopt(data, 9), "an index is adopted once");
        assertNull(s.bulkIndex(12, 2), "a store that holds users takes its outputs through bulkLoadAll");
    }

    @Test
    @DisplayName("R10 R11 users placed by reference read as the entries their groups give (product, mask, Active or CountViolation, snapshot key); a write replaces them, others stay")
    void placedByReference() {
        HeapStateStore s = new HeapStateStore();
        BulkIndex index = s.bulkIndex(10, 2);
        // groups 0-4: group g licenses product 10 + g with plan mask 50 + g (group 2 licenses nothing)
        int[] product = {10, 11, -1, 13, 14};
        int[] mask = {50, 51, 0, 53, 54};
        int e = StateStore.ENTRY_INTS;
        // worker 0: user 1 by reference (groups 0, 3; 3 refused), user 4 written whole (2 entries);
        // worker 1: user 6 by reference (group 4), user 8 by reference (groups 1, 3, 4; 1 refused)
        int[][] data = new int[2][];
        data[0] = new int[2 + 2 * e + 3];
        data[0][0] = 0 << 1;
        data[0][1] = 3 << 1 | 1;
        index.placeByReference(1, 0, 2, index.id(0));
        System.arraycopy(entries(2, 104), 0, data[0], 2, 2 * e);
        index.place(4, 2, 2, index.id(0));
        data[1] = new int[] {4 << 1, 1 << 1 | 1, 3 << 1, 4 << 1, 0};
        index.placeByReference(6, 0, 1, index.id(1));
        index.placeByReference(8, 1, 3, index.id(1));
        index.adopt(data, 8, product, mask, 3);
        // what the reconcile gave the store is the store's copy: changing the caller's arrays changes nothing
        product[3] = 99;
        mask[3] = 99;

        int active = States.pack(States.ACTIVE, States.NONE);
        int refused = States.pack(States.ERROR, States.COUNT_VIOLATION);
        int[] got = new int[64 * e];
        assertEquals(3, s.storedByReference());
        assertEquals(9, s.users());
        assertEquals(2, s.count(1));
        assertEquals(2, s.read(1, got));
        assertArrayEquals(groupEntries(1, new int[][] {{0, 10, 50, active}, {3, 13, 53, refused}}),
                Arrays.copyOf(got, 2 * e));
        assertEquals(2, s.read(4, got));
        assertArrayEquals(entries(2, 104), Arrays.copyOf(got, 2 * e));
        assertEquals(1, s.read(6, got));
        assertArrayEquals(groupEntries(6, new int[][] {{4, 14, 54, active}}), Arrays.copyOf(got, e));
        assertEquals(3, s.read(8, got));
        int[] user8 = groupEntries(8, new int[][] {{1, 11, 51, refused}, {3, 13, 53, active}, {4, 14, 54, active}});
        assertArrayEquals(user8, Arrays.copyOf(got, 3 * e));
        assertEquals(0, s.read(7, got));

        // a write replaces a user stored by reference, fewer entries or more; nothing else moves
        s.write(1, entries(1, 21), 1);
        assertEquals(1, s.read(1, got));
        assertArrayEquals(entries(1, 21), Arrays.copyOf(got, e));
        s.write(6, entries(4, 26), 4);
        assertEquals(4, s.read(6, got));
        assertArrayEquals(entries(4, 26), Arrays.copyOf(got, 4 * e));
        s.write(6, entries(3, 27), 3);
        assertEquals(3, s.read(6, got));
        assertArrayEquals(entries(3, 27), Arrays.copyOf(got, 3 * e));
        assertEquals(3, s.read(8, got));
        assertArrayEquals(user8, Arrays.copyOf(got, 3 * e));
        // written with no entries, then again: read as written each time
        s.write(8, entries(0, 0), 0);
        assertEquals(0, s.count(8));
        assertEquals(0, s.read(8, got));
        s.write(8, entries(2, 28), 2);
        assertEquals(2, s.read(8, got));
        assertArrayEquals(entries(2, 28), Arrays.copyOf(got, 2 * e));
        assertEquals(2, s.read(4, got));
        assertArrayEquals(entries(2, 104), Arrays.copyOf(got, 2 * e));
    }

    @Test
    @DisplayName("Users placed by reference with no groups' products and masks given are refused when adopted")
    void placedByReferenceNeedsTheGroups() {
        HeapStateStore s = new HeapStateStore();
        BulkIndex index = s.bulkIndex(4, 1);
        index.placeByReference(0, 0, 1, index.id(0));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> index.adopt(new int[][] {{0}}, 0, null, null, 1));
        assertEquals("users placed by reference need the groups' products and masks", e.getMessage());
    }

    /** Entries of user {@code u} from groups: each row (group, product, mask, packed state), snapshot key, no time. */
    private static int[] groupEntries(int u, int[][] rows) {
        int[] es = new int[rows.length * StateStore.ENTRY_INTS];
        for (int i = 0; i < rows.length; i++) {
            int[] r = rows[i];
            StateStore.put(es, i * StateStore.ENTRY_INTS, r[0], r[1], r[2], r[3], StateStore.snapshotGroupKey(r[0], u),
                    StateStore.NO_TIME);
        }
        return es;
    }

    @Test
    @DisplayName("A reconcile's bulk index keeps no slot sizes (9 bytes per user, not 13); a placed user rewritten with fewer entries, then more, reads as written")
    void bulkIndexWithoutSlotSizes() {
        HeapStateStore s = new HeapStateStore();
        int users = 100_000;
        BulkIndex index = s.bulkIndex(users, 1);
        int e = StateStore.ENTRY_INTS;
        int[] data = new int[5 * e];
        System.arraycopy(entries(3, 40), 0, data, 0, 3 * e);
        index.place(7, 0, 3, index.id(0));
        System.arraycopy(entries(2, 41), 0, data, 3 * e, 2 * e);
        index.place(8, 3 * e, 2, index.id(0));
        index.adopt(new int[][] {data}, 8);
        assertTrue(s.bytes() < 10L * users, "the index of " + users + " users takes " + s.bytes() + " bytes");
        int[] got = new int[8 * e];
        s.write(7, entries(1, 50), 1);
        assertEquals(1, s.read(7, got));
        assertArrayEquals(entries(1, 50), Arrays.copyOf(got, e));
        s.write(7, entries(3, 51), 3);
        assertEquals(3, s.read(7, got));
        assertArrayEquals(entries(3, 51), Arrays.copyOf(got, 3 * e));
        assertEquals(2, s.read(8, got), "the next user in the same output is untouched");
        assertArrayEquals(entries(2, 41), Arrays.copyOf(got, 2 * e));
        s.write(8, entries(2, 52), 2);
        assertEquals(2, s.read(8, got));
        assertArrayEquals(entries(2, 52), Arrays.copyOf(got, 2 * e));
        assertEquals(3, s.read(7, got));
        assertArrayEquals(entries(3, 51), Arrays.copyOf(got, 3 * e));
    }

    @Test
    @DisplayName("A bulk index abandoned (the reconcile's guess failed) leaves the store empty, and a later bulk load reads as on a fresh store")
    void bulkIndexAbandoned() {
        HeapStateStore s = new HeapStateStore();
        BulkIndex index = s.bulkIndex(8, 2);
        index.place(2, 0, 3, index.id(0));
        index.place(6, 0, 1, index.id(1));
        index.abandon();
        assertEquals(0, s.users());
        assertEquals(0, s.count(2));
        assertEquals(0, s.count(6));
        s.prepareBulkLoad(8);
        s.bulkLoadAll(new int[][] {entries(1, 5)}, new int[][] {{5, 0, 1}}, new int[] {1}, worker -> worker.accept(0));
        int[] got = new int[8 * StateStore.ENTRY_INTS];
        assertEquals(0, s.read(2, got), "user 2 placed then abandoned");
        assertEquals(1, s.read(5, got));
        assertArrayEquals(entries(1, 5), Arrays.copyOf(got, StateStore.ENTRY_INTS));
        assertEquals(6, s.users());
        assertNull(s.bulkIndex(8, 1), "a store with users has no bulk index to give");
    }

    @Test
    @DisplayName("More than 127 bulk loads, or more entries than an int slab holds, is refused with what to use instead")
    void limits() {
        HeapStateStore s = new HeapStateStore();
        for (int i = 0; i < 127; i++) {
            s.bulkLoad(entries(1, i), new int[] {i, 0, 1}, 1);
        }
        IllegalStateException loads = assertThrows(IllegalStateException.class,
                () -> s.bulkLoad(entries(1, 0), new int[] {200, 0, 1}, 1));
        assertEquals("at most 127 bulk loads into one store", loads.getMessage());
        IllegalStateException big = assertThrows(IllegalStateException.class, () -> s.reserve(10, 400_000_000L));
        assertTrue(big.getMessage().endsWith("entries; use the persisted store for more"), big.getMessage());
    }

    /** Each of {@code users[w][i]} reads back its {@code counts[w][i]} entries, made by {@link #entries} from 100 + its number. */
    private static void assertReads(HeapStateStore s, int[][] users, int[][] counts, int[] got) {
        for (int w = 0; w < users.length; w++) {
            for (int i = 0; i < users[w].length; i++) {
                int c = counts[w][i];
                assertEquals(c, s.read(users[w][i], got), "user " + users[w][i]);
                assertArrayEquals(entries(c, 100 + users[w][i]), Arrays.copyOf(got, c * StateStore.ENTRY_INTS));
            }
        }
    }
}
