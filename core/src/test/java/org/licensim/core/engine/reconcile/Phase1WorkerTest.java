package org.licensim.core.engine.reconcile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.catalog.Catalog;
import org.licensim.core.catalog.PlanRules;
import org.licensim.core.directory.Directory;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.resolve.RulePlans;
import org.licensim.core.engine.resolve.SeatLedger;
import org.licensim.core.engine.resolve.UserResolver;
import org.licensim.core.feed.ChangeFeed;
import org.licensim.core.io.SnapshotReader;
import org.licensim.core.state.BulkIndex;
import org.licensim.core.state.HeapStateStore;
import org.licensim.core.state.StateStore;

/**
 * Phase 1's loop of its own for the lean path's users ({@link Phase1Worker#resolveLean}) against
 * the per-user path it stands in for, on a tenant with every kind of user that loop must hand
 * back: direct licences, more than 64 groups, a group of two products (after groups whose seats
 * it already took), groups licensing nothing, several groups of one product, and cutoffs that
 * refuse some of them.
 */
class Phase1WorkerTest {
    private static final String[] PRODUCTS = {"ENTERPRISEPACK", "SPE_E3", "EMS"};
    private static final int GROUPS = 72;

    @Test
    @DisplayName("R3 R10 R11 phase 1's lean loop places, refuses and counts seats as the per-user path does, and takes exactly the lean users")
    void leanLoopEqualsThePerUserPath() throws Exception {
        Tenant t = new SnapshotReader(Catalog.loadDefault(), PlanRules.loadDefault(Catalog.loadDefault()))
                .read(new ByteArrayInputStream(tenant(37).getBytes(StandardCharsets.UTF_8)), "lean.json");
        RulePlans rules = new RulePlans(t);
        SeatLedger ledger = new SeatLedger(t.subscriptions());
        Reconciler r = new Reconciler(t, rules, ledger, new UserResolver(t, rules, ledger, new HeapStateStore(),
                new ChangeFeed()));
        r.reconcile(ShortSeats.DEMAND, 2); // the group tables, the workers' shares
        assertTrue(r.tables.groupsClean, "no rule but seats refuses a group here");
        int users = t.users().size();
        // EMS short from half-way through group 5's members, Office 365 E3 from group 0 on (every demand refused)
        boolean[] limited = {true, false, true};
        long[] cutoff = {StateStore.snapshotGroupKey(0, 0), CutoffSeats.NONE, StateStore.snapshotGroupKey(5, users / 2)};
        boolean[] groupLimited = new boolean[r.tables.size()];
        for (int g = 0; g < groupLimited.length; g++) {
            for (int p : r.tables.products[g]) {
                groupLimited[g] |= limited[p];
            }
        }
        Run lean = run(r, limited, cutoff, groupLimited, true);
        Run perUser = run(r, limited, cutoff, groupLimited, false);

        assertArrayEquals(perUser.taken, lean.taken, "seats taken per product");
        assertArrayEquals(perUser.refused, lean.refused, "users refused per product");
        assertEquals(perUser.references, lean.references, "users placed by reference");
        assertTrue(lean.refused[0] > 0 && lean.refused[2] > 0 && lean.taken[2] > 0, "both cutoffs refuse, one grants too");
        int[] a = new int[64 * 3 * StateStore.ENTRY_INTS];
        int[] b = new int[a.length];
        for (int u = 0; u < users; u++) {
            int n = perUser.store.read(u, a);
            assertEquals(n, lean.store.read(u, b), "user " + u + "'s entries");
            assertArrayEquals(Arrays.copyOf(a, n * StateStore.ENTRY_INTS), Arrays.copyOf(b, n * StateStore.ENTRY_INTS),
                    "user " + u + "'s entries");
        }
        // the users the lean loop must take: groups alone, at most 64, none of several products
        Directory dir = t.directory();
        long expected = 0;
        long handedBack = 0;
        for (int u = 0; u < users; u++) {
            int gn = dir.groupCount(u);
            boolean many = false;
            for (int i = 0; i < gn; i++) {
                many |= r.tables.single[dir.groupArray(u)[i]] == GroupTables.MANY;
            }
            boolean takes = t.assignments().directOf(u).length == 0 && gn > 0 && gn <= 64 && !many;
            expected += takes ? 1 : 0;
            handedBack += !takes && gn > 0 ? 1 : 0;
        }
        assertEquals(expected, lean.leanUsers, "users the lean loop resolved");
        assertEquals(0, perUser.leanUsers, "without the loop, none");
        assertTrue(handedBack > 30 && expected > users / 2, "users of both kinds: " + handedBack + ", " + expected);
    }

    /** What phase 1's two workers produced under the cutoffs, stored as the reconcile stores it. */
    private record Run(HeapStateStore store, int[] taken, int[] refused, long references, long leanUsers) {
    }

    private static Run run(Reconciler r, boolean[] limited, long[] cutoff, boolean[] groupLimited, boolean leanLoop) {
        HeapStateStore store = new HeapStateStore();
        BulkIndex index = store.bulkIndex(r.users(), r.threads);
        int products = limited.length;
        int[] taken = new int[products];
        int[] refused = new int[products];
        long references = 0;
        long lean = 0;
        int highest = -1;
        int[][] data = new int[r.threads][];
        for (int w = 0; w < r.threads; w++) {
            CutoffSeats seats = new CutoffSeats(limited, cutoff);
            Phase1Worker worker = new Phase1Worker(r, seats, groupLimited, false);
            if (!leanLoop) {
                worker.withoutLeanLoop();
            }
            worker.placeInto(index, w);
            // no room foreseen: the output grows inside the loop as well
            WorkerOutput out = worker.resolveUsers(r.from(w), r.to(w), 0);
            data[w] = out.entries;
            highest = Math.max(highest, out.highest());
            references += out.references();
            lean += worker.leanUsers();
            for (int p = 0; p < products; p++) {
                taken[p] += seats.taken[p];
                refused[p] += worker.refused()[p];
            }
        }
        index.adopt(data, highest, r.tables.single, r.tables.singleMask, references);
        return new Run(store, taken, refused, references, lean);
    }

    /**
     * Groups licensing one product (most), none, or two (groups 40 and 41); users in a few
     * groups, every 97th in 66-70 of them, every 50th with a direct licence too, some in none.
     */
    private static String tenant(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int users = 3_000;
        StringBuilder sb = new StringBuilder("{\"evaluatedAt\": \"2026-01-01T00:00:00Z\", \"tenant\": {\"id\": \"t\", "
                + "\"countryLetterCode\": \"NL\"}, \"subscribedSkus\": [");
        for (int p = 0; p < PRODUCTS.length; p++) {
            sb.append(p > 0 ? "," : "").append("{\"skuPartNumber\": \"").append(PRODUCTS[p])
                    .append("\", \"prepaidUnits\": {\"enabled\": ").append(users).append("}}");
        }
        sb.append("], \"users\": [");
        boolean[][] member = new boolean[GROUPS][users];
        for (int u = 0; u < users; u++) {
            sb.append(u > 0 ? "," : "").append("{\"id\": \"u").append(u).append("\", \"usageLocation\": \"NL\", "
                    + "\"proxyAddresses\": [\"SMTP:u").append(u).append("@x.example\"]}");
            if (u % 97 == 0) {
                // 66-70 groups, none of two products
                for (int g = 0; g < GROUPS; g++) {
                    member[g][u] = g != 40 && g != 41;
                }
                for (int k = rnd.nextInt(5); k > 0; k--) {
                    member[rnd.nextInt(GROUPS)][u] = false;
                }
                continue;
            }
            for (int k = rnd.nextInt(5); k > 0; k--) {
                // the groups of two products are rare: most users never meet one
                int g = rnd.nextInt(GROUPS);
                member[g == 40 || g == 41 ? (rnd.nextInt(4) == 0 ? g : g + 2) : g][u] = true;
            }
        }
        sb.append("], \"groups\": [");
        for (int g = 0; g < GROUPS; g++) {
            sb.append(g > 0 ? "," : "").append("{\"id\": \"g").append(g).append("\", \"securityEnabled\": true, \"members\": [");
            boolean first = true;
            for (int u = 0; u < users; u++) {
                if (member[g][u]) {
                    sb.append(first ? "" : ",").append("\"u").append(u).append('"');
                    first = false;
                }
            }
            sb.append("]}");
        }
        sb.append("], \"assignments\": [");
        boolean first = true;
        for (int g = 0; g < GROUPS; g++) {
            int count = g % 9 == 4 ? 0 : g == 40 || g == 41 ? 2 : 1;
            for (int k = 0; k < count; k++) {
                sb.append(first ? "" : ",").append("{\"groupId\": \"g").append(g).append("\", \"skuId\": \"")
                        .append(PRODUCTS[(g + k) % PRODUCTS.length]).append("\", \"disabledPlans\": []}");
                first = false;
            }
        }
        for (int u = 0; u < users; u += 50) {
            sb.append(",{\"userId\": \"u").append(u).append("\", \"skuId\": \"").append(PRODUCTS[u % PRODUCTS.length])
                    .append("\", \"disabledPlans\": []}");
        }
        return sb.append("]}").toString();
    }
}
