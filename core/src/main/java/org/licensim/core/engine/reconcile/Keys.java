package org.licensim.core.engine.reconcile;

import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Tenant;
import org.licensim.core.state.StateStore;

/**
 * A reconcile's R11 keys of one user's demands as ints relative to the user, half the room of a
 * long per user and product in the cutoff rounds: in a reconcile every demand's key is its
 * source's, a group's {@link StateStore#snapshotGroupKey} of the user (coded as the group plus
 * one) or a direct licence's order (coded as minus the order less one). 0 is
 * {@link CutoffSeats#NONE}. The coding holds only when keys cannot be confused (at most 2^24
 * users, so that a group key's user bits do not reach its group bits; every direct order in
 * [0, 2^31 - 1), below the group keys); {@link #of} returns null otherwise, and the rounds are
 * not tried. Coding and decoding read nothing but the key and the user.
 */
final class Keys {
    static final int NONE = 0;
    private static final long GROUP_KEYS = StateStore.snapshotGroupKey(0, 0);
    private static final long GROUP_BITS = (1L << 36) - 1;
    /** The one coding; {@link #of} says whether a tenant's keys fit it. */
    static final Keys CODING = new Keys();

    private Keys() {
    }

    /** The coding for {@code tenant}'s reconcile, or null when its keys do not fit it. */
    static Keys of(Tenant tenant) {
        if (tenant.users().size() > 1 << 24 || tenant.groups().size() >= Integer.MAX_VALUE - 1) {
            return null;
        }
        Assignments asg = tenant.assignments();
        for (int u : asg.usersWithDirect()) {
            for (License l : asg.directOf(u)) {
                if (l.order() < 0 || l.order() >= Integer.MAX_VALUE) {
                    return null;
                }
            }
        }
        return CODING;
    }

    /** The code of user {@code u}'s demand key {@code key} ({@link CutoffSeats#NONE}: 0). */
    int code(int u, long key) {
        if (key == CutoffSeats.NONE) {
            return NONE;
        }
        return key >= GROUP_KEYS ? (int) ((key >>> 24) & GROUP_BITS) + 1 : -(int) key - 1;
    }

    /** The key coded {@code code} for user {@code u}. */
    long key(int u, int code) {
        if (code > 0) {
            return StateStore.snapshotGroupKey(code - 1, u);
        }
        return code == NONE ? CutoffSeats.NONE : -(long) code - 1;
    }
}
