package org.licensim.core.engine.reconcile;

import org.licensim.core.engine.resolve.UserResolver;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * A snapshot that carries resolved state (an export of licensim's, or of Graph's
 * licenseAssignmentStates): each source keeps the state it had (R10 holders keep seats, errors
 * are not retried by themselves), seats are counted from it, demands without a state are
 * resolved in R11 order, and every user is settled so that derived states (ActiveWithError)
 * and held-back removals are what the rules say.
 */
final class PriorState {
    private static final int E = StateStore.ENTRY_INTS;

    private PriorState() {
    }

    static void resolve(Reconciler r) {
        var prior = r.tenant.priorStates();
        UserResolver main = r.main;
        int users = r.users();
        for (int u = 0; u < users; u++) {
            int[] es = prior.get(u);
            if (es == null) {
                continue;
            }
            main.store().write(u, es, es.length / E);
            for (int i = 0; i < es.length / E; i++) {
                int t = es[i * E + StateStore.PRODUCT];
                if (States.holds(es[i * E + StateStore.STATE]) && firstHolder(es, i, t)) {
                    r.ledger.take(t);
                }
            }
        }
        for (int u = 0; u < users; u++) {
            int[] es = prior.get(u);
            if (es != null) {
                main.indexWaiting(u, es, es.length / E);
            }
        }
        InOrder.resolve(r, true);
        for (int u = 0; u < users; u++) {
            if (prior.get(u) != null) {
                main.begin(u);
                main.endUntouched(u);
            }
        }
    }

    /** Whether entry {@code i} of {@code es} is the first that holds product {@code t}. */
    private static boolean firstHolder(int[] es, int i, int t) {
        for (int j = 0; j < i; j++) {
            if (es[j * E + StateStore.PRODUCT] == t && States.holds(es[j * E + StateStore.STATE])) {
                return false;
            }
        }
        return true;
    }
}
