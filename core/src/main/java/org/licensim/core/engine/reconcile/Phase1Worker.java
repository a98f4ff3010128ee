package org.licensim.core.engine.reconcile;

import java.util.Arrays;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Directory;
import org.licensim.core.directory.Users;
import org.licensim.core.engine.resolve.RulePlans;
import org.licensim.core.engine.resolve.UserResolver;
import org.licensim.core.state.BulkIndex;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * One core's share of phase 1: users [from, to) resolved in their own R11 order into one output
 * array. A user whose sources together cannot fail takes the fast path ({@link #resolveClean});
 * anyone else goes unit by unit through {@link FreshUser}, the general resolver's decisions
 * for a user with no entries yet. Seats come from the
 * worker's own policy: counted and unlimited ({@link CountedSeats}), or decided by cutoffs
 * ({@link CutoffSeats}, which also records who was refused).
 */
final class Phase1Worker {
    private static final int E = StateStore.ENTRY_INTS;

    private final Users users;
    private final Directory dir;
    private final Assignments asg;
    private final RulePlans rules;
    /** The group tables' arrays, held here directly: the fast path reads them for every member. */
    private final long[] groupRule;
    private final int[][] groupProducts;
    private final int[][] groupMasks;
    /** Whether a user with no direct licence needs no rule check ({@link GroupTables#groupsClean}). */
    private final boolean groupsClean;
    /** Every user's R16 collision, a bit each ({@link Users#proxyCollisions}). */
    private final long[] collides;
    /** The group tables' flat view for {@link #resolveSingles}, and per group the cutoff of its product (none: {@link CutoffSeats#NONE}). */
    private final int[] single;
    private final int[] singleMask;
    private final long[] groupCutoff;
    /** Whether {@link #resolveSingles} may run: groups clean or {@link #general} known, nothing recorded, at most 64 products. */
    private final boolean singles;
    /** Where groups are not clean: the users a rule other than seats could refuse, a bit each, whom the lean path leaves alone; else null. */
    private final long[] general;
    /** The path of every user the fast path does not take (the resolver's decisions for a user with no entries yet). */
    private final FreshUser fresh;
    /** The worker's seat counts, incremented in place by the fast path (a Seats call there would see several implementations). */
    private final int[] taken;
    /** Set under cutoffs: the seats, the groups licensing a limited product, refusals per product, users refused. */
    private final CutoffSeats cutoff;
    private final boolean[] groupLimited;
    private final int[] refused;
    private final int[] refusedStamp;
    /** Users with a refused demand, kept only where they wait for seats (autoReprocess, R18): null otherwise. */
    private final IntArrayList slowUsers;
    /** Whether some user is deleted (else phase 1 does not look at each user's flags). */
    private final boolean anyDeleted;
    /** Whether each user's seat checks are left in {@link #cutoff} (the rounds) instead of counted (the demand guess). */
    private final boolean record;

    private static final int OK = States.pack(States.ACTIVE, States.NONE);

    private final int[] productStamp;
    private int stamp;
    /** The stamp of the products the current user holds in {@link #resolveClean}, each counted once in {@link #taken}. */
    private int held;
    /** The output: every user's entries back to back from index 0 to {@link #outTop}. */
    private int[] out;
    private int outTop;
    /** Entries written by {@link #resolveClean} for the current user, from {@link #outTop}. */
    private int outN;
    /** Where {@link #resolveUsers} places each user directly (the store's own index), with this worker's id; null: triples. */
    private BulkIndex placed;
    private byte placedId;
    /** Whether {@link #resolveSingles} writes one int per entry ({@link BulkIndex#placeByReference}), only into a bulk index. */
    private boolean byReference;
    /** Users placed by reference in the last {@link #resolveUsers}. */
    private long references;
    /** Users placed so far and the highest (-1: none), through {@link #resolveLean}; whether it runs; users it resolved. */
    private int leanListed;
    private int leanHighest;
    private boolean leanLoop = true;
    private long leanUsers;

    /** A worker whose seats are all granted and counted (phase 1 of every strategy but the demand one). */
    Phase1Worker(Reconciler r, CountedSeats seats) {
        this(r, seats, seats.taken, null, null, false, null);
    }

    /**
     * A worker whose short products' seats are decided by {@code seats}' cutoffs. Counting
     * ({@code record} false): refusals per product and the users refused, over all its users.
     * Recording: each user's seat checks left in {@code seats}, as the general resolver leaves
     * them, for the caller to read after {@link #resolveOne} (the cutoff rounds).
     */
    Phase1Worker(Reconciler r, CutoffSeats seats, boolean[] groupLimited, boolean record) {
        this(r, seats, seats.taken, seats, groupLimited, record, null);
    }

    /**
     * A counting worker under cutoffs whose lean path also takes, where groups are not clean, the
     * users outside {@code special}, whom no rule but seats can refuse ({@link SequentialCutoffs#special}).
     */
    Phase1Worker(Reconciler r, CutoffSeats seats, boolean[] groupLimited, long[] special) {
        this(r, seats, seats.taken, seats, groupLimited, false, special);
    }

    private Phase1Worker(Reconciler r, org.licensim.core.engine.resolve.Seats seats, int[] taken, CutoffSeats cutoff,
                         boolean[] groupLimited, boolean record, long[] special) {
        this.users = r.tenant.users();
        this.dir = r.tenant.directory();
        this.asg = r.tenant.assignments();
        this.rules = r.rules;
        this.groupRule = r.tables.rule;
        this.groupProducts = r.tables.products;
        this.groupMasks = r.tables.masks;
        this.groupsClean = r.tables.groupsClean;
        this.collides = users.proxyCollisions();
        this.single = r.tables.single;
        this.singleMask = r.tables.singleMask;
        this.fresh = new FreshUser(r, seats, collides);
        this.taken = taken;
        this.cutoff = cutoff;
        this.groupLimited = groupLimited;
        int products = r.tenant.subscriptions().size();
        this.productStamp = new int[products];
        this.record = record;
        boolean count = cutoff != null && !record;
        this.refused = count ? new int[products] : null;
        this.refusedStamp = count ? new int[products] : null;
        this.slowUsers = count && r.tenant.settings().autoReprocess() ? new IntArrayList() : null;
        this.anyDeleted = users.liveCount() != users.size();
        this.general = groupsClean ? null : special;
        this.singles = (groupsClean || general != null) && !record && products <= 64;
        this.groupCutoff = new long[single.length];
        for (int g = 0; g < single.length; g++) {
            int t = single[g];
            groupCutoff[g] = cutoff != null && t >= 0 && cutoff.limited[t] ? cutoff.cutoff[t] : CutoffSeats.NONE;
        }
    }

    /**
     * Makes {@link #resolveUsers} place each user in {@code index} as worker {@code w} (where its
     * entries start in this worker's output, how many) instead of listing (user, offset, count)
     * triples: the output it returns is then only for {@link BulkIndex#adopt}.
     */
    void placeInto(BulkIndex index, int w) {
        placed = index;
        placedId = index.id(w);
        byReference = singles && single.length - 1 <= BulkIndex.MAX_REFERENCE_GROUP;
    }

    /** Refusals per product (under cutoffs): users with at least one demand of it refused. */
    int[] refused() {
        return refused;
    }

    /** Users with a refused demand (under cutoffs, with autoReprocess: null without), for the waiting-seat index. */
    IntArrayList slowUsers() {
        return slowUsers;
    }

    /** Users [from, to), the output sized from the memberships (licensed groups' products plus directs per user). */
    WorkerOutput resolveUsers(int from, int to) {
        long estimate = 0;
        for (int u = from; u < to; u++) {
            int[] ugs = dir.groupArray(u);
            for (int i = 0, n = dir.groupCount(u); i < n; i++) {
                estimate += groupProducts[ugs[i]].length;
            }
            estimate += asg.directOf(u).length;
        }
        return resolveUsers(from, to, estimate);
    }

    /** Receives each user's seat checks from a recording worker's {@link #resolveUsers(int, int, long, Checks)}. */
    interface Checks {
        void recorded(int u, CutoffSeats seats);
    }

    /** {@link #resolveUsers(int, int)} with the entry count known (phase 0 counted it). */
    WorkerOutput resolveUsers(int from, int to, long estimate) {
        return resolveUsers(from, to, estimate, null);
    }

    /** {@link #resolveUsers(int, int, long)} that hands each user's seat checks to {@code checks} (a recording worker). */
    WorkerOutput resolveUsers(int from, int to, long estimate, Checks checks) {
        boolean refs = byReference && checks == null;
        // by reference, an entry of the lean path is one int; the users with direct licences (and
        // any in a group of several products) write whole entries, and the output grows if they need more
        long ints = refs ? estimate + (asg.directCount() + 8L) * 3 * E : (estimate + 8) * E;
        out = new int[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(64, ints))];
        outTop = 0;
        references = 0;
        BulkIndex place = placed;
        byte id = placedId;
        int[] idx = place == null ? new int[Math.max(16, (to - from) * 3 + 3)] : null;
        int k = 0;
        int listed = 0;
        int highest = -1;
        // the users of the lean path placed by reference, run by run, in a loop of their own
        boolean lean = refs && place != null && !anyDeleted && leanLoop;
        leanUsers = 0;
        for (int u = from; u < to; u++) {
            if (lean) {
                leanListed = listed;
                leanHighest = highest;
                u = resolveLean(u, to, place, id);
                listed = leanListed;
                highest = leanHighest;
                if (u >= to) {
                    break;
                }
            }
            if (anyDeleted && users.isDeleted(u)) {
                continue;
            }
            License[] ds = asg.directOf(u);
            int[] gs = dir.groupArray(u);
            int gn = dir.groupCount(u);
            if (ds.length == 0 && gn == 0) {
                continue;
            }
            if (checks != null) {
                cutoff.startUser();
            }
            int n = ds.length == 0 && singles && (general == null || (general[u >>> 6] & (1L << u)) == 0)
                    ? resolveSingles(u, gs, gn, refs) : -1;
            boolean ref = refs && n >= 0;
            if (n < 0) {
                n = resolveClean(u, ds, gs, gn);
            }
            if (n < 0) {
                n = resolveSlow(u, ds, gs, gn);
            }
            if (checks != null) {
                checks.recorded(u, cutoff);
            }
            if (n == 0) {
                continue;
            }
            if (ref) {
                place.placeByReference(u, outTop, n, id);
                listed++;
                highest = u;
                references++;
                outTop += n;
                continue;
            }
            if (place != null) {
                place.place(u, outTop, n, id);
                listed++;
                highest = u;
            } else {
                if (k + 6 > idx.length) {
                    idx = Arrays.copyOf(idx, idx.length * 2);
                }
                idx[k++] = u;
                idx[k++] = outTop;
                idx[k++] = n;
            }
            outTop += n * E;
        }
        WorkerOutput result = place != null ? WorkerOutput.placed(out, listed, highest, references)
                : new WorkerOutput(out, idx, k / 3);
        out = null;
        return result;
    }

    /**
     * {@link #resolveUsers}' loop for users [u, to) while each takes {@link #resolveSingles}'
     * path and is placed by reference (no user deleted, the output into a bulk index): the same
     * decisions, seats, refusals and placements, with the worker's state in locals and no call
     * per user. Stops at the first user with a direct licence, one a rule other than seats could
     * refuse ({@link #general}), in more than 64 groups or in a group of several products, and
     * returns it (taking no seat for it), or {@code to}.
     */
    private int resolveLean(int u, int to, BulkIndex place, byte id) {
        Assignments a = asg;
        Directory d = dir;
        int[] sg = single;
        long[] cut = groupCutoff;
        int[] seats = taken;
        int[] o = out;
        int at = outTop;
        int listed = leanListed;
        int highest = leanHighest;
        long[] gen = general;
        long resolved = 0;
        for (; u < to; u++) {
            if (a.directOf(u).length != 0 || gen != null && (gen[u >>> 6] & (1L << u)) != 0) {
                break;
            }
            int gn = d.groupCount(u);
            if (gn == 0) {
                continue;
            }
            if (gn > 64) {
                break;
            }
            int[] gs = d.groupArray(u);
            resolved++;
            if (at + gn > o.length) {
                outTop = at;
                ensureOut(gn);
                o = out;
            }
            long held = 0;
            long refusedProducts = 0;
            int n = 0;
            int gi = 0;
            for (; gi < gn; gi++) {
                int g = gs[gi];
                int t = sg[g];
                if (t == GroupTables.MANY) {
                    break;
                }
                // as in resolveSingles: a group licensing nothing is written over by the next entry
                boolean licenses = t >= 0;
                long bit = licenses ? 1L << t : 0;
                boolean fresh = (held & bit) == 0;
                boolean refuse = StateStore.snapshotGroupKey(g, u) >= cut[g] & fresh;
                seats[licenses ? t : 0] += licenses & fresh & !refuse ? 1 : 0;
                held |= refuse ? 0 : bit;
                refusedProducts |= refuse ? bit : 0;
                o[at + n] = g << 1 | (refuse ? 1 : 0);
                n += licenses ? 1 : 0;
            }
            if (gi < gn) {
                // the seats taken so far are exactly one per product held: given back
                for (long b = held; b != 0; b &= b - 1) {
                    seats[Long.numberOfTrailingZeros(b)]--;
                }
                resolved--;
                break;
            }
            if (refusedProducts != 0) {
                for (long b = refusedProducts; b != 0; b &= b - 1) {
                    refused[Long.numberOfTrailingZeros(b)]++;
                }
                if (slowUsers != null) {
                    slowUsers.add(u);
                }
            }
            if (n == 0) {
                continue;
            }
            place.placeByReference(u, at, n, id);
            listed++;
            highest = u;
            at += n;
        }
        outTop = at;
        references += listed - leanListed; // every user placed here is placed by reference
        leanListed = listed;
        leanHighest = highest;
        leanUsers += resolved;
        return u;
    }

    /** Makes {@link #resolveUsers} take every user through the per-user path, as before {@link #resolveLean} (tests compare). */
    void withoutLeanLoop() {
        leanLoop = false;
    }

    /** Users with groups that {@link #resolveLean} resolved in the last {@link #resolveUsers} (0 without the lean loop). */
    long leanUsers() {
        return leanUsers;
    }

    /** Starts an output for {@link #resolveOne}, with room for about {@code entries} entries (it grows as needed). */
    void startOutput(long entries) {
        out = new int[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(64, (entries + 8) * E))];
        outTop = 0;
    }

    /**
     * Resolves user {@code u} under the cutoffs, leaving its seat checks in the cutoff seats,
     * and appends its entries to the output at {@link #top()} (read before the call); returns
     * how many. The user's entries are in the output, not copied anywhere else.
     */
    int resolveOne(int u) {
        cutoff.startUser();
        License[] ds = asg.directOf(u);
        int[] gs = dir.groupArray(u);
        int gn = dir.groupCount(u);
        int n = resolveClean(u, ds, gs, gn);
        if (n < 0) {
            n = resolveSlow(u, ds, gs, gn);
        }
        outTop += n * E;
        return n;
    }

    /** Where the next user's entries go in {@link #output()}. */
    int top() {
        return outTop;
    }

    /** The output {@link #resolveOne} appends to (replaced when it grows: read it after the last call). */
    int[] output() {
        return out;
    }

    /**
     * The user unit by unit through the full rules ({@link FreshUser}: the general resolver's
     * decisions for a user with no entries yet); its entries written at {@link #outTop}.
     */
    private int resolveSlow(int u, License[] ds, int[] gs, int gn) {
        if (cutoff != null) {
            cutoff.startUser();
        }
        int need = ds.length;
        for (int gi = 0; gi < gn; gi++) {
            need += groupProducts[gs[gi]].length;
        }
        ensureOut(need);
        int n = fresh.resolve(u, ds, gs, gn, out, outTop);
        if (cutoff != null && !record) {
            boolean any = false;
            for (int t = 0; t < refused.length; t++) {
                if (cutoff.limited[t] && cutoff.denied[t] != CutoffSeats.NONE) {
                    refused[t]++;
                    any = true;
                }
            }
            if (any && slowUsers != null) {
                slowUsers.add(u);
            }
        }
        return n;
    }

    private void ensureOut(int entries) {
        if (outTop + entries * E > out.length) {
            out = Arrays.copyOf(out, Math.max(outTop + entries * E, out.length * 2));
        }
    }

    /**
     * The fast path: when the union of all the user's sources has no conflict, no missing
     * prerequisite, nothing prohibited where the user is and no proxy collision to matter, every
     * unit is granted Active unless a seat check refuses it, so the entries are written directly
     * in canonical order into the output. Under cutoffs a unit whose first demand of a limited
     * product is at or past the cutoff fails with CountViolation, as {@link UserResolver#processUnit}
     * would decide it; the fast path takes that case only for one-product units and when the
     * sources left active still have every prerequisite. Writes the entries at {@link #outTop}
     * and returns how many; returns -1, writing nothing and taking no seat, for any other user.
     */
    private int resolveClean(int u, License[] ds, int[] gs, int gn) {
        int need = ds.length;
        if (ds.length == 0 && groupsClean) {
            for (int gi = 0; gi < gn; gi++) {
                need += groupProducts[gs[gi]].length;
            }
        } else {
            long union = 0;
            for (License l : ds) {
                union |= rules.ruleMask(l.enabled());
            }
            for (int gi = 0; gi < gn; gi++) {
                int g = gs[gi];
                union |= groupRule[g];
                need += groupProducts[g].length;
            }
            if ((union & rules.prohibitedAt(users.usageLocationCode(u))) != 0
                    || ((union & rules.uniqueness()) != 0 && (collides[u >>> 6] & (1L << u)) != 0)
                    || rules.conflicts(union, 0) || rules.unmet(union) != 0) {
                return -1;
            }
        }
        long failedDirect = 0;
        long failedGroup = 0;
        CutoffSeats cut = cutoff;
        if (cut != null) {
            // the user's units in the order they are resolved: directs (one product each, all
            // different), then groups ascending; a product is held once a unit granting it passed
            int mark = ++stamp;
            for (int i = 0; i < ds.length; i++) {
                License l = ds[i];
                int t = l.product();
                if (cut.limited[t] && l.order() >= cut.cutoff[t]) {
                    if (i >= 64) {
                        return -1;
                    }
                    failedDirect |= 1L << i;
                    if (record) {
                        cut.record(t, l.order(), false);
                    }
                } else {
                    productStamp[t] = mark;
                    if (record && cut.limited[t]) {
                        cut.record(t, l.order(), true);
                    }
                }
            }
            // only limited products can be refused, so only groups licensing one are looked at
            for (int gi = 0; gi < gn; gi++) {
                int g = gs[gi];
                if (!groupLimited[g]) {
                    continue;
                }
                int[] ps = groupProducts[g];
                long key = StateStore.snapshotGroupKey(g, u);
                boolean fails = false;
                for (int t : ps) {
                    fails |= cut.limited[t] && productStamp[t] != mark && key >= cut.cutoff[t];
                }
                if (fails) {
                    if (ps.length > 1 || gi >= 64) {
                        return -1;
                    }
                    failedGroup |= 1L << gi;
                    if (record) {
                        cut.record(ps[0], key, false);
                    }
                } else {
                    for (int t : ps) {
                        if (record && cut.limited[t] && productStamp[t] != mark) {
                            cut.record(t, key, true);
                        }
                        productStamp[t] = mark;
                    }
                }
            }
            if ((failedDirect | failedGroup) != 0) {
                long active = 0;
                for (int i = 0; i < ds.length; i++) {
                    if ((failedDirect & (1L << i)) == 0) {
                        active |= rules.ruleMask(ds[i].enabled());
                    }
                }
                for (int gi = 0; gi < gn; gi++) {
                    if (gi >= 64 || (failedGroup & (1L << gi)) == 0) {
                        active |= groupRule[gs[gi]];
                    }
                }
                if (rules.unmet(active) != 0) {
                    return -1;
                }
                if (record) {
                    return write(u, ds, gs, gn, need, failedDirect, failedGroup);
                }
                // one refusal per user and product, as CutoffSeats records it
                int seen = ++stamp;
                for (int i = 0; i < ds.length; i++) {
                    if ((failedDirect & (1L << i)) != 0) {
                        countRefused(ds[i].product(), seen);
                    }
                }
                for (int gi = 0; gi < gn; gi++) {
                    if ((failedGroup & (1L << gi)) != 0) {
                        countRefused(groupProducts[gs[gi]][0], seen);
                    }
                }
                if (slowUsers != null) {
                    slowUsers.add(u);
                }
            }
        }
        return write(u, ds, gs, gn, need, failedDirect, failedGroup);
    }

    /**
     * {@link #resolveClean} for a user licensed by groups alone, each of one product (or none),
     * where no rule but seats can refuse a group ({@link GroupTables#groupsClean}), nothing is
     * recorded and the tenant has at most 64 products: the refusals are decided as the entries
     * are written, from flat per-group arrays, with the products the user holds as bits of a
     * long, and no branch on a group's product, its cutoff or whether it licenses anything.
     * The same entries, seats and refusals as {@link #resolveClean}; returns -1, taking no seat
     * and leaving {@link #outTop} where it was (what it wrote past it is overwritten), for a
     * user in a group of several products or in more than 64 groups (then {@link #resolveClean}
     * decides). With {@code refs}, each entry is written as one int, its group shifted left by
     * one and the refusal in the low bit ({@link BulkIndex#placeByReference}).
     */
    private int resolveSingles(int u, int[] gs, int gn, boolean refs) {
        if (gn > 64) {
            return -1;
        }
        int[] o = out;
        int at = outTop;
        if (at + gn * E > o.length) {
            int need = 0;
            for (int gi = 0; gi < gn; gi++) {
                need += single[gs[gi]] >= 0 ? 1 : 0;
            }
            ensureOut(need);
            o = out;
        }
        int refusedState = States.pack(States.ERROR, States.COUNT_VIOLATION);
        int[] seats = taken;
        long held = 0;
        long refusedProducts = 0;
        int n = 0;
        for (int gi = 0; gi < gn; gi++) {
            int g = gs[gi];
            int t = single[g];
            if (t == GroupTables.MANY) {
                // the seats taken so far are exactly one per product held: given back
                for (long b = held; b != 0; b &= b - 1) {
                    seats[Long.numberOfTrailingZeros(b)]--;
                }
                return -1;
            }
            // a group licensing nothing (no cutoff) is written over by the next entry: no branch on it
            boolean licenses = t >= 0;
            long bit = licenses ? 1L << t : 0;
            long key = StateStore.snapshotGroupKey(g, u);
            // SPEC R10/R11 under cutoffs: a limited product's first demand at or past its cutoff is
            // refused; a product an earlier unit already holds takes no new seat (R3)
            boolean fresh = (held & bit) == 0;
            boolean refuse = key >= groupCutoff[g] & fresh;
            seats[licenses ? t : 0] += licenses & fresh & !refuse ? 1 : 0;
            held |= refuse ? 0 : bit;
            refusedProducts |= refuse ? bit : 0;
            if (refs) {
                o[at] = g << 1 | (refuse ? 1 : 0);
                at += licenses ? 1 : 0;
            } else {
                StateStore.put(o, at, g, t, singleMask[g], refuse ? refusedState : OK, key, StateStore.NO_TIME);
                at += licenses ? E : 0;
            }
            n += licenses ? 1 : 0;
        }
        if (refusedProducts != 0) {
            for (long b = refusedProducts; b != 0; b &= b - 1) {
                refused[Long.numberOfTrailingZeros(b)]++;
            }
            if (slowUsers != null) {
                slowUsers.add(u);
            }
        }
        return n;
    }

    /** The fast path's entries for the user's units, Active or refused by the failure bits, at {@link #outTop}. */
    private int write(int u, License[] ds, int[] gs, int gn, int need, long failedDirect, long failedGroup) {
        ensureOut(need);
        outN = 0;
        held = ++stamp;
        int ok = OK;
        int refusedState = States.pack(States.ERROR, States.COUNT_VIOLATION);
        if (ds.length == 1) {
            License l = ds[0];
            append(StateStore.direct(l.product()), l.product(), l.enabled(), failedDirect != 0 ? refusedState : ok,
                    l.order());
        } else if (ds.length > 1) {
            // canonical order is by product; the failure bits are by position in ds
            for (int k = 0; k < ds.length; k++) {
                int best = -1;
                for (int i = 0; i < ds.length; i++) {
                    int p = ds[i].product();
                    if ((best < 0 || p < ds[best].product())
                            && (k == 0 || p > out[outTop + (outN - 1) * E + StateStore.PRODUCT])) {
                        best = i;
                    }
                }
                License l = ds[best];
                append(StateStore.direct(l.product()), l.product(), l.enabled(),
                        (failedDirect & (1L << best)) != 0 ? refusedState : ok, l.order());
            }
        }
        for (int gi = 0; gi < gn; gi++) {
            int g = gs[gi];
            int[] ps = groupProducts[g];
            int[] ms = groupMasks[g];
            long key = StateStore.snapshotGroupKey(g, u);
            int state = gi < 64 && (failedGroup & (1L << gi)) != 0 ? refusedState : ok;
            for (int i = 0; i < ps.length; i++) {
                append(g, ps[i], ms[i], state, key);
            }
        }
        return outN;
    }

    /** Counts one refusal of product {@code t} for the current user, once per {@code seen} stamp. */
    private void countRefused(int t, int seen) {
        if (refusedStamp[t] != seen) {
            refusedStamp[t] = seen;
            refused[t]++;
        }
    }

    /**
     * Appends one entry of the current user to the output (space ensured by the caller), taking
     * the product's seat if the entry is the user's first Active one of it (R3: one seat per
     * product held; the fast path's entries are Active or refused).
     */
    private void append(int src, int t, int mask, int state, long key) {
        StateStore.put(out, outTop + outN * E, src, t, mask, state, key, StateStore.NO_TIME);
        outN++;
        if (state == OK && productStamp[t] != held) {
            productStamp[t] = held;
            taken[t]++;
        }
    }
}
