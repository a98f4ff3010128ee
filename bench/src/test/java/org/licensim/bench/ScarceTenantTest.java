package org.licensim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.Engine;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/** The {@code scarce} bench shape holds what its description promises, so its numbers mean what they say. */
class ScarceTenantTest {
    @Test
    @DisplayName("R10 R13 R15 R16 the scarce bench tenant: every product used up, conflicts, prohibited locations and proxy collisions all occur")
    void scarceTenantHasEveryKindOfRefusal() {
        // given the scarce shape at 6,000 users
        BenchTenant t = BenchTenant.generate(6_000, BenchTenant.Shape.scarce);
        Tenant tenant = t.tenant;
        // when the engine resolves it
        EngineResolver r = new EngineResolver(t);
        r.resolve();
        Engine e = r.engine();
        // then it settles by the cutoffs of the R11 pass over the members, phase 1 on the workers once
        assertEquals(org.licensim.core.engine.reconcile.ReconcilePath.SEQUENTIAL_CUTOFFS, e.reconcilePath());
        // and every product's seats are all taken and some demand of each waits (R10)
        int products = tenant.subscriptions().size();
        assertEquals(Scarce.PRODUCTS.size(), products);
        int[] errors = new int[States.errorCount()];
        int[] waiting = new int[products];
        int[] entries = new int[StateStore.MAX_ENTRIES * StateStore.ENTRY_INTS];
        for (int u = 0; u < tenant.users().size(); u++) {
            int n = e.store().read(u, entries);
            for (int k = 0; k < n; k++) {
                int packed = entries[k * StateStore.ENTRY_INTS + StateStore.STATE];
                if (!States.holds(packed)) {
                    errors[States.error(packed)]++;
                    if (States.error(packed) == States.COUNT_VIOLATION) {
                        waiting[entries[k * StateStore.ENTRY_INTS + StateStore.PRODUCT]]++;
                    }
                }
            }
        }
        for (int p = 0; p < products; p++) {
            assertEquals(tenant.subscriptions().units(p).capacity(), e.consumed(p), Scarce.PRODUCTS.get(p) + " is used up");
            assertTrue(waiting[p] > 0, Scarce.PRODUCTS.get(p) + " has demands waiting for a seat");
        }
        // and E1 beside E3 (R13), India's calling plan (R15) and shared proxy addresses (R16) refuse some sources
        assertTrue(errors[States.MUTUALLY_EXCLUSIVE_VIOLATION] > 0, "conflicts: " + errors[States.MUTUALLY_EXCLUSIVE_VIOLATION]);
        assertTrue(errors[States.PROHIBITED_IN_USAGE_LOCATION_VIOLATION] > 0, "prohibited locations");
        assertTrue(errors[States.UNIQUENESS_VIOLATION] > 0, "proxy collisions");
        // and a fifth of users have no usage location, 3.5% hold a direct licence
        int noLocation = 0;
        for (int u = 0; u < tenant.users().size(); u++) {
            noLocation += Scarce.usageLocation(u) == null ? 1 : 0;
        }
        assertEquals(1_200, noLocation);
        assertEquals(210, tenant.assignments().directCount());
    }
}
