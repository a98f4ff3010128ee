package org.licensim.core.engine.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.BitmapContainer;
import org.roaringbitmap.Container;
import org.roaringbitmap.RoaringBitmap;

class SequentialCutoffsTest {
    @Test
    @DisplayName("R11 a group's seat check of a given rank merges, in user order, its members no earlier source holds with the special users that check, across 65,536-user blocks")
    void nthCheckMergesPlainAndSpecialChecksInUserOrder() {
        SplittableRandom rnd = new SplittableRandom(41);
        int users = 5 * 65_536;
        for (int trial = 0; trial < 60; trial++) {
            // a group as sparse (array containers) or dense (bitsets) as the trial says; each member is
            // a plain user seen before, a plain user with a new demand, a special user that checks or one that does not
            int every = trial % 3 == 0 ? 3 : 40;
            RoaringBitmap group = new RoaringBitmap();
            Container[] earlier = new Container[users >>> 16];
            for (int k = 0; k < earlier.length; k++) {
                earlier[k] = new BitmapContainer();
            }
            for (int u = rnd.nextInt(7); u < users; u += 1 + rnd.nextInt(every)) {
                group.add(u);
            }
            group.runOptimize();
            IntArrayList checks = new IntArrayList();
            int count = 0;
            int[] order = new int[group.getCardinality()];
            for (int u : group) {
                int kind = rnd.nextInt(4);
                if (kind >= 2) {
                    // special users are in the union before the group, whether they check or not
                    earlier[u >>> 16] = earlier[u >>> 16].add((char) u);
                }
                if (kind == 0) {
                    earlier[u >>> 16] = earlier[u >>> 16].add((char) u);
                } else if (kind == 1) {
                    order[count++] = u;
                } else if (kind == 2) {
                    checks.add(u);
                    order[count++] = u;
                }
            }
            for (int probe = 0; probe < 20; probe++) {
                int rank = probe == 0 ? count - 1 : probe == 1 ? 0 : rnd.nextInt(count);
                assertEquals(order[rank], SequentialCutoffs.nthCheck(group, earlier, checks, rank),
                        "trial " + trial + ", rank " + rank);
            }
        }
    }
}
