package org.licensim.core.engine.reconcile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Dictionary;
import org.licensim.core.directory.Groups;
import org.licensim.core.engine.resolve.Entries;
import org.licensim.core.engine.resolve.RulePlans;
import org.licensim.core.state.BulkIndex;
import org.licensim.core.state.StateStore;
import org.roaringbitmap.BitmapContainer;
import org.roaringbitmap.Container;
import org.roaringbitmap.ContainerPointer;
import org.roaringbitmap.PeekableCharIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * {@link ShortSeats#DEMAND}, the default: each short product's cutoff computed before phase 1
 * as the key of its first demand past capacity (phase 0), every user resolved once under those
 * cutoffs, and the result accepted only if it is a fixed point of {@link CutoffRounds}'
 * iteration: no product over its seats, and every short product either full or with nobody
 * refused. That is exactly the state the iteration stops in, so the result is the R11 pass's.
 * Conflicts, prerequisites and usage locations can make the guess wrong (a refused unit takes
 * no seat): where they can ({@link #refusable}), the cutoff rounds start from the guess
 * ({@link CutoffRounds#fromGuess}); elsewhere a guess that is not a fixed point stores nothing.
 */
final class DemandCutoffs implements SeatStrategy {
    static final DemandCutoffs INSTANCE = new DemandCutoffs();

    private DemandCutoffs() {
    }

    @Override
    public ReconcilePath settle(Reconciler r) {
        int products = r.products();
        int[] capacity = r.capacity;
        boolean[] limited = new boolean[products];
        long[] cutoff = new long[products];
        Arrays.fill(cutoff, CutoffSeats.NONE);
        if (r.tenant.users().liveCount() != r.tenant.users().size()) {
            return null;
        }
        Sizes sizes = sizes(r);
        if (!cutoffs(r, capacity, limited, cutoff, sizes.members)) {
            return null;
        }
        if (refusable(r, limited)) {
            // the cutoffs of the R11 pass itself, where the walk over the members can find them
            SequentialCutoffs exact = SequentialCutoffs.of(r, sizes.members);
            if (exact != null && underCutoffs(r, exact.limited, exact.cutoff, sizes.entries, exact.special)) {
                return ReconcilePath.SEQUENTIAL_CUTOFFS;
            }
            return CutoffRounds.fromGuess(r, limited, cutoff, sizes.entries.clone());
        }
        return underCutoffs(r, limited, cutoff, sizes.entries, null) ? ReconcilePath.DEMAND_CUTOFFS : null;
    }

    /**
     * Phase 1 once under {@code cutoff}, not recording; stores the result and returns true when
     * it is a fixed point (no product over its seats, every short product full or with nobody
     * refused), else stores nothing. {@code special}: the users phase 1's lean path must not
     * take where some group can be refused by a rule (null: only {@link GroupTables#groupsClean}
     * lets it take any).
     */
    private static boolean underCutoffs(Reconciler r, boolean[] limited, long[] cutoff, long[] entries, long[] special) {
        int products = r.products();
        int[] capacity = r.capacity;
        int[][] groupProducts = r.tables.products;
        boolean[] groupLimited = new boolean[groupProducts.length];
        for (int g = 0; g < groupLimited.length; g++) {
            for (int t : groupProducts[g]) {
                groupLimited[g] |= limited[t];
            }
        }
        WorkerOutput[] out = new WorkerOutput[r.threads];
        CutoffSeats[] seatsOf = new CutoffSeats[r.threads];
        Phase1Worker[] workers = new Phase1Worker[r.threads];
        // the workers fill the store's per-user index themselves (the heap store, empty), undone if the cutoffs fail
        BulkIndex placed = r.store().bulkIndex(r.users(), r.threads);
        r.inParallel(w -> {
            seatsOf[w] = new CutoffSeats(limited, cutoff);
            workers[w] = new Phase1Worker(r, seatsOf[w], groupLimited, special);
            if (placed != null) {
                workers[w].placeInto(placed, w);
            }
            out[w] = workers[w].resolveUsers(r.from(w), r.to(w), entries[w]);
        });
        int[] total = new int[products];
        int[] refused = new int[products];
        for (int w = 0; w < r.threads; w++) {
            for (int t = 0; t < products; t++) {
                total[t] += seatsOf[w].taken[t];
                refused[t] += workers[w].refused()[t];
            }
        }
        for (int t = 0; t < products; t++) {
            if (total[t] > capacity[t] || (limited[t] && total[t] < capacity[t] && refused[t] > 0)) {
                if (placed != null) {
                    placed.abandon();
                }
                return false;
            }
        }
        if (placed != null) {
            r.storePlaced(placed, out, total);
        } else {
            r.store(out, total);
        }
        if (r.tenant.settings().autoReprocess()) {
            // refused demands wait for seats in R11 order (R18)
            for (Phase1Worker worker : workers) {
                IntArrayList slow = worker.slowUsers();
                for (int i = 0; i < slow.size(); i++) {
                    int u = slow.get(i);
                    Entries es = r.main.peek(u);
                    r.main.indexWaiting(u, es.array(), es.size());
                }
            }
        }
        return true;
    }

    /**
     * Whether some demand of a short product could be refused for a reason other than its seat
     * (a conflict with any plan the tenant assigns, R13; a plan prohibited in some usage location
     * in use, R15; an Exchange plan where proxy addresses are shared, R16; a direct licence whose
     * prerequisites its own plans do not give, R14; another short product of the same group,
     * R12). A refused demand takes no seat, so the guess counts seats that are not taken and is
     * then almost never a fixed point: its phase 1 records every user's seat checks instead, for
     * the cutoff rounds to start from. Only speed depends on this answer.
     */
    static boolean refusable(Reconciler r, boolean[] limited) {
        RulePlans rules = r.rules;
        long[] groupRule = r.tables.rule;
        int[][] groupProducts = r.tables.products;
        long all = 0;
        for (long g : groupRule) {
            all |= g;
        }
        int[] withDirect = r.withDirect();
        for (int i = 0; i < withDirect.length; i++) {
            for (License l : r.directs(i)) {
                all |= rules.ruleMask(l.enabled());
            }
        }
        long prohibited = rules.prohibitedAt(Dictionary.NULL);
        for (int c = 0, n = r.tenant.users().usageLocation().dictionary().size(); c < n; c++) {
            prohibited |= rules.prohibitedAt(c);
        }
        long unique = r.tenant.users().sharesProxyAddresses() ? rules.uniqueness() : 0;
        long risky = prohibited | unique;
        for (int g = 0; g < groupRule.length; g++) {
            int shortProducts = 0;
            for (int t : groupProducts[g]) {
                shortProducts += limited[t] ? 1 : 0;
            }
            if (shortProducts > 0 && (shortProducts > 1 || (groupRule[g] & risky) != 0
                    || rules.conflicts(groupRule[g], all))) {
                return true;
            }
        }
        for (int i = 0; i < withDirect.length; i++) {
            for (License l : r.directs(i)) {
                long m = rules.ruleMask(l.enabled());
                if (limited[l.product()] && ((m & risky) != 0 || rules.conflicts(m, all) || rules.unmet(m) != 0)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Phase 0: the cutoff of each product whose demand exceeds its seats, i.e. the R11 key of
     * the first demand past capacity, where a user's demand of a product is its first source of
     * it in the order its units are resolved (a direct assignment, else its lowest group with a
     * licence of the product: R3 one seat however many sources, R11 order). Returns false (no
     * guess) for a tenant with deleted users or a direct key not below every group key;
     * {@code limited}/{@code cutoff} are filled otherwise.
     */
    private static boolean cutoffs(Reconciler r, int[] capacity, boolean[] limited, long[] cutoff, long[] members) {
        Assignments asg = r.tenant.assignments();
        int[][] groupProducts = r.tables.products;
        long[] upper = new long[capacity.length];
        for (int g = 0; g < groupProducts.length; g++) {
            for (int t : groupProducts[g]) {
                upper[t] += members[g];
            }
        }
        int[] withDirect = r.withDirect();
        // products are independent: one per core at a time; most are not short, and the upper
        // bound (every member of every licensing group, every direct) says so at once
        return IntStream.range(0, capacity.length).parallel()
                .filter(t -> upper[t] + asg.directCount() > capacity[t])
                .allMatch(t -> productCutoff(r, t, capacity[t], withDirect, limited, cutoff));
    }

    /**
     * Phase 0 for product {@code t}, with the groups' member bitmaps: walking the product's
     * groups in index order, a group's new demands are its members not yet seen; in the group
     * where capacity is crossed, the member of that rank is the cutoff. False when a direct key
     * is not below the group keys.
     */
    private static boolean productCutoff(Reconciler r, int t, int seats, int[] withDirect, boolean[] limited,
                                         long[] cutoff) {
        Groups groups = r.tenant.groups();
        int[][] groupProducts = r.tables.products;
        RoaringBitmap seen = new RoaringBitmap();
        LongArrayList keys = new LongArrayList();
        for (int i = 0; i < withDirect.length; i++) {
            int u = withDirect[i];
            for (License l : r.directs(i)) {
                if (l.product() == t) {
                    if (l.order() >= StateStore.snapshotGroupKey(0, 0)) {
                        return false;
                    }
                    keys.add(l.order());
                    seen.add(u);
                }
            }
        }
        if (keys.size() > seats) {
            limited[t] = true;
            cutoff[t] = keys.toSortedArray()[seats];
            return true;
        }
        List<RoaringBitmap> licensed = new ArrayList<>();
        IntArrayList licensedGroups = new IntArrayList();
        for (int g = 0; g < groupProducts.length; g++) {
            if (Arrays.binarySearch(groupProducts[g], t) >= 0) {
                licensed.add(groups.userMembers(g));
                licensedGroups.add(g);
            }
        }
        // the walk: each group's new demands are what its members add to the union so far
        Container[] union = new Container[(r.users() >>> 16) + 1];
        for (int k = 0; k < union.length; k++) {
            union[k] = new BitmapContainer();
        }
        orInto(union, seen);
        long left = seats - keys.size();
        for (int i = 0; i < licensed.size(); i++) {
            RoaringBitmap m = licensed.get(i);
            // a group that can hold the cutoff (more members than seats left): the union before it kept
            Container[] before = left < m.getLongCardinality() ? copy(union) : null;
            long fresh = orInto(union, m);
            if (left < fresh) {
                limited[t] = true;
                cutoff[t] = StateStore.snapshotGroupKey(licensedGroups.get(i), newMember(m, before, (int) left));
                return true;
            }
            left -= fresh;
        }
        return true;
    }

    static Container[] copy(Container[] union) {
        Container[] c = new Container[union.length];
        for (int k = 0; k < c.length; k++) {
            c[k] = union[k].clone();
        }
        return c;
    }

    /**
     * The member of {@code m} of rank {@code rank} (from 0, in user order) among those not in
     * {@code before}: containers whose new members all come before that rank are passed over by
     * their counts alone (a bitset's popcounts), and only the container holding it is walked.
     */
    static int newMember(RoaringBitmap m, Container[] before, int rank) {
        for (ContainerPointer p = m.getContainerPointer(); p.getContainer() != null; p.advance()) {
            Container c = p.getContainer();
            Container b = before[p.key()];
            int fresh = c.getCardinality() - c.andCardinality(b);
            if (rank >= fresh) {
                rank -= fresh;
                continue;
            }
            int high = p.key() << 16;
            for (PeekableCharIterator it = c.getCharIterator(); it.hasNext(); ) {
                char low = it.next();
                if (!b.contains(low) && rank-- == 0) {
                    return high | low;
                }
            }
        }
        throw new IllegalStateException("a group has fewer new members than its union added");
    }

    /**
     * Adds {@code m} to {@code union} (one container per 65,536 users, kept as bitsets from the
     * start: a group's few members per container are set bit by bit, where a union of sorted
     * arrays would copy the union so far) and returns how many of its members were not in it.
     */
    static long orInto(Container[] union, RoaringBitmap m) {
        long added = 0;
        for (ContainerPointer p = m.getContainerPointer(); p.getContainer() != null; p.advance()) {
            int k = p.key();
            Container u = union[k];
            int before = u.getCardinality();
            u = u.ior(p.getContainer());
            union[k] = u;
            added += u.getCardinality() - before;
        }
        return added;
    }

    /** Per group its members (0 for a group licensing nothing), per worker the entries its users will have. */
    record Sizes(long[] members, long[] entries) {
    }

    /**
     * Phase 0's upper bounds and the workers' output sizes from one walk over the licensing
     * groups' member bitmaps, split between the workers by group: each container counts whole
     * for the worker whose users it holds, and only a container across a boundary between two
     * workers' users is counted by range. A worker's entries are its users' memberships of
     * licensing groups times the group's products, plus every direct licence as slack.
     */
    static Sizes sizes(Reconciler r) {
        int[][] groupProducts = r.tables.products;
        Groups groups = r.tenant.groups();
        int threads = r.threads;
        long[] members = new long[groupProducts.length];
        long[][] part = new long[threads][threads];
        int per = (groupProducts.length + threads - 1) / threads;
        r.inParallel(k -> {
            long[] entries = part[k];
            for (int g = k * per, end = Math.min(groupProducts.length, g + per); g < end; g++) {
                int mult = groupProducts[g].length;
                if (mult > 0) {
                    members[g] = count(r, groups.userMembers(g), mult, entries);
                }
            }
        });
        long[] entries = new long[threads];
        long direct = r.tenant.assignments().directCount();
        for (int w = 0; w < threads; w++) {
            entries[w] = direct;
            for (long[] p : part) {
                entries[w] += p[w];
            }
        }
        return new Sizes(members, entries);
    }

    /** Adds {@code m}'s members in each worker's share, times {@code mult}, to {@code entries}; returns its size. */
    private static long count(Reconciler r, RoaringBitmap m, int mult, long[] entries) {
        long size = 0;
        int chunk = r.chunk;
        for (ContainerPointer p = m.getContainerPointer(); p.getContainer() != null; p.advance()) {
            int c = p.getCardinality();
            size += c;
            long lo = (long) p.key() << 16;
            long hi = lo + 65_536;
            int w = (int) (lo / chunk);
            if (hi <= r.to(w)) {
                entries[w] += (long) c * mult;
            } else {
                for (int v = w; v < r.threads && r.from(v) < hi; v++) {
                    entries[v] += mult * m.rangeCardinality(Math.max(lo, r.from(v)), Math.min(hi, r.to(v)));
                }
            }
        }
        return size;
    }
}
