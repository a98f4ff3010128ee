package org.licensim.core.engine;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.reconcile.ReconcilePath;
import org.licensim.core.engine.reconcile.ShortSeats;
import org.licensim.core.feed.ChangeFeed;
import org.licensim.core.rules.RuleMembership;
import org.licensim.core.state.HeapStateStore;

/**
 * Each way of settling a reconcile's short seats, held against the plain R11 pass
 * ({@link ShortSeats#IN_ORDER}) and the reference model. The small random tenants of
 * {@link DifferentialTest} reach every strategy too; these are a few hundred times larger, so
 * that cutoffs fall inside groups of hundreds of members, users sit in many groups, and two
 * workers split them, with the same products, conflicts, prerequisites, usage locations and
 * proxy collisions. Each test also asserts that its strategy itself settled on enough tenants,
 * so that a fallback cannot stand in for it unnoticed.
 */
class SeatStrategyTest {
    @Test
    @DisplayName("R11 R12 a reconcile by cutoffs from demand, and by rounds from them, equals the R11 pass and the reference model on 1,000-3,000-user tenants")
    void demandCutoffsEqualTheR11Pass() {
        Map<ReconcilePath, Integer> paths = compareWithR11Pass(ShortSeats.DEMAND, 24, 7919);
        assertTrue(paths.getOrDefault(ReconcilePath.DEMAND_CUTOFFS, 0) >= 8, "the guess must be taken on most tenants: " + paths);
        assertTrue(paths.getOrDefault(ReconcilePath.DEMAND_ROUNDS, 0) >= 3, "where other refusals make the guess wrong, "
                + "the rounds from it must settle on some tenants: " + paths);
    }

    @Test
    @DisplayName("R11 R12 a reconcile by cutoff rounds equals the R11 pass and the reference model on 1,000-3,000-user tenants")
    void cutoffRoundsEqualTheR11Pass() {
        Map<ReconcilePath, Integer> paths = compareWithR11Pass(ShortSeats.CUTOFF, 12, 104729);
        assertTrue(paths.getOrDefault(ReconcilePath.CUTOFF_ROUNDS, 0) >= 3, "cutoff rounds must settle on some tenants: "
                + paths);
    }

    @Test
    @DisplayName("R11 R12 a reconcile that replays the contended users equals the R11 pass and the reference model on 1,000-3,000-user tenants")
    void contendedReplayEqualsTheR11Pass() {
        Map<ReconcilePath, Integer> paths = compareWithR11Pass(ShortSeats.REPLAY, 18, 15485863);
        assertTrue(paths.getOrDefault(ReconcilePath.CONTENDED_REPLAY, 0) >= 3, "the replay must settle on some tenants: "
                + paths);
    }

    /** Reconciles {@code tenants} generated tenants with {@code strategy} and with the R11 pass; returns the paths taken. */
    private static Map<ReconcilePath, Integer> compareWithR11Pass(ShortSeats strategy, int tenants, long prime) {
        Map<ReconcilePath, Integer> paths = new TreeMap<>();
        for (int n = 0; n < tenants; n++) {
            long seed = (n + 1) * prime;
            DifferentialTest.Scenario s = DifferentialTest.Scenario.generate(seed, 0, 300);
            Engine fast = engine(s.load(), strategy);
            Engine inOrder = engine(s.load(), ShortSeats.IN_ORDER);
            paths.merge(fast.reconcilePath(), 1, Integer::sum);
            assertNull(DifferentialTest.Scenario.compareById(fast, inOrder, strategy + ", seed " + seed),
                    "replay: DifferentialTest with -Dlicensim.seed=" + seed);
            if (n % 6 == 0) {
                Tenant forModel = s.load();
                new RuleMembership().applyTo(forModel);
                ReferenceModel model = new ReferenceModel(forModel);
                model.reconcile();
                assertNull(DifferentialTest.Scenario.compare(fast, model, strategy + ", seed " + seed, null));
            }
        }
        System.out.println("SeatStrategyTest " + strategy + ": reconcile paths " + paths);
        return paths;
    }

    private static Engine engine(Tenant t, ShortSeats strategy) {
        new RuleMembership().applyTo(t);
        Engine e = new Engine(t, new HeapStateStore(), new ChangeFeed(), new RuleMembership());
        e.setShortSeats(strategy);
        e.setReconcileThreads(2);
        e.reconcile();
        return e;
    }
}
