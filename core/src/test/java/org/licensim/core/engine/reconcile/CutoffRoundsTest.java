package org.licensim.core.engine.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CutoffRoundsTest {
    @Test
    @DisplayName("R11 the cutoff key is the k-th smallest demand key, absent users skipped, duplicates kept")
    void kthSmallestMatchesSorting() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int trial = 0; trial < 2_000; trial++) {
            int n = 1 + rnd.nextInt(200);
            long[] keys = new long[n];
            int present = 0;
            for (int i = 0; i < n; i++) {
                keys[i] = rnd.nextInt(4) == 0 ? CutoffSeats.NONE : (1L << 60) | rnd.nextInt(trial % 2 == 0 ? 10 : 1 << 20);
                present += keys[i] != CutoffSeats.NONE ? 1 : 0;
            }
            if (present == 0) {
                continue;
            }
            long[] sorted = Arrays.stream(keys).filter(k -> k != CutoffSeats.NONE).sorted().toArray();
            int k = rnd.nextInt(present);
            // the rounds gather a product's keys into scratch longer than them, then select in place
            long[] scratch = new long[present + rnd.nextInt(8)];
            Arrays.fill(scratch, present, scratch.length, Long.MIN_VALUE);
            int at = 0;
            for (long key : keys) {
                if (key != CutoffSeats.NONE) {
                    scratch[at++] = key;
                }
            }
            assertEquals(sorted[k], CutoffRounds.select(scratch, present, k), "trial " + trial + ", k " + k);
            long[] kept = Arrays.copyOf(scratch, present);
            Arrays.sort(kept);
            assertEquals(Arrays.toString(sorted), Arrays.toString(kept), "select only reorders the keys it was given");
            for (int i = present; i < scratch.length; i++) {
                assertEquals(Long.MIN_VALUE, scratch[i], "select leaves the scratch past its keys alone");
            }
        }
    }

    @Test
    @DisplayName("R11 a demand's key coded relative to its user decodes to the same key and keeps nothing else")
    void keysRoundTrip() {
        Keys keys = Keys.CODING;
        SplittableRandom rnd = new SplittableRandom(37);
        for (int trial = 0; trial < 10_000; trial++) {
            int u = rnd.nextInt(1 << 24);
            long key = switch (trial % 3) {
                case 0 -> org.licensim.core.state.StateStore.snapshotGroupKey(rnd.nextInt(Integer.MAX_VALUE - 2), u);
                case 1 -> rnd.nextInt(Integer.MAX_VALUE);
                default -> CutoffSeats.NONE;
            };
            int code = keys.code(u, key);
            assertEquals(key, keys.key(u, code), "trial " + trial + ": user " + u + ", key " + key);
            assertEquals(key == CutoffSeats.NONE, code == Keys.NONE, "only the absent key codes as 0");
        }
    }

    @Test
    @DisplayName("R11 a recorder's refusals read back as recorded, in order, across the list's blocks")
    void refusalsReadBackAsRecorded() {
        // given a seeded run of refusals, some lists past one block (1,024 refusals) and some empty
        SplittableRandom rnd = new SplittableRandom(53);
        for (int trial = 0; trial < 20; trial++) {
            int n = trial == 0 ? 0 : rnd.nextInt(5_000);
            int[][] expected = new int[n][];
            Refusals list = new Refusals();
            for (int i = 0; i < n; i++) {
                expected[i] = new int[] {rnd.nextInt(1 << 24), rnd.nextInt(), rnd.nextInt(), rnd.nextInt()};
                list.add(expected[i][0], expected[i][1], expected[i][2], expected[i][3]);
            }
            // then every field of every refusal is the one added, at the position added
            assertEquals(n, list.size(), "trial " + trial);
            assertEquals(n == 0, list.isEmpty(), "trial " + trial);
            for (int i = 0; i < n; i++) {
                assertEquals(expected[i][0], list.user(i), "trial " + trial + ", refusal " + i + ": user");
                assertEquals(expected[i][1], list.first(i), "trial " + trial + ", refusal " + i + ": first check");
                assertEquals(expected[i][2], list.last(i), "trial " + trial + ", refusal " + i + ": last check");
                assertEquals(expected[i][3], list.refused(i), "trial " + trial + ", refusal " + i + ": refused");
            }
        }
    }
}
