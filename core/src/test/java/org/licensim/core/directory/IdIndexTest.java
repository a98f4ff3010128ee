package org.licensim.core.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The id-to-index map of users and groups, against java.util.HashMap through growth and colliding hashes. */
class IdIndexTest {
    @Test
    @DisplayName("every id maps to its index through many growths; unknown ids, and equal hashes of different ids, are told apart")
    void matchesHashMap() {
        IdIndex index = new IdIndex(4);
        Map<String, Integer> expected = new HashMap<>();
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            String id = i % 3 == 0 ? "u" + i : java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8),
                (byte) (i >> 16)}).toString();
            index.put(id, i);
            expected.put(id, i);
        }
        // "Aa" and "BB" have the same String.hashCode: both must be kept apart
        index.put("Aa", 7);
        index.put("BB", 8);
        expected.put("Aa", 7);
        expected.put("BB", 8);
        index.put("u3", 42); // a second put replaces
        expected.put("u3", 42);
        assertEquals(expected.size(), index.size());
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            assertEquals(e.getValue(), index.get(e.getKey(), -1), e.getKey());
        }
        for (int i = 0; i < 10_000; i++) {
            String unknown = "x" + rnd.nextInt();
            assertEquals(-1, index.get(unknown, -1));
            assertFalse(index.contains(unknown));
        }
        // the batch lookup gives what get gives, for known, unknown and colliding ids alike
        java.util.List<String> batch = new java.util.ArrayList<>(expected.keySet());
        for (int i = 0; i < 500; i++) {
            batch.add("x" + rnd.nextInt());
        }
        java.util.Collections.shuffle(batch, new java.util.Random(3));
        int[] out = new int[batch.size()];
        index.getAll(batch, out, -1);
        for (int j = 0; j < batch.size(); j++) {
            assertEquals(index.get(batch.get(j), -1), out[j], batch.get(j));
        }
        // the same batch given as characters, as the snapshot reader passes member ids
        char[] chars = new char[batch.stream().mapToInt(String::length).sum()];
        int[] starts = new int[batch.size()];
        int[] lengths = new int[batch.size()];
        int[] codes = new int[batch.size()];
        int at = 0;
        for (int j = 0; j < batch.size(); j++) {
            String id = batch.get(j);
            id.getChars(0, id.length(), chars, at);
            starts[j] = at;
            lengths[j] = id.length();
            codes[j] = IdIndex.code(chars, at, id.length());
            assertEquals(id.hashCode(), codes[j], id);
            at += id.length();
        }
        int[] byChars = new int[batch.size()];
        index.getAll(chars, starts, lengths, codes, batch.size(), byChars, -1);
        for (int j = 0; j < batch.size(); j++) {
            assertEquals(index.get(batch.get(j), -1), byChars[j], batch.get(j));
        }
        assertTrue(index.contains("Aa") && index.contains("BB"));
        assertEquals(7, index.get("Aa", -1));
        assertEquals(8, index.get("BB", -1));
    }

    @Test
    @DisplayName("getIfAbsentPut gives an id's first value however often it is asked, through growth and colliding hashes")
    void getIfAbsentPutKeepsTheFirstValue() {
        IdIndex index = new IdIndex(2);
        Map<String, Integer> expected = new HashMap<>();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            String v = "v" + rnd.nextInt(30_000);
            int next = expected.size();
            Integer had = expected.putIfAbsent(v, next);
            assertEquals(had == null ? next : had, index.getIfAbsentPut(v, next), v);
        }
        assertEquals(expected.size(), index.size());
        // "Aa" and "BB" have the same String.hashCode
        assertEquals(70, index.getIfAbsentPut("Aa", 70));
        assertEquals(80, index.getIfAbsentPut("BB", 80));
        assertEquals(70, index.getIfAbsentPut("Aa", 71));
        assertEquals(80, index.getIfAbsentPut("BB", 81));
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            assertEquals(e.getValue(), index.get(e.getKey(), -1), e.getKey());
        }
    }

    @Test
    @DisplayName("a batch of getIfAbsentPut (ids new, known, repeated within the batch, equal hashes) gives the values "
            + "and table one call at a time gives; Users.addNewAll the indexes of addNew")
    void batchOfNewIds() {
        SplittableRandom rnd = new SplittableRandom(3);
        IdIndex one = new IdIndex(4);
        IdIndex batch = new IdIndex(4);
        Users usersOne = new Users(4);
        Users usersBatch = new Users(4);
        int next = 0;
        for (int round = 0; round < 200; round++) {
            int n = 1 + rnd.nextInt(700);
            String[] ids = new String[n];
            boolean[] enabled = new boolean[n];
            for (int j = 0; j < n; j++) {
                int pick = rnd.nextInt(10);
                ids[j] = pick == 0 ? "Aa" : pick == 1 ? "BB" : pick == 2 && j > 0 ? ids[rnd.nextInt(j)]
                        : "u" + rnd.nextInt(60_000);
                enabled[j] = rnd.nextBoolean();
            }
            int[] expected = new int[n];
            int added = 0;
            for (int j = 0; j < n; j++) {
                expected[j] = one.getIfAbsentPut(ids[j], next + added);
                added += expected[j] == next + added ? 1 : 0;
            }
            int[] got = new int[n];
            assertEquals(added, batch.getIfAbsentPutAll(ids, n, next, got), "round " + round);
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(got), "round " + round);
            next += added;
            assertEquals(one.size(), batch.size());

            int[] single = new int[n];
            for (int j = 0; j < n; j++) {
                single[j] = usersOne.addNew(ids[j], enabled[j]);
            }
            int[] all = new int[n];
            usersBatch.addNewAll(ids, enabled, n, all);
            assertEquals(java.util.Arrays.toString(single), java.util.Arrays.toString(all), "round " + round);
        }
        assertEquals(usersOne.size(), usersBatch.size());
        assertEquals(usersOne.liveCount(), usersBatch.liveCount());
        for (int u = 0; u < usersOne.size(); u++) {
            assertEquals(usersOne.id(u), usersBatch.id(u));
            assertEquals(usersOne.accountEnabled(u), usersBatch.accountEnabled(u));
            assertEquals(u, usersBatch.indexOf(usersOne.id(u)));
        }
        assertTrue(usersBatch.size() > 1_000, "the batches added users");
    }
    @Test
    @DisplayName("ids added after a count ahead (right, twice too high, far too high, too low) map as without it; "
            + "a count up to twice too high leaves the table its natural size, a wild one at most a few times it")
    void expected() {
        int n = 300_000;
        IdIndex plain = new IdIndex(16);
        for (int u = 0; u < n; u++) {
            plain.put("u" + u, u);
        }
        for (int told : new int[] {n, 2 * n - 1, 20 * n, n / 10}) {
            IdIndex index = new IdIndex(16);
            String[] batch = new String[500];
            int[] out = new int[500];
            for (int from = 0; from < n; from += batch.length) {
                if (from == 2_000) {
                    index.expect(told);
                }
                int k = Math.min(batch.length, n - from);
                for (int j = 0; j < k; j++) {
                    batch[j] = "u" + (from + j);
                }
                assertEquals(k, index.getIfAbsentPutAll(batch, k, from, out), "told " + told);
            }
            for (int u = 0; u < n + 100; u++) {
                assertEquals(u < n ? u : -1, index.get("u" + u, -1), "told " + told + ", id u" + u);
            }
            assertEquals(n, index.size());
            if (told <= 2 * n) {
                assertEquals(plain.capacity(), index.capacity(), "told " + told);
            } else {
                assertTrue(index.capacity() <= 8 * plain.capacity(), "told " + told + ": " + index.capacity());
            }
        }
    }
}
