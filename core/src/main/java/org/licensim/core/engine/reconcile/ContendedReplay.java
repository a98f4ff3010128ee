package org.licensim.core.engine.reconcile;

import java.util.ArrayList;
import java.util.List;

import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Directory;
import org.licensim.core.engine.resolve.UserResolver;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * {@link ShortSeats#REPLAY}: when some products ran short in phase 1, only users holding one of
 * them can end differently; their units are resolved again in global R11 key order with real
 * seat checks for the short products and counted, unlimited seats for the others. Everyone else
 * keeps phase 1's result. Afterwards no other product may be over capacity (a reconcile only
 * adds holders, so then no check on it could have failed); if one is, it joins the short ones
 * and the replay runs again with more users. Gives up, storing nothing, when the contended
 * users become more than half of all users, where the plain R11 pass is as cheap.
 */
final class ContendedReplay implements SeatStrategy {
    static final ContendedReplay INSTANCE = new ContendedReplay();

    private ContendedReplay() {
    }

    @Override
    public ReconcilePath settle(Reconciler r) {
        Phase1 p = r.unlimitedIfShort();
        if (p == null) {
            return null;
        }
        int n = r.users();
        boolean[] limited = p.limited.clone();
        int products = limited.length;
        int[] capacity = r.capacity;
        StateStore store = r.store();
        Assignments asg = r.tenant.assignments();
        Directory dir = r.tenant.directory();
        boolean[] contended = new boolean[n];
        int[] none = new int[0];
        while (true) {
            int contendedCount = 0;
            int[] calmTotal = new int[products];
            int[] seen = new int[products];
            int mark = 0;
            for (WorkerOutput o : p.out) {
                int[] data = o.entries;
                for (int i = 0; i < o.users(); i++) {
                    int u = o.user(i);
                    int cnt = o.count(i);
                    boolean c = contended[u];
                    for (int k = 0; k < cnt && !c; k++) {
                        int at = o.at(i, k);
                        c = limited[data[at + StateStore.PRODUCT]] && States.holds(data[at + StateStore.STATE]);
                    }
                    contended[u] = c;
                    if (c) {
                        contendedCount++;
                        continue;
                    }
                    mark++;
                    for (int k = 0; k < cnt; k++) {
                        int at = o.at(i, k);
                        int t = data[at + StateStore.PRODUCT];
                        if (States.holds(data[at + StateStore.STATE]) && seen[t] != mark) {
                            seen[t] = mark;
                            calmTotal[t]++;
                        }
                    }
                }
            }
            if (contendedCount * 2L > n) {
                // give up to the plain R11 pass, which must start from an empty store
                for (int u = 0; u < n; u++) {
                    if (store.count(u) > 0) {
                        store.write(u, none, 0);
                    }
                }
                r.ledger.clearWaiting();
                return null;
            }
            // contended units in global R11 key order: directs by order, then (group, user)
            List<long[]> units = new ArrayList<>();
            for (int u = 0; u < n; u++) {
                if (!contended[u]) {
                    continue;
                }
                for (License l : asg.directOf(u)) {
                    units.add(new long[] {l.order(), u, StateStore.direct(l.product())});
                }
                int[] ugs = dir.groupArray(u);
                for (int i = 0, gn = dir.groupCount(u); i < gn; i++) {
                    int g = ugs[i];
                    if (asg.ofGroup(g).length > 0) {
                        units.add(new long[] {StateStore.snapshotGroupKey(g, u), u, g});
                    }
                }
            }
            units.sort((a, b) -> Long.compare(a[0], b[0]));
            CountedSeats seats = new CountedSeats(limited, capacity);
            UserResolver pass = new UserResolver(r.main, seats);
            for (int u = 0; u < n; u++) {
                if (contended[u] && store.count(u) > 0) {
                    store.write(u, none, 0);
                }
            }
            r.ledger.clearWaiting();
            for (long[] unit : units) {
                int u = (int) unit[1];
                pass.begin(u);
                pass.processUnit(u, (int) unit[2], unit[0]);
                pass.endUntouched(u);
            }
            boolean grew = false;
            for (int t = 0; t < products; t++) {
                int all = calmTotal[t] + seats.taken[t];
                if (!limited[t] && all > capacity[t]) {
                    limited[t] = true;
                    grew = true;
                }
            }
            if (grew) {
                continue;
            }
            for (WorkerOutput o : p.out) {
                o.without(u -> contended[u]).storeInto(store);
            }
            int[] consumed = new int[products];
            for (int t = 0; t < products; t++) {
                consumed[t] = calmTotal[t] + seats.taken[t];
            }
            r.setConsumed(consumed);
            return ReconcilePath.CONTENDED_REPLAY;
        }
    }
}
