package org.licensim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertTrue(paths.getOrDefault(ReconcilePath.SEQUENTIAL_CUTOFFS, 0) >= 3, "where they can, the cutoffs of the "
                + "R11 pass over the members must settle some of those: " + paths);
    }

    @Test
    @DisplayName("R11 R13 R15 R16 where conflicts, usage locations and proxy collisions refuse demands, the cutoffs of the R11 pass over the members settle every tenant of one-product groups and equal the R11 pass")
    void sequentialCutoffsSettleWhereRulesRefuse() {
        Map<ReconcilePath, Integer> paths = new TreeMap<>();
        int byReference = 0;
        for (int n = 0; n < 16; n++) {
            long seed = (n + 1) * 6_700_417L;
            DifferentialTest.Scenario s = rulesRefuse(seed);
            Engine fast = engine(s.load(), ShortSeats.DEMAND);
            Engine inOrder = engine(s.load(), ShortSeats.IN_ORDER);
            paths.merge(fast.reconcilePath(), 1, Integer::sum);
            assertNull(DifferentialTest.Scenario.compareById(fast, inOrder, "rules refuse, seed " + seed));
            // a cutoff the walk got wrong (a conflict, a location or a collision ignored) is no fixed point: the rounds would settle
            assertEquals(ReconcilePath.SEQUENTIAL_CUTOFFS, fast.reconcilePath(), "seed " + seed);
            // the users no rule but seats can refuse take phase 1's lean path, stored by reference
            byReference += ((HeapStateStore) fast.store()).storedByReference() > 0 ? 1 : 0;
            if (n % 4 == 0) {
                Tenant forModel = s.load();
                new RuleMembership().applyTo(forModel);
                ReferenceModel model = new ReferenceModel(forModel);
                model.reconcile();
                assertNull(DifferentialTest.Scenario.compare(fast, model, "rules refuse, seed " + seed, null));
            }
        }
        System.out.println("SeatStrategyTest rules refuse: reconcile paths " + paths);
        assertEquals(16, byReference, "every tenant stores its plain users by reference");
    }

    /**
     * A tenant where rules other than seats refuse group demands, every group licensing one
     * product or none: Office 365 E1 beside Office 365 E3 and Microsoft 365 E3 (their plans
     * conflict, R13), the calling plan with users in India (prohibited there, R15), proxy
     * addresses shared by a few users (R16, Exchange plans), a few direct licences; seats short.
     */
    static DifferentialTest.Scenario rulesRefuse(long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        String[] products = {"STANDARDPACK", "ENTERPRISEPACK", "SPE_E3", "EMS", "MCOPSTN1"};
        int users = 1_000 + rnd.nextInt(2_000);
        int groups = 8 + rnd.nextInt(20);
        StringBuilder sb = new StringBuilder("{\"evaluatedAt\": \"2026-01-01T00:00:00Z\", \"tenant\": {\"id\": \"t\", "
                + "\"countryLetterCode\": \"US\", \"autoReprocess\": " + rnd.nextBoolean() + "}, \"subscribedSkus\": [");
        for (int p = 0; p < products.length; p++) {
            int seats = users * (15 + rnd.nextInt(90)) / 100;
            sb.append(p > 0 ? "," : "").append("{\"skuPartNumber\": \"").append(products[p])
                    .append("\", \"prepaidUnits\": {\"enabled\": ").append(seats).append("}}");
        }
        sb.append("], \"users\": [");
        boolean[] located = new boolean[users];
        for (int u = 0; u < users; u++) {
            String c = new String[] {"US", "US", "IN", null}[rnd.nextInt(4)];
            located[u] = c != null;
            sb.append(u > 0 ? "," : "").append("{\"id\": \"u").append(u).append("\", \"usageLocation\": ")
                    .append(c == null ? "null" : "\"" + c + "\"").append(", \"proxyAddresses\": [\"SMTP:u").append(u)
                    .append("@x.example\"").append(u % 50 < 2 ? ", \"smtp:shared" + u / 50 + "@x.example\"" : "")
                    .append("]}");
        }
        appendGroups(sb, groups, users, rnd);
        sb.append("], \"assignments\": [");
        boolean first = true;
        for (int g = 0; g < groups; g++) {
            if (rnd.nextInt(8) == 0) {
                continue;
            }
            sb.append(first ? "" : ",").append("{\"groupId\": \"g").append(g).append("\", \"skuId\": \"")
                    .append(products[rnd.nextInt(products.length)]).append("\", \"disabledPlans\": []}");
            first = false;
        }
        // a direct licence needs a usage location (R15, R24)
        for (int u = 0; u < users; u += 10 + rnd.nextInt(40)) {
            if (!located[u]) {
                continue;
            }
            sb.append(first ? "" : ",").append("{\"userId\": \"u").append(u).append("\", \"skuId\": \"")
                    .append(products[rnd.nextInt(products.length)]).append("\", \"disabledPlans\": []}");
            first = false;
        }
        sb.append("]}");
        return new DifferentialTest.Scenario(sb.toString());
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

    @Test
    @DisplayName("R3 R10 R11 R12 on tenants where no rule but seats can refuse a group (phase 1's lean path), every strategy equals the R11 pass and the reference model")
    void cleanGroupTenantsEqualTheR11Pass() {
        Map<ReconcilePath, Integer> paths = new TreeMap<>();
        int byReference = 0;
        for (int n = 0; n < 12; n++) {
            long seed = (n + 1) * 7727L;
            DifferentialTest.Scenario s = cleanGroups(seed);
            Engine inOrder = engine(s.load(), ShortSeats.IN_ORDER);
            for (ShortSeats strategy : new ShortSeats[] {ShortSeats.DEMAND, ShortSeats.CUTOFF, ShortSeats.REPLAY}) {
                Engine fast = engine(s.load(), strategy);
                paths.merge(fast.reconcilePath(), 1, Integer::sum);
                // the cutoffs from demand store the lean path's users by reference: they must read as the R11 pass wrote them
                long refs = ((HeapStateStore) fast.store()).storedByReference();
                if (fast.reconcilePath() == ReconcilePath.DEMAND_CUTOFFS) {
                    assertTrue(refs > 0, "the users of the lean path are stored by reference: "
                            + refs + " of " + fast.tenant().users().size());
                    byReference++;
                } else {
                    assertEquals(0, refs, "only the cutoffs from demand store users by reference: " + fast.reconcilePath());
                }
                assertNull(DifferentialTest.Scenario.compareById(fast, inOrder, strategy + ", clean seed " + seed));
            }
            if (n % 4 == 0) {
                Tenant forModel = s.load();
                new RuleMembership().applyTo(forModel);
                ReferenceModel model = new ReferenceModel(forModel);
                model.reconcile();
                assertNull(DifferentialTest.Scenario.compare(inOrder, model, "clean seed " + seed, null));
            }
        }
        System.out.println("SeatStrategyTest clean groups: reconcile paths " + paths);
        // a group of two short products can be refused for one while the other has seats (R12): those tenants take the rounds
        assertEquals(paths.getOrDefault(ReconcilePath.DEMAND_CUTOFFS, 0), byReference);
        assertTrue(paths.getOrDefault(ReconcilePath.DEMAND_CUTOFFS, 0) >= 4, "the cutoffs from demand must settle a third "
                + "of the clean tenants (their phase 1 is the lean one): " + paths);
        assertTrue(paths.getOrDefault(ReconcilePath.CUTOFF_ROUNDS, 0) + paths.getOrDefault(ReconcilePath.CONTENDED_REPLAY, 0)
                >= 6, "the strategies after phase 1 with every seat granted must run on them too: " + paths);
    }

    /**
     * A tenant whose groups no rule but seats can refuse: products without conflicts between them
     * (Office 365 E3, Microsoft 365 E3, EMS), every user located where nothing is prohibited or
     * nowhere (the tenant's country), proxy addresses all different. Groups license one product,
     * none, or two (so both lean paths and their fallback run); a few users also hold a direct
     * licence (the general fast path); the seats run short for some products.
     */
    @Test
    @DisplayName("R10 R11 R18 users a reconcile stored by reference change under events as the R11 pass's users do (joins, leaves, licence changes, reprocesses)")
    void usersStoredByReferenceUnderEvents() {
        int settled = 0;
        int applied = 0;
        for (int n = 0; n < 16 && settled < 4; n++) {
            long seed = (n + 1) * 15_485_867L;
            DifferentialTest.Scenario s = cleanGroups(seed);
            Engine byReference = engine(s.load(), ShortSeats.DEMAND);
            if (byReference.reconcilePath() != ReconcilePath.DEMAND_CUTOFFS) {
                continue;
            }
            settled++;
            long refs = ((HeapStateStore) byReference.store()).storedByReference();
            assertTrue(refs > 0, "seed " + seed + ": the lean path's users are stored by reference");
            Engine inOrder = engine(s.load(), ShortSeats.IN_ORDER);
            int users = byReference.tenant().users().size();
            int groups = byReference.tenant().groups().size();
            java.util.List<org.licensim.core.event.Event> events = DifferentialTest.Scenario.randomEvents(
                    new java.util.SplittableRandom(seed), java.util.List.of("ENTERPRISEPACK", "SPE_E3", "EMS"), users, groups,
                    s.snapshot, 200);
            for (int i = 0; i < events.size(); i++) {
                org.licensim.core.event.Event e = events.get(i);
                String a = apply(byReference, e);
                String b = apply(inOrder, e);
                assertEquals(b, a, "seed " + seed + ", event " + i + " " + e + ": accepted or rejected alike");
                applied += a == null ? 1 : 0;
                if (i % 20 == 19 || i == events.size() - 1) {
                    assertNull(DifferentialTest.Scenario.compareById(byReference, inOrder, "seed " + seed + ", after event " + i));
                }
            }
        }
        assertEquals(4, settled, "four clean tenants settled by the cutoffs from demand");
        assertTrue(applied > 400, "most events were applied: " + applied);
    }

    /** Applies {@code e}; null, or the message it was rejected with. */
    private static String apply(Engine engine, org.licensim.core.event.Event e) {
        try {
            engine.apply(e);
            return null;
        } catch (org.licensim.core.LicensimException ex) {
            return ex.getMessage();
        }
    }

    static DifferentialTest.Scenario cleanGroups(long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        String[] products = {"ENTERPRISEPACK", "SPE_E3", "EMS"};
        int users = 1_000 + rnd.nextInt(2_000);
        int groups = 8 + rnd.nextInt(20);
        StringBuilder sb = new StringBuilder("{\"evaluatedAt\": \"2026-01-01T00:00:00Z\", \"tenant\": {\"id\": \"t\", "
                + "\"countryLetterCode\": \"NL\", \"autoReprocess\": " + rnd.nextBoolean() + "}, \"subscribedSkus\": [");
        for (int p = 0; p < products.length; p++) {
            int seats = users * (40 + rnd.nextInt(80)) / 100;
            sb.append(p > 0 ? "," : "").append("{\"skuPartNumber\": \"").append(products[p])
                    .append("\", \"prepaidUnits\": {\"enabled\": ").append(seats).append("}}");
        }
        sb.append("], \"users\": [");
        boolean[] located = new boolean[users];
        for (int u = 0; u < users; u++) {
            String c = new String[] {"NL", "DE", null}[rnd.nextInt(3)];
            located[u] = c != null;
            sb.append(u > 0 ? "," : "").append("{\"id\": \"u").append(u).append("\", \"usageLocation\": ")
                    .append(c == null ? "null" : "\"" + c + "\"").append(", \"proxyAddresses\": [\"SMTP:u").append(u)
                    .append("@x.example\"]}");
        }
        appendGroups(sb, groups, users, rnd);
        sb.append("], \"assignments\": [");
        boolean first = true;
        for (int g = 0; g < groups; g++) {
            int kind = rnd.nextInt(8);
            int count = kind == 0 ? 0 : kind == 1 ? 2 : 1;
            int p0 = rnd.nextInt(products.length);
            for (int k = 0; k < count; k++) {
                sb.append(first ? "" : ",").append("{\"groupId\": \"g").append(g).append("\", \"skuId\": \"")
                        .append(products[(p0 + k) % products.length]).append("\", \"disabledPlans\": []}");
                first = false;
            }
        }
        // a direct licence needs a usage location (R15, R24)
        for (int u = 0; u < users; u += 10 + rnd.nextInt(20)) {
            if (!located[u]) {
                continue;
            }
            sb.append(first ? "" : ",").append("{\"userId\": \"u").append(u).append("\", \"skuId\": \"")
                    .append(products[rnd.nextInt(products.length)]).append("\", \"disabledPlans\": []}");
            first = false;
        }
        sb.append("]}");
        return new DifferentialTest.Scenario(sb.toString());
    }

    /** Reconciles {@code tenants} generated tenants with {@code strategy} and with the R11 pass; returns the paths taken. */
    /** The groups section: g0..g{groups-1}, each with every user a member at a rate of one in 2 to 7 (drawn from {@code rnd}). */
    private static void appendGroups(StringBuilder sb, int groups, int users, java.util.SplittableRandom rnd) {
        sb.append("], \"groups\": [");
        for (int g = 0; g < groups; g++) {
            sb.append(g > 0 ? "," : "").append("{\"id\": \"g").append(g).append("\", \"securityEnabled\": true, \"members\": [");
            boolean first = true;
            int in = 2 + rnd.nextInt(6);
            for (int u = 0; u < users; u++) {
                if (rnd.nextInt(in) == 0) {
                    sb.append(first ? "" : ",").append("\"u").append(u).append('"');
                    first = false;
                }
            }
            sb.append("]}");
        }
    }

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
