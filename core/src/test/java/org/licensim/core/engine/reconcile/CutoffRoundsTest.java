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
            long[] before = keys.clone();
            assertEquals(sorted[k], CutoffRounds.kthSmallest(keys, present, k), "trial " + trial + ", k " + k);
            assertEquals(Arrays.toString(before), Arrays.toString(keys), "the caller's keys are left as they were");
        }
    }
}
