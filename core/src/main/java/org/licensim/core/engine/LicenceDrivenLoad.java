package org.licensim.core.engine;

import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Directory;
import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.resolve.UserResolver;
import org.licensim.core.rules.DynamicMembership;
import org.licensim.core.state.StateStore;

/**
 * Section 4 after a snapshot's reconcile: licence-driven groups kept their listed members (their
 * rules read licences, which did not exist yet); now that licences are resolved, every user is
 * settled against those rules in user order, to a fixed point. Joins take the snapshot's R11 key
 * of the group and user, as the reconcile's own joins do; the change feed records nothing.
 */
final class LicenceDrivenLoad {
    private final Tenant tenant;
    private final Directory dir;
    private final Assignments asg;
    private final UserResolver r;
    private final DynamicMembership dynamic;
    private boolean moved;

    LicenceDrivenLoad(Tenant tenant, UserResolver r, DynamicMembership dynamic) {
        this.tenant = tenant;
        this.dir = tenant.directory();
        this.asg = tenant.assignments();
        this.r = r;
        this.dynamic = dynamic;
    }

    void run() {
        if (!dynamic.licenceDriven()) {
            return;
        }
        for (int u = 0; u < tenant.users().size(); u++) {
            if (tenant.users().isDeleted(u)) {
                continue;
            }
            r.begin(u);
            for (int round = 0; round <= tenant.groups().size(); round++) {
                moved = false;
                dynamic.licencesChanged(tenant, u, sink);
                if (!moved) {
                    break;
                }
                r.finish(u);
            }
            r.write(u);
        }
    }

    private final DynamicMembership.Sink sink = new DynamicMembership.Sink() {
        @Override
        public void join(int group, int user) {
            if (dir.addMember(group, user)) {
                moved = true;
                if (asg.ofGroup(group).length > 0) {
                    r.processUnit(user, group, StateStore.snapshotGroupKey(group, user));
                }
            }
        }

        @Override
        public void leave(int group, int user) {
            if (dir.removeMember(group, user)) {
                moved = true;
                r.removeSource(user, group, -1, null);
            }
        }
    };
}
