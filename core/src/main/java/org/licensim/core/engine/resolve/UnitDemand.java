package org.licensim.core.engine.resolve;

import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Directory;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Tenant;
import org.licensim.core.state.StateStore;

/**
 * What one unit of one user demands now (a direct assignment's product, or every product of a
 * group the user is a member of, SPEC R12), in scratch arrays reused for every unit: the products,
 * their enabled-plan masks, and room for whether each was held and the R11 key each gets.
 */
final class UnitDemand {
    private final Groups groups;
    private final Directory dir;
    private final Assignments asg;
    int[] prod = new int[16];
    int[] mask = new int[16];
    boolean[] held = new boolean[16];
    long[] key = new long[16];

    UnitDemand(Tenant tenant) {
        this.groups = tenant.groups();
        this.dir = tenant.directory();
        this.asg = tenant.assignments();
    }

    /** Fills the demand scratch with what unit {@code src} demands of user {@code u} now; returns how many products. */
    int of(int u, int src) {
        if (StateStore.isDirect(src)) {
            License l = asg.findDirect(u, StateStore.directProduct(src));
            if (l == null) {
                return 0;
            }
            prod[0] = l.product();
            mask[0] = l.enabled();
            return 1;
        }
        if (groups.isDeleted(src) || !dir.isMember(src, u)) {
            return 0;
        }
        License[] ls = asg.ofGroup(src);
        if (ls.length > prod.length) {
            prod = new int[ls.length];
            mask = new int[ls.length];
            held = new boolean[ls.length];
            key = new long[ls.length];
        }
        for (int i = 0; i < ls.length; i++) {
            prod[i] = ls[i].product();
            mask[i] = ls[i].enabled();
        }
        return ls.length;
    }

    /** The mask unit {@code src} demands for product {@code t} of user {@code u}, or -1. */
    int maskOf(int u, int src, int t) {
        if (StateStore.isDirect(src)) {
            License l = asg.findDirect(u, t);
            return l == null || StateStore.directProduct(src) != t ? -1 : l.enabled();
        }
        if (groups.isDeleted(src) || !dir.isMember(src, u)) {
            return -1;
        }
        License l = asg.findGroupLicense(src, t);
        return l == null ? -1 : l.enabled();
    }

}
