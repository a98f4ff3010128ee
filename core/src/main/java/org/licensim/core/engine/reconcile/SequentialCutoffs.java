package org.licensim.core.engine.reconcile;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Dictionary;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.Users;
import org.licensim.core.engine.resolve.RulePlans;
import org.licensim.core.state.StateStore;
import org.roaringbitmap.BitSetUtil;
import org.roaringbitmap.BitmapContainer;
import org.roaringbitmap.Container;
import org.roaringbitmap.ContainerPointer;
import org.roaringbitmap.PeekableCharIterator;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Phase 0 of {@link ShortSeats#DEMAND} where rules other than seats can refuse demands
 * ({@link DemandCutoffs#refusable}): the cutoffs the sequential R11 pass ends with, computed
 * before phase 1, so that phase 1 runs once under them without recording anyone's seat checks.
 * The R11 pass is walked over the member bitmaps, one source at a time in key order (direct
 * licences by order, then each group with its members in user order). Most users
 * ({@code plain}) have no unit a rule can refuse: their union of sources has no conflict
 * (R13), nothing prohibited where they are (R15), no uniqueness plan beside a shared proxy
 * address (R16) and no direct licence, so their demand of a product is their first source of
 * it, and a group's new demands from them are its members no earlier source of the product
 * holds (counted by bitmap, as {@link DemandCutoffs} does). The others ({@link #special}) are
 * walked unit by unit with what they hold and the plans granted to them, as
 * {@link FreshUser} decides a unit: refused by a rule, granted without a seat check, or
 * checking the product's seat. The seat checks of a group come in user order, the plain
 * users' and the special users' merged; the cutoff of a product is the key of its first check
 * past its seats. Only groups with at most one product whose seats can run out are walked
 * (with two, R12 refuses a group for one of them while the other's seat was checked);
 * {@link #of} returns null otherwise. Phase 1 then accepts the cutoffs only at a fixed point,
 * as it accepts the guess, so only speed depends on this walk being right.
 */
final class SequentialCutoffs {
    private static final long NONE = CutoffSeats.NONE;
    private static final int REFUSED = 0;
    private static final int GRANTED = 1;
    private static final int CHECKS = 2;

    /** The users walked unit by unit (phase 1 sends them through the general path): a bit each. */
    final long[] special;
    /** Per product: whether some demand of it is refused its seat, and the key of the first refused. */
    final boolean[] limited;
    final long[] cutoff;

    private final RulePlans rules;
    /** Per rule bit, the bits it conflicts with ({@link #conflictsOf(RulePlans)}). */
    private final long[] conflictsOf;
    /** Per word of {@link #special}, how many special users come before it: a special user's index is its rank. */
    private final int[] before;
    /** Per special user (by rank): the products it holds and the rule bits of the units granted to it. */
    private final long[] held;
    private final long[] granted;
    /** Per special user (by rank): the rule bits no unit of it may have, for its usage location (R15) and a shared proxy address (R16). */
    private final long[] blocked;

    private SequentialCutoffs(Reconciler r, long[] special, long[] conflictsOf) {
        this.special = special;
        this.rules = r.rules;
        this.conflictsOf = conflictsOf;
        int products = r.products();
        limited = new boolean[products];
        cutoff = new long[products];
        Arrays.fill(cutoff, NONE);
        before = new int[special.length + 1];
        for (int w = 0; w < special.length; w++) {
            before[w + 1] = before[w] + Long.bitCount(special[w]);
        }
        held = new long[before[special.length]];
        granted = new long[before[special.length]];
        blocked = new long[before[special.length]];
        Users users = r.tenant.users();
        long[] collides = users.proxyCollisions();
        long unique = rules.uniqueness();
        IntStream.range(0, special.length).parallel().forEach(w -> {
            int i = before[w];
            for (long b = special[w]; b != 0; b &= b - 1) {
                int u = w << 6 | Long.numberOfTrailingZeros(b);
                blocked[i++] = rules.prohibitedAt(users.usageLocationCode(u))
                        | ((collides[u >>> 6] & (1L << u)) != 0 ? unique : 0);
            }
        });
    }

    /**
     * Per rule bit, the bits whose plans conflict with its plan (all bits for a plan that
     * conflicts with itself): a unit with rule bits {@code rule} conflicts with plans granted
     * before it ({@code granted}) iff {@code (conflictMask(rule) & (rule | granted)) != 0}, as
     * {@link RulePlans#conflicts} decides (R13: conflicts are between two plans).
     */
    static long[] conflictsOf(RulePlans rules) {
        long[] of = new long[64];
        for (int b = 0; b < 64; b++) {
            if (!rules.conflicts(1L << b, -1L)) {
                continue;
            }
            for (int c = 0; c < 64; c++) {
                of[b] |= rules.conflicts(1L << b, 1L << c) ? 1L << c : 0;
            }
        }
        return of;
    }

    /** The bits conflicting with any of {@code rule}'s. */
    static long conflictMask(long[] conflictsOf, long rule) {
        long m = 0;
        for (long rest = rule; rest != 0; rest &= rest - 1) {
            m |= conflictsOf[Long.numberOfTrailingZeros(rest)];
        }
        return m;
    }

    /**
     * The cutoffs of the R11 pass of {@code r}'s tenant (no deleted users), or null when it has
     * more than 64 products, a group with two products whose seats can run out, or direct
     * licences with equal orders or keys not below the groups'. {@code members}: per group its
     * members ({@link DemandCutoffs#sizes}).
     */
    static SequentialCutoffs of(Reconciler r, long[] members) {
        int products = r.products();
        if (products > 64) {
            return null;
        }
        int[][] groupProducts = r.tables.products;
        long[] upper = new long[products];
        for (int g = 0; g < groupProducts.length; g++) {
            for (int t : groupProducts[g]) {
                upper[t] += members[g];
            }
        }
        long direct = r.tenant.assignments().directCount();
        boolean[] canRunOut = new boolean[products];
        for (int t = 0; t < products; t++) {
            canRunOut[t] = upper[t] + direct > r.capacity[t];
        }
        int[] shortOf = new int[groupProducts.length];
        for (int g = 0; g < groupProducts.length; g++) {
            shortOf[g] = -1;
            for (int t : groupProducts[g]) {
                if (canRunOut[t]) {
                    if (shortOf[g] >= 0) {
                        return null;
                    }
                    shortOf[g] = t;
                }
            }
        }
        long[][] directs = sortedDirects(r);
        if (directs == null) {
            return null;
        }
        long[] conflictsOf = conflictsOf(r.rules);
        SequentialCutoffs s = new SequentialCutoffs(r, special(r, conflictsOf), conflictsOf);
        s.walk(r, canRunOut, shortOf, directs);
        return s;
    }

    /**
     * Every direct licence as (order, holder's index in {@link Reconciler#withDirect}, licence's
     * index there), ascending by order; null when two orders are equal or one is not below the
     * group keys.
     */
    private static long[][] sortedDirects(Reconciler r) {
        int[] withDirect = r.withDirect();
        int count = 0;
        for (int i = 0; i < withDirect.length; i++) {
            count += r.directs(i).length;
        }
        long[] orders = new long[count];
        long[] where = new long[count];
        long[] packed = new long[count];
        int k = 0;
        for (int i = 0; i < withDirect.length; i++) {
            License[] ls = r.directs(i);
            for (int j = 0; j < ls.length; j++) {
                long order = ls[j].order();
                if (order < 0 || order >= StateStore.snapshotGroupKey(0, 0) || order >= 1L << 40 || count >= 1 << 23) {
                    return null;
                }
                where[k] = (long) i << 32 | j;
                packed[k] = order << 23 | k;
                k++;
            }
        }
        Arrays.sort(packed);
        long[] sortedWhere = new long[count];
        for (int i = 0; i < count; i++) {
            orders[i] = packed[i] >>> 23;
            sortedWhere[i] = where[(int) (packed[i] & ((1 << 23) - 1))];
            if (i > 0 && orders[i] == orders[i - 1]) {
                return null;
            }
        }
        return new long[][] {orders, sortedWhere};
    }

    /**
     * The users a rule other than seats could refuse some unit of, or who hold a direct licence
     * or are in a group that does not give its own plans' prerequisites (R14: phase 1's lean path
     * does not look at them): members of two groups whose plans conflict (R13 conflicts are
     * between two plans) or of a group whose own plans do, users whose usage location prohibits
     * a plan the tenant assigns (R15) and users with a shared proxy address where a uniqueness
     * plan is assigned (R16).
     */
    private static long[] special(Reconciler r, long[] conflictsOf) {
        RulePlans rules = r.rules;
        Users users = r.tenant.users();
        Groups groups = r.tenant.groups();
        long[] groupRule = r.tables.rule;
        int[][] groupProducts = r.tables.products;
        int n = r.users();
        long[] bits = new long[(n + 63) >>> 6];
        long all = 0;
        for (long g : groupRule) {
            all |= g;
        }
        int[] withDirect = r.withDirect();
        for (int i = 0; i < withDirect.length; i++) {
            bits[withDirect[i] >>> 6] |= 1L << withDirect[i];
            for (License l : r.directs(i)) {
                all |= rules.ruleMask(l.enabled());
            }
        }
        // R13 by class: groups whose plans with a conflict are the same conflict alike, so the
        // members of each class are joined once and the classes compared pairwise
        long conflicting = 0;
        for (long c : conflictsOf) {
            conflicting |= c;
        }
        java.util.Map<Long, RoaringBitmap> classes = new java.util.LinkedHashMap<>();
        for (int g = 0; g < groupRule.length; g++) {
            if (groupProducts[g].length == 0) {
                continue;
            }
            RoaringBitmap m = groups.userMembers(g);
            if (rules.unmet(groupRule[g]) != 0) {
                m.forEach((int u) -> bits[u >>> 6] |= 1L << u);
            }
            long key = groupRule[g] & conflicting;
            if (key != 0) {
                classes.computeIfAbsent(key, k -> new RoaringBitmap()).or(m);
            }
        }
        Long[] keys = classes.keySet().toArray(new Long[0]);
        for (int a = 0; a < keys.length; a++) {
            long ka = keys[a];
            long ma = conflictMask(conflictsOf, ka);
            if ((ma & ka) != 0) {
                classes.get(ka).forEach((int u) -> bits[u >>> 6] |= 1L << u);
                continue;
            }
            for (int b = a + 1; b < keys.length; b++) {
                long kb = keys[b];
                if ((ma & kb) != 0 || (conflictMask(conflictsOf, kb) & ka) != 0) {
                    RoaringBitmap.and(classes.get(ka), classes.get(kb)).forEach((int u) -> bits[u >>> 6] |= 1L << u);
                }
            }
        }
        int locations = users.usageLocation().dictionary().size();
        boolean[] prohibits = new boolean[locations];
        boolean any = false;
        for (int c = 0; c < locations; c++) {
            prohibits[c] = (rules.prohibitedAt(c) & all) != 0;
            any |= prohibits[c];
        }
        boolean nowhere = (rules.prohibitedAt(Dictionary.NULL) & all) != 0;
        if (any || nowhere) {
            // blocks of 64 users' words, so that no two cores write one word
            int blocks = (n + 65_535) >>> 16;
            IntStream.range(0, blocks).parallel().forEach(b -> {
                for (int u = b << 16, end = Math.min(n, u + 65_536); u < end; u++) {
                    int c = users.usageLocationCode(u);
                    if (c == Dictionary.NULL ? nowhere : prohibits[c]) {
                        bits[u >>> 6] |= 1L << u;
                    }
                }
            });
        }
        if ((all & rules.uniqueness()) != 0 && users.sharesProxyAddresses()) {
            long[] collides = users.proxyCollisions();
            for (int w = 0; w < bits.length; w++) {
                bits[w] |= collides[w];
            }
        }
        return bits;
    }

    /** The index of special user {@code u} among the special users. */
    private int rank(int u) {
        return before[u >>> 6] + Long.bitCount(special[u >>> 6] & ((1L << u) - 1));
    }

    /**
     * What a unit of special user {@code i} (its index) with rule bits {@code rule} (whose plans
     * conflict with {@code conflicts}) comes to before any seat check, as {@link FreshUser}
     * decides it: refused by its usage location, a shared proxy address or a conflict with the
     * plans granted before it; granted when it
     * checks no seat that can run out ({@code t} none, or held already); else it checks t's.
     */
    private int unit(int i, long rule, long conflicts, int t) {
        if ((rule & blocked[i]) != 0 || (conflicts & (rule | granted[i])) != 0) {
            return REFUSED;
        }
        return t < 0 || (held[i] & (1L << t)) != 0 ? GRANTED : CHECKS;
    }

    private void grant(int i, long rule, long products) {
        held[i] |= products;
        granted[i] |= rule;
    }

    /** The R11 pass over the sources, counting seats: the direct licences by order, then the groups. */
    private void walk(Reconciler r, boolean[] canRunOut, int[] shortOf, long[][] directs) {
        int products = canRunOut.length;
        long[] left = new long[products];
        for (int t = 0; t < products; t++) {
            left[t] = r.capacity[t];
        }
        long[] orders = directs[0];
        for (int k = 0; k < orders.length; k++) {
            int i = (int) (directs[1][k] >>> 32);
            License l = r.directs(i)[(int) directs[1][k]];
            int u = r.withDirect()[i];
            int t = l.product();
            int s = rank(u);
            long rule = rules.ruleMask(l.enabled());
            int o = unit(s, rule, conflictMask(conflictsOf, rule), canRunOut[t] ? t : -1);
            if (o == CHECKS) {
                if (cutoff[t] == NONE && left[t] > 0) {
                    left[t]--;
                    o = GRANTED;
                } else if (cutoff[t] == NONE) {
                    cutoff[t] = orders[k];
                }
            }
            if (o == GRANTED) {
                grant(s, rule, 1L << t);
            }
        }
        Groups groups = r.tenant.groups();
        int[][] groupProducts = r.tables.products;
        long[] groupRule = r.tables.rule;
        RoaringBitmap specials = BitSetUtil.bitmapOf(special);
        // per product that can run out: the plain users with a source of it so far, and every special user
        Container[][] seen = new Container[products][];
        IntArrayList checks = new IntArrayList();
        for (int g = 0; g < groupProducts.length; g++) {
            int[] ps = groupProducts[g];
            if (ps.length == 0) {
                continue;
            }
            long bits = 0;
            for (int t : ps) {
                bits |= 1L << t;
            }
            long rule = groupRule[g];
            long conflicts = conflictMask(conflictsOf, rule);
            int t = shortOf[g];
            RoaringBitmap m = groups.userMembers(g);
            checks.clear();
            for (PeekableIntIterator it = RoaringBitmap.and(m, specials).getIntIterator(); it.hasNext(); ) {
                int u = it.next();
                int s = rank(u);
                int o = unit(s, rule, conflicts, t);
                if (o == GRANTED) {
                    grant(s, rule, bits);
                } else if (o == CHECKS) {
                    checks.add(u);
                }
            }
            if (t < 0 || cutoff[t] != NONE) {
                // no seat that can run out, or none left: every check is refused
                continue;
            }
            if (seen[t] == null) {
                seen[t] = new Container[(r.users() >>> 16) + 1];
                for (int k = 0; k < seen[t].length; k++) {
                    seen[t][k] = new BitmapContainer();
                }
                DemandCutoffs.orInto(seen[t], specials);
            }
            Container[] earlier = left[t] < m.getLongCardinality() ? DemandCutoffs.copy(seen[t]) : null;
            long demands = DemandCutoffs.orInto(seen[t], m) + checks.size();
            if (demands <= left[t]) {
                left[t] -= demands;
                for (int j = 0; j < checks.size(); j++) {
                    grant(rank(checks.get(j)), rule, bits);
                }
                continue;
            }
            int first = nthCheck(m, earlier, checks, (int) left[t]);
            cutoff[t] = StateStore.snapshotGroupKey(g, first);
            for (int j = 0; j < checks.size() && checks.get(j) < first; j++) {
                grant(rank(checks.get(j)), rule, bits);
            }
            left[t] = 0;
        }
        for (int t = 0; t < products; t++) {
            limited[t] = cutoff[t] != NONE;
        }
    }

    /**
     * The seat check of rank {@code rank} (from 0, in user order) among a group's: its members
     * not in {@code earlier} (plain users with no earlier source of the product; every special
     * user is in it) and the special users {@code checks} (ascending, members of the group).
     * Blocks of 65,536 users before it are passed over by their counts.
     */
    static int nthCheck(RoaringBitmap m, Container[] earlier, IntArrayList checks, int rank) {
        int j = 0;
        for (ContainerPointer p = m.getContainerPointer(); p.getContainer() != null; p.advance()) {
            int key = p.key();
            Container c = p.getContainer();
            Container b = earlier[key];
            int end = j;
            while (end < checks.size() && checks.get(end) >>> 16 == key) {
                end++;
            }
            int here = c.getCardinality() - c.andCardinality(b) + end - j;
            if (rank >= here) {
                rank -= here;
                j = end;
                continue;
            }
            int high = key << 16;
            for (PeekableCharIterator it = c.getCharIterator(); it.hasNext(); ) {
                char low = it.next();
                int u = high | low;
                boolean check = !b.contains(low);
                if (j < end && checks.get(j) == u) {
                    check = true;
                    j++;
                }
                if (check && rank-- == 0) {
                    return u;
                }
            }
        }
        throw new IllegalStateException("a group has fewer seat checks than counted");
    }
}
