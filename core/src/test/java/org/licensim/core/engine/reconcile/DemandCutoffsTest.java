package org.licensim.core.engine.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.BitmapContainer;
import org.roaringbitmap.Container;
import org.roaringbitmap.RoaringBitmap;

class DemandCutoffsTest {
    @Test
    @DisplayName("R11 phase 0's cutoff member is the group's member of that rank among those no earlier group holds, across 65,536-user blocks")
    void newMemberIsTheRankAmongTheUnseen() {
        SplittableRandom rnd = new SplittableRandom(37);
        int users = 5 * 65_536;
        for (int trial = 0; trial < 60; trial++) {
            // a group as sparse (array containers) or dense (bitsets) as the trial says, and a union of earlier groups
            int every = trial % 3 == 0 ? 3 : 40;
            RoaringBitmap group = new RoaringBitmap();
            Container[] before = new Container[users >>> 16];
            for (int k = 0; k < before.length; k++) {
                before[k] = new BitmapContainer();
            }
            for (int u = rnd.nextInt(7); u < users; u += 1 + rnd.nextInt(every)) {
                group.add(u);
            }
            group.runOptimize();
            int unseen = 0;
            int[] order = new int[group.getCardinality()];
            for (int u : group) {
                if (rnd.nextInt(3) == 0) {
                    before[u >>> 16] = before[u >>> 16].add((char) u);
                } else {
                    order[unseen++] = u;
                }
            }
            for (int probe = 0; probe < 20; probe++) {
                int rank = probe == 0 ? unseen - 1 : rnd.nextInt(unseen);
                assertEquals(order[rank], DemandCutoffs.newMember(group, before, rank), "trial " + trial + ", rank " + rank);
            }
        }
    }
}
