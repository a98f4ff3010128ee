package org.licensim.core.engine;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.directory.Tenant;
import org.licensim.core.feed.ChangeFeed;
import org.licensim.core.rules.RuleMembership;
import org.licensim.core.state.HeapStateStore;

/**
 * The default reconcile guesses each short product's cutoff from the tenants' demands before
 * phase 1 and keeps the result only when it is a fixed point. The small random tenants of
 * {@link DifferentialTest} reach it too; these are a few hundred times larger, so that cutoffs
 * fall inside groups of hundreds of members, users sit in many groups, and two workers split
 * them, with the same products, conflicts, prerequisites, usage locations and proxy collisions.
 */
class ReconcileByDemandTest {
    private static final String DEMAND = "parallel, seats by cutoffs from demand";

    @Test
    @DisplayName("R11 R12 a reconcile by cutoffs from demand equals the R11 pass and the reference model on 1,000-3,000-user tenants")
    void equalsTheR11Pass() {
        Map<String, Integer> paths = new TreeMap<>();
        int tenants = 0;
        for (long seed = 1; tenants < 24; seed++) {
            DifferentialTest.Scenario s = DifferentialTest.Scenario.generate(seed * 7919, 0, 300);
            Engine byDemand = engine(s.load(), Engine.ShortSeats.DEMAND);
            Engine inOrder = engine(s.load(), Engine.ShortSeats.IN_ORDER);
            paths.merge(byDemand.reconcilePath(), 1, Integer::sum);
            assertNull(DifferentialTest.Scenario.compareById(byDemand, inOrder, "seed " + seed * 7919),
                    "replay: DifferentialTest with -Dlicensim.seed=" + seed * 7919);
            if (tenants % 6 == 0) {
                Tenant forModel = s.load();
                new RuleMembership().applyTo(forModel);
                ReferenceModel model = new ReferenceModel(forModel);
                model.reconcile();
                assertNull(DifferentialTest.Scenario.compare(byDemand, model, "seed " + seed * 7919, null));
            }
            tenants++;
        }
        System.out.println("ReconcileByDemandTest: reconcile paths " + paths);
        assertTrue(paths.getOrDefault(DEMAND, 0) >= 8, "the guess must be taken on most tenants: " + paths);
    }

    private static Engine engine(Tenant t, Engine.ShortSeats strategy) {
        new RuleMembership().applyTo(t);
        Engine e = new Engine(t, new HeapStateStore(), new ChangeFeed(), new RuleMembership());
        e.setShortSeats(strategy);
        e.setReconcileThreads(2);
        e.reconcile();
        return e;
    }
}
