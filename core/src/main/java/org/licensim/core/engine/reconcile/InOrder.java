package org.licensim.core.engine.reconcile;

import java.util.ArrayList;
import java.util.List;

import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Groups;
import org.licensim.core.engine.resolve.MemberBuffer;
import org.licensim.core.engine.resolve.UserResolver;
import org.licensim.core.state.StateStore;

/**
 * The exact SPEC R11 pass, one unit at a time with the tenant's seats: direct assignments in
 * snapshot order, then each group with its members in user order. Slow, and the definition the
 * faster strategies are held against.
 */
final class InOrder implements SeatStrategy {
    static final InOrder INSTANCE = new InOrder();

    private InOrder() {
    }

    @Override
    public ReconcilePath settle(Reconciler r) {
        resolve(r, false);
        return ReconcilePath.IN_ORDER;
    }

    /** Resolves demands in R11 order; with {@code onlyNew}, only units that have no state yet. */
    static void resolve(Reconciler r, boolean onlyNew) {
        UserResolver main = r.main;
        Assignments asg = r.tenant.assignments();
        Groups groups = r.tenant.groups();
        List<long[]> directs = new ArrayList<>();
        for (int u : asg.usersWithDirect()) {
            for (License l : asg.directOf(u)) {
                if (!onlyNew || !main.peek(u).hasSource(StateStore.direct(l.product()))) {
                    directs.add(new long[] {l.order(), u, l.product()});
                }
            }
        }
        directs.sort((a, b) -> Long.compare(a[0], b[0]));
        for (long[] d : directs) {
            int u = (int) d[1];
            main.begin(u);
            main.processUnit(u, StateStore.direct((int) d[2]), d[0]);
            main.endUntouched(u);
        }
        MemberBuffer members = new MemberBuffer();
        for (int g = 0; g < groups.size(); g++) {
            if (groups.isDeleted(g) || asg.ofGroup(g).length == 0) {
                continue;
            }
            int n = members.load(groups, g);
            for (int i = 0; i < n; i++) {
                int u = members.user(i);
                if (onlyNew && main.peek(u).hasSource(g)) {
                    continue;
                }
                main.begin(u);
                main.processUnit(u, g, StateStore.snapshotGroupKey(g, u));
                main.endUntouched(u);
            }
        }
    }
}
