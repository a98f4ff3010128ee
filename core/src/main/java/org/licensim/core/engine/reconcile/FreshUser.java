package org.licensim.core.engine.reconcile;

import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Users;
import org.licensim.core.engine.resolve.RulePlans;
import org.licensim.core.engine.resolve.Seats;
import org.licensim.core.engine.resolve.UserResolver;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * Phase 1's path for a user the fast path does not take (sources that conflict, a plan
 * prohibited where the user is, a shared proxy address, a direct licence without its
 * prerequisites, a refused unit of several products): the same decisions as
 * {@link UserResolver#resolveUnits} on a user with no entries yet, made on rule bits and
 * written straight into the worker's output in canonical order. In a reconcile every unit is
 * new, so the resolver's scratch, membership lookups and settling pass (which change nothing
 * for such a user) are not needed: each unit in the user's own R11 order (direct licences by
 * order, then groups ascending) is refused for its usage location (SPEC R15), a shared proxy
 * address (R16), a conflict with what earlier units were granted (R13), or a seat check of a
 * product the user does not hold yet (R10, the first refusal ending the unit's checks), else
 * granted, taking the seats of its products not held yet; then every held entry enabling a
 * plan whose prerequisite the user's granted plans do not give is ActiveWithError (R14). Seat
 * checks and takes go through the worker's {@link Seats} in the resolver's order, so what a
 * policy counts or records is the resolver's.
 */
final class FreshUser {
    private static final int E = StateStore.ENTRY_INTS;
    private static final int OK = States.pack(States.ACTIVE, States.NONE);
    private static final int STRANDED = States.pack(States.ACTIVE_WITH_ERROR, States.DEPENDENCY_VIOLATION);
    private static final int PROHIBITED = States.pack(States.ERROR, States.PROHIBITED_IN_USAGE_LOCATION_VIOLATION);
    private static final int UNIQUE = States.pack(States.ERROR, States.UNIQUENESS_VIOLATION);
    private static final int CONFLICT = States.pack(States.ERROR, States.MUTUALLY_EXCLUSIVE_VIOLATION);
    private static final int COUNT = States.pack(States.ERROR, States.COUNT_VIOLATION);

    private final Users users;
    private final RulePlans rules;
    private final long[] groupRule;
    private final int[][] groupProducts;
    private final int[][] groupMasks;
    private final Seats seats;
    /** Per product: {@link #mark} when the current user holds it. */
    private final int[] heldStamp;
    private int mark;
    /** Per unit of the current user, its state (OK when granted): direct licences by position in ds, then groups by position. */
    private int[] directState = new int[4];
    private int[] groupState = new int[16];
    /** The current user's direct licences' positions in ds, in R11 order (by order, ties in ds order). */
    private int[] byOrder = new int[4];
    private long granted;
    private long prohibited;
    /** Every user's R16 collision, a bit each ({@link Users#proxyCollisions}). */
    private final long[] collides;

    FreshUser(Reconciler r, Seats seats, long[] collides) {
        this.users = r.tenant.users();
        this.rules = r.rules;
        this.groupRule = r.tables.rule;
        this.groupProducts = r.tables.products;
        this.groupMasks = r.tables.masks;
        this.seats = seats;
        this.collides = collides;
        this.heldStamp = new int[r.products()];
    }

    /**
     * Resolves user {@code u} (direct licences {@code ds}, groups {@code gs[0, gn)}) and writes
     * its entries at {@code at} of {@code out}, which has room for one entry per direct licence
     * and group product; returns how many.
     */
    int resolve(int u, License[] ds, int[] gs, int gn, int[] out, int at) {
        int m = ++mark;
        granted = 0;
        prohibited = rules.prohibitedAt(users.usageLocationCode(u));
        int dn = ds.length;
        if (dn > directState.length) {
            directState = new int[dn];
            byOrder = new int[dn];
        }
        if (gn > groupState.length) {
            groupState = new int[Math.max(gn, groupState.length * 2)];
        }
        // SPEC R11: a user's direct licences by their order (stable: the resolver's sort), then its groups
        for (int i = 0; i < dn; i++) {
            int pos = i;
            long order = ds[i].order();
            while (pos > 0 && ds[byOrder[pos - 1]].order() > order) {
                byOrder[pos] = byOrder[pos - 1];
                pos--;
            }
            byOrder[pos] = i;
        }
        for (int k = 0; k < dn; k++) {
            int i = byOrder[k];
            License l = ds[i];
            directState[i] = unit(u, rules.ruleMask(l.enabled()), l.product(), null, l.order(), m);
        }
        for (int gi = 0; gi < gn; gi++) {
            int g = gs[gi];
            int[] ps = groupProducts[g];
            groupState[gi] = ps.length == 0 ? OK : unit(u, groupRule[g], -1, ps, StateStore.snapshotGroupKey(g, u), m);
        }
        // R14: held entries enabling a plan whose prerequisite no granted plan gives
        long unmet = rules.unmet(granted);
        int n = 0;
        // canonical order: direct licences by product, then groups ascending, each group's products ascending
        int last = -1;
        for (int k = 0; k < dn; k++) {
            int best = -1;
            for (int i = 0; i < dn; i++) {
                int p = ds[i].product();
                if (p > last && (best < 0 || p < ds[best].product())) {
                    best = i;
                }
            }
            License l = ds[best];
            last = l.product();
            StateStore.put(out, at + n * E, StateStore.direct(last), last, l.enabled(),
                    state(directState[best], l.enabled(), unmet), l.order(), StateStore.NO_TIME);
            n++;
        }
        for (int gi = 0; gi < gn; gi++) {
            int g = gs[gi];
            int[] ps = groupProducts[g];
            if (ps.length == 0) {
                continue;
            }
            int[] ms = groupMasks[g];
            long key = StateStore.snapshotGroupKey(g, u);
            for (int i = 0; i < ps.length; i++) {
                StateStore.put(out, at + n * E, g, ps[i], ms[i], state(groupState[gi], ms[i], unmet), key, StateStore.NO_TIME);
                n++;
            }
        }
        return n;
    }

    /** An entry's state: its unit's error, or Active (ActiveWithError when it enables a plan in {@code unmet}). */
    private int state(int unitState, int mask, long unmet) {
        if (unitState != OK) {
            return unitState;
        }
        return (rules.ruleMask(mask) & unmet) != 0 ? STRANDED : OK;
    }

    /**
     * Decides one unit as {@link UserResolver#processUnit} does for a source with no entries yet:
     * products {@code ps} (or the one product {@code single} when ps is null), rule bits
     * {@code rule}, R11 key {@code key}; returns its state (OK: granted, its seats taken).
     */
    private int unit(int u, long rule, int single, int[] ps, long key, int m) {
        if ((rule & prohibited) != 0) {
            return PROHIBITED;
        }
        if ((rule & rules.uniqueness()) != 0 && (collides[u >>> 6] & (1L << u)) != 0) {
            return UNIQUE;
        }
        if (rules.conflicts(rule, granted)) {
            return CONFLICT;
        }
        int count = ps == null ? 1 : ps.length;
        for (int i = 0; i < count; i++) {
            int t = ps == null ? single : ps[i];
            if (heldStamp[t] != m && !seats.hasFreeSeat(t, key)) {
                return COUNT;
            }
        }
        for (int i = 0; i < count; i++) {
            int t = ps == null ? single : ps[i];
            if (heldStamp[t] != m) {
                heldStamp[t] = m;
                seats.take(t);
            }
        }
        granted |= rule;
        return OK;
    }
}
