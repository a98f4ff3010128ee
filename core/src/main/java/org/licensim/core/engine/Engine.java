package org.licensim.core.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;


import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.licensim.core.LicensimException;
import org.licensim.core.catalog.Product;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Directory;
import org.licensim.core.directory.Groups;
import org.licensim.core.directory.PlanMasks;
import org.licensim.core.directory.Subscriptions;
import org.licensim.core.directory.Tenant;
import org.licensim.core.directory.Users;
import org.licensim.core.event.Event;
import org.licensim.core.feed.ChangeFeed;
import org.licensim.core.feed.ChangeFeed.Kind;
import org.licensim.core.state.States;
import org.licensim.core.state.StateStore;
import org.roaringbitmap.RoaringBitmap;

/**
 * The resolver. {@link #reconcile()} resolves a freshly loaded tenant in SPEC R11 order;
 * {@link #apply(Event)} validates one event (SPEC R22: a bad event changes nothing), changes
 * the directory, re-resolves only the users it affects and appends their changes to the feed.
 *
 * <p>A <em>unit</em> is one source of one user: a direct assignment (one product) or a group
 * (all of the group's products together, SPEC R12). {@link #processUnit} grants or fails a unit,
 * {@link #removeSource} takes one away (honouring R14 and R16a), {@link #finish} settles what a
 * user's change left pending and derives ActiveWithError. All three work on the user's entries
 * copied into scratch arrays, so processing a user allocates nothing.
 */
public final class Engine {
    private static final int E = StateStore.ENTRY_INTS;
    private static final int MAX_USER = (1 << 24) - 1;
    private static final long MAX_SEQ = (1L << 36) - 1;

    private final Tenant tenant;
    private final Users users;
    private final Groups groups;
    private final Directory dir;
    private final Assignments asg;
    private final Subscriptions subs;
    private final PlanMasks masks;
    private StateStore store;
    private final ChangeFeed feed;
    private final DynamicMembership dynamic;
    private final RulePlans rules;
    private final SeatLedger ledger;
    /** The ledger, or in a reconcile worker an unlimited counter. */
    private final Seats seats;

    private long lastSeq = -1;
    private long causeSeq = -1;
    private int now = StateStore.NO_TIME;
    private boolean recordFeed;

    private int[] cur = new int[16 * E];
    private int curN;
    private int[] old = new int[16 * E];
    private int oldN;
    private int[] dProd = new int[16];
    private int[] dMask = new int[16];
    private boolean[] dHeld = new boolean[16];
    private int[] members = new int[1024];
    private long[] keys = new long[1024];
    private final int[] productStamp;
    private int stamp;
    private int unitsSucceeded;
    private int unitsFailed;

    public Engine(Tenant tenant, StateStore store, ChangeFeed feed, DynamicMembership dynamic) {
        this.tenant = tenant;
        this.users = tenant.users();
        this.groups = tenant.groups();
        this.dir = tenant.directory();
        this.asg = tenant.assignments();
        this.subs = tenant.subscriptions();
        this.masks = tenant.masks();
        this.store = store;
        this.feed = feed;
        this.dynamic = dynamic;
        this.rules = new RulePlans(tenant);
        this.ledger = new SeatLedger(subs);
        this.seats = ledger;
        this.productStamp = new int[subs.size()];
    }

    /** A reconcile worker: shares the tenant (read only) and the rules, has its own scratch and seats. */
    private Engine(Engine parent, Seats seats) {
        this.tenant = parent.tenant;
        this.users = parent.users;
        this.groups = parent.groups;
        this.dir = parent.dir;
        this.asg = parent.asg;
        this.subs = parent.subs;
        this.masks = parent.masks;
        this.store = parent.store;
        this.feed = parent.feed;
        this.dynamic = parent.dynamic;
        this.rules = parent.rules;
        this.ledger = parent.ledger;
        this.seats = seats;
        this.productStamp = new int[subs.size()];
        this.recordFeed = false;
        this.groupRule = parent.groupRule;
        this.groupProducts = parent.groupProducts;
        this.groupMasks = parent.groupMasks;
    }

    public Tenant tenant() {
        return tenant;
    }

    public StateStore store() {
        return store;
    }

    /**
     * Continues on {@code other}, which must hold exactly the state of the current store (a
     * persisted store that a catch-up run has just been compared with); the current store is
     * not closed.
     */
    public void useStore(StateStore other) {
        this.store = other;
    }

    public ChangeFeed feed() {
        return feed;
    }

    /** Users holding product {@code t} (SPEC R3: one per user, however many sources). */
    public int consumed(int t) {
        return ledger.consumed(t);
    }

    /** Sequence number of the last event applied, or -1. */
    public long lastAppliedSeq() {
        return lastSeq;
    }

    // ------------------------------------------------------------------ full reconcile

    /**
     * Resolves every demand of the loaded tenant into an empty store, in SPEC R11 order: direct
     * assignments in snapshot order, then each group in snapshot order with its members in user
     * order. A snapshot is the starting state, so it appends nothing to the change feed.
     */
    public void reconcile() {
        if (store.users() > 0) {
            throw new IllegalStateException("reconcile() needs an empty state store");
        }
        recordFeed = false;
        causeSeq = -1;
        now = StateStore.NO_TIME;
        if (tenant.priorStates() != null) {
            reconcilePath = "from prior state";
            reconcileFromPrior();
        } else if (!reconcileInParallel()) {
            reconcileInOrder();
        }
        lastSeq = tenant.lastAppliedSeq();
        ledger.clearFreed();
        recordFeed = true;
        store.commit(lastSeq);
    }

    /** How the last {@link #reconcile()} went: "parallel", "parallel, then contended users in R11 order", "in R11 order", or "from prior state". */
    public String reconcilePath() {
        return reconcilePath;
    }

    private String reconcilePath = "";
    private int reconcileThreads;

    /**
     * How a reconcile settles seats when phase 1 finds products short. All give the same result
     * (the differential test holds each against the reference model); they differ in speed.
     */
    public enum ShortSeats {
        /**
         * Cutoffs guessed before phase 1 from every user's first demand per product, phase 1 run
         * once under them, and the guess accepted only if the result is a fixed point of
         * {@link #CUTOFF}'s iteration; otherwise {@link #CUTOFF} from the start (default).
         */
        DEMAND,
        /** Cutoff keys per short product, users around them resolved again in parallel. */
        CUTOFF,
        /** Users holding a short product resolved again one unit at a time in global R11 order. */
        REPLAY,
        /** The whole tenant in R11 order, one unit at a time. */
        IN_ORDER
    }

    private ShortSeats shortSeats = ShortSeats.DEMAND;

    /** Chooses the phase-2 strategy (for tests and benchmarks; each falls back to the next when it cannot settle). */
    public void setShortSeats(ShortSeats strategy) {
        this.shortSeats = strategy;
    }

    /** Workers for the parallel phase of {@link #reconcile()}; 0 (the default) means one per core for large tenants. */
    public void setReconcileThreads(int threads) {
        this.reconcileThreads = threads;
    }

    /**
     * Phase 1, in parallel: every user's units in the user's own R11 order, with every seat
     * granted and counted. Phase 2: if no product got more grants than it has seats, no seat
     * check could have failed in R11 order either (a reconcile only ever adds holders), so the
     * result is exact and is stored; otherwise returns false and nothing is stored.
     */
    private boolean reconcileInParallel() {
        rules.precompute();
        precomputeGroups();
        int n = users.size();
        int threads = reconcileThreads > 0 ? Math.min(reconcileThreads, Math.max(1, n))
                : Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), n / 4096 + 1));
        int chunk = (n + threads - 1) / threads;
        if (shortSeats == ShortSeats.DEMAND && reconcileByDemand(threads, chunk)) {
            return true;
        }
        Engine[] workers = new Engine[threads];
        Seats.Contended[] counts = new Seats.Contended[threads];
        int[] capacityOf = new int[subs.size()];
        for (int t = 0; t < capacityOf.length; t++) {
            capacityOf[t] = ledger.capacity(t);
        }
        int[][] out = new int[threads][];
        int[][] index = new int[threads][];
        java.util.stream.IntStream.range(0, threads).parallel().forEach(w -> {
            counts[w] = new Seats.Contended(new boolean[subs.size()], capacityOf);
            workers[w] = new Engine(this, counts[w]);
            workers[w].takenHere = counts[w].taken;
            int from = w * chunk;
            int to = Math.min(n, from + chunk);
            Object[] r = workers[w].resolveUsers(from, to);
            out[w] = (int[]) r[0];
            index[w] = (int[]) r[1];
        });
        int products = subs.size();
        int[] total = new int[products];
        for (Seats.Contended c : counts) {
            for (int t = 0; t < products; t++) {
                total[t] += c.taken[t];
            }
        }
        int[] capacity = new int[products];
        boolean[] limited = new boolean[products];
        boolean anyShort = false;
        for (int t = 0; t < products; t++) {
            capacity[t] = ledger.capacity(t);
            limited[t] = total[t] > capacity[t];
            anyShort |= limited[t];
        }
        if (anyShort) {
            if (shortSeats == ShortSeats.CUTOFF && cutoffPass(out, index, limited, capacity, total)) {
                reconcilePath = "parallel, then seats by cutoff";
                return true;
            }
            if (shortSeats == ShortSeats.IN_ORDER || !contendedPass(out, index, limited, capacity)) {
                reconcilePath = "in R11 order";
                return false;
            }
            reconcilePath = "parallel, then contended users in R11 order";
            return true;
        }
        long entries = 0;
        for (int w = 0; w < threads; w++) {
            for (int i = 0; i + 2 < index[w].length && index[w][i] >= 0; i += 3) {
                entries += index[w][i + 2];
            }
        }
        if (store instanceof org.licensim.core.state.HeapStateStore heap) {
            heap.reserveUsers(n);
        } else {
            store.reserve(n, entries);
        }
        for (int w = 0; w < threads; w++) {
            int[] idx = index[w];
            if (store instanceof org.licensim.core.state.HeapStateStore heap) {
                int ints = 0;
                for (int i = 0; i + 2 < idx.length && idx[i] >= 0; i += 3) {
                    ints = idx[i + 1] + idx[i + 2] * E;
                }
                heap.bulkLoad(out[w], ints, idx);
            } else {
                for (int i = 0; i + 2 < idx.length && idx[i] >= 0; i += 3) {
                    store.write(idx[i], out[w], idx[i + 1], idx[i + 2]);
                }
            }
        }
        for (int t = 0; t < total.length; t++) {
            ledger.setConsumed(t, total[t]);
        }
        reconcilePath = "parallel";
        return true;
    }

    /**
     * Phase 0 of a {@link ShortSeats#DEMAND} reconcile: the cutoff of each product whose demand
     * exceeds its seats, i.e. the R11 key of the first demand past capacity, where a user's
     * demand of a product is its first source of it in the order its units are resolved (a
     * direct assignment, else its lowest group with a licence of the product: R3 one seat
     * however many sources, R11 order). Computed per product with the groups' member bitmaps:
     * walking the product's groups in index order, a group's new demands are its members not
     * yet seen; in the group where capacity is crossed, the member of that rank is the cutoff.
     * Returns false (no guess) for a tenant with deleted users or a direct key not below every
     * group key; {@code limited}/{@code cutoff} are filled otherwise.
     */
    private boolean demandCutoffs(int[] capacity, boolean[] limited, long[] cutoff) {
        if (users.liveCount() != users.size()) {
            return false;
        }
        int products = capacity.length;
        long[] upper = new long[products];
        for (int g = 0; g < groupProducts.length; g++) {
            if (groupProducts[g].length > 0) {
                long members = groups.userMembers(g).getLongCardinality();
                for (int t : groupProducts[g]) {
                    upper[t] += members;
                }
            }
        }
        int[] withDirect = asg.usersWithDirect();
        // products are independent: one per core at a time
        return java.util.stream.IntStream.range(0, products).parallel()
                .filter(t -> upper[t] + asg.directCount() > capacity[t])
                .allMatch(t -> productCutoff(t, capacity[t], withDirect, limited, cutoff));
    }

    /**
     * {@link #demandCutoffs} for product {@code t}: sets {@code limited[t]} and {@code cutoff[t]}
     * when its demand exceeds {@code seats}; false when a direct key is not below the group keys.
     */
    private boolean productCutoff(int t, int seats, int[] withDirect, boolean[] limited, long[] cutoff) {
        RoaringBitmap seen = new RoaringBitmap();
        var keys = new org.eclipse.collections.impl.list.mutable.primitive.LongArrayList();
        for (int u : withDirect) {
            for (License l : asg.directOf(u)) {
                if (l.product() == t) {
                    if (l.order() >= snapshotGroupKey(0, 0)) {
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
        // most products are not short: one aggregate union says so without the walk below
        licensed.add(seen);
        if (org.roaringbitmap.FastAggregation.or(licensed.iterator()).getLongCardinality() <= seats) {
            return true;
        }
        licensed.remove(licensed.size() - 1);
        long r = seats - keys.size();
        for (int i = 0; i < licensed.size(); i++) {
            RoaringBitmap m = licensed.get(i);
            long fresh = m.getLongCardinality() - RoaringBitmap.andCardinality(m, seen);
            if (r < fresh) {
                limited[t] = true;
                cutoff[t] = snapshotGroupKey(licensedGroups.get(i), RoaringBitmap.andNot(m, seen).select((int) r));
                return true;
            }
            r -= fresh;
            seen.or(m);
        }
        return true;
    }

    /**
     * {@link ShortSeats#DEMAND}: computes each short product's cutoff as the key of its first
     * demand past capacity ({@link #demandCutoffs}), resolves every user once
     * under those cutoffs (users whose first demands are all below them through the fast path),
     * and accepts the result only if it is a fixed point of the {@link #cutoffPass} iteration:
     * no product over its seats, and every short product either full or with nobody refused.
     * That is exactly the state {@link #cutoffPass} stops in, so the result is the R11 pass's.
     * Conflicts, prerequisites and usage locations can make the guess wrong (a refused unit
     * takes no seat); then nothing is stored and false is returned.
     */
    private boolean reconcileByDemand(int threads, int chunk) {
        int n = users.size();
        int products = subs.size();
        int[] capacity = new int[products];
        for (int t = 0; t < products; t++) {
            capacity[t] = ledger.capacity(t);
        }
        boolean[] limited = new boolean[products];
        long[] cutoff = new long[products];
        Arrays.fill(cutoff, Seats.Cutoff.NONE);
        if (!demandCutoffs(capacity, limited, cutoff)) {
            return false;
        }
        boolean[] groupLimited = new boolean[groupProducts.length];
        for (int g = 0; g < groupLimited.length; g++) {
            for (int t : groupProducts[g]) {
                groupLimited[g] |= limited[t];
            }
        }
        Object[][] results = new Object[threads][];
        Seats.Cutoff[] seatsOf = new Seats.Cutoff[threads];
        int[][] refused = new int[threads][];
        org.eclipse.collections.impl.list.mutable.primitive.IntArrayList[] slow =
                new org.eclipse.collections.impl.list.mutable.primitive.IntArrayList[threads];
        java.util.stream.IntStream.range(0, threads).parallel().forEach(w -> {
            seatsOf[w] = new Seats.Cutoff(limited, cutoff);
            Engine worker = new Engine(this, seatsOf[w]);
            worker.cutoffSeats = seatsOf[w];
            worker.takenHere = seatsOf[w].taken;
            worker.groupLimited = groupLimited;
            worker.refused = new int[products];
            worker.refusedStamp = new int[products];
            worker.slowUsers = new org.eclipse.collections.impl.list.mutable.primitive.IntArrayList();
            int from = w * chunk;
            int to = Math.min(n, from + chunk);
            results[w] = worker.resolveUsers(from, to, entriesIn(from, to));
            refused[w] = worker.refused;
            slow[w] = worker.slowUsers;
        });
        int[] total = new int[products];
        int[] refusedAll = new int[products];
        for (int w = 0; w < threads; w++) {
            for (int t = 0; t < products; t++) {
                total[t] += seatsOf[w].taken[t];
                refusedAll[t] += refused[w][t];
            }
        }
        for (int t = 0; t < products; t++) {
            if (total[t] > capacity[t] || (limited[t] && total[t] < capacity[t] && refusedAll[t] > 0)) {
                return false;
            }
        }
        if (store instanceof org.licensim.core.state.HeapStateStore heap) {
            heap.reserveUsers(n);
        }
        for (int w = 0; w < threads; w++) {
            storeWorkerResult((int[]) results[w][0], (int[]) results[w][1]);
        }
        for (int t = 0; t < products; t++) {
            ledger.setConsumed(t, total[t]);
        }
        if (tenant.settings().autoReprocess()) {
            // refused demands wait for seats in R11 order (R18)
            int[] none = new int[0];
            for (var list : slow) {
                for (int i = 0; i < list.size(); i++) {
                    int u = list.get(i);
                    int count = store.count(u);
                    ensureEntries(count);
                    store.read(u, cur);
                    indexWaiting(u, none, 0, cur, count);
                }
            }
        }
        reconcilePath = "parallel, seats by cutoffs from demand";
        return true;
    }

    /**
     * The entries users [from, to) will have after phase 1, from the member bitmaps (one per
     * licensed group and product) plus every direct licence as slack: sizes a worker's output
     * without a pass over the users.
     */
    private long entriesIn(int from, int to) {
        long entries = asg.directCount();
        for (int g = 0; g < groupProducts.length; g++) {
            if (groupProducts[g].length > 0) {
                entries += groupProducts[g].length * groups.userMembers(g).rangeCardinality(from, to);
            }
        }
        return entries;
    }

    /** Set on a {@link ShortSeats#DEMAND} worker: its seats, refusals per product, users resolved unit by unit. */
    private Seats.Cutoff cutoffSeats;
    /** A reconcile worker's seat counts ({@code taken} of its Seats), incremented in place by the fast path. */
    private int[] takenHere;
    private boolean[] groupLimited;
    private int[] refused;
    private int[] refusedStamp;
    private org.eclipse.collections.impl.list.mutable.primitive.IntArrayList slowUsers;

    private static final int CUTOFF_ROUNDS = 12;

    /**
     * Phase 2 by cutoffs, when some products ran short in phase 1 ({@code limited}). In a reconcile
     * seats are only taken, never freed, so the seats of product t go exactly to the demands that
     * reach t's seat check with an R11 key below some cutoff K[t]. Starting from phase 1 (where
     * every check passed), K[t] is the key of the first demand past capacity; users with a seat
     * check at or after K[t] are resolved again with the cutoffs (in parallel: given the cutoffs,
     * users are independent). Their new outcome can move other checks (R12 blocks a group's other
     * products, R13 conflicts depend on what was granted before), so the cutoffs are recomputed
     * and the users they move are resolved again, until nothing moves. The result is then the
     * R11 pass's: by induction over keys, every seat check sees the seats the sequential pass
     * would. Returns false, storing nothing, when it does not settle in a few rounds or a product
     * that was not short runs out (the callers fall back to slower exact passes).
     */
    private boolean cutoffPass(int[][] out, int[][] index, boolean[] limited, int[] capacity, int[] phase1Total) {
        int n = users.size();
        int products = limited.length;
        long[][] check = new long[products][];
        long[][] take = new long[products][];
        long[][] denied = new long[products][];
        long[] cutoff = new long[products];
        java.util.Arrays.fill(cutoff, Seats.Cutoff.NONE);
        for (int t = 0; t < products; t++) {
            if (limited[t]) {
                take[t] = new long[n];
                denied[t] = new long[n];
                java.util.Arrays.fill(take[t], Seats.Cutoff.NONE);
                java.util.Arrays.fill(denied[t], Seats.Cutoff.NONE);
            }
        }
        // phase 1's takes: per user and limited product, the smallest key among holding entries
        // (each worker's users are its own, so the workers' outputs are scanned in parallel)
        java.util.stream.IntStream.range(0, out.length).parallel().forEach(w -> {
            int[] idx = index[w];
            int[] data = out[w];
            for (int i = 0; i + 2 < idx.length && idx[i] >= 0; i += 3) {
                int u = idx[i];
                for (int k = 0; k < idx[i + 2]; k++) {
                    int at = idx[i + 1] + k * E;
                    int t = data[at + StateStore.PRODUCT];
                    if (limited[t] && States.holds(data[at + StateStore.STATE])) {
                        long key = StateStore.key(data, at);
                        if (key < take[t][u]) {
                            take[t][u] = key;
                        }
                    }
                }
            }
        });
        for (int t = 0; t < products; t++) {
            if (limited[t]) {
                check[t] = take[t].clone();
            }
        }
        org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<int[]> redone =
                new org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<>();
        long[] previous = cutoff.clone();
        boolean[] redo = new boolean[n];
        for (int round = 0; round < CUTOFF_ROUNDS; round++) {
            boolean moved = false;
            for (int t = 0; t < products; t++) {
                if (!limited[t]) {
                    continue;
                }
                int takes = 0;
                int refused = 0;
                for (int u = 0; u < n; u++) {
                    takes += take[t][u] != Seats.Cutoff.NONE ? 1 : 0;
                    refused += denied[t][u] != Seats.Cutoff.NONE ? 1 : 0;
                }
                long k = cutoff[t];
                if (takes > capacity[t]) {
                    k = kthSmallest(take[t], takes, capacity[t]);
                } else if (takes < capacity[t] && refused > 0) {
                    k = refused > capacity[t] - takes ? kthSmallest(denied[t], refused, capacity[t] - takes)
                            : Seats.Cutoff.NONE;
                }
                if (k != cutoff[t]) {
                    long from = Math.min(k, cutoff[t]);
                    previous[t] = cutoff[t];
                    cutoff[t] = k;
                    moved = true;
                    for (int u = 0; u < n; u++) {
                        if (check[t][u] != Seats.Cutoff.NONE && check[t][u] >= from) {
                            redo[u] = true;
                        }
                    }
                }
            }
            if (!moved) {
                return storeCutoffResult(out, index, redone, capacity, phase1Total);
            }
            int count = 0;
            for (int u = 0; u < n; u++) {
                count += redo[u] ? 1 : 0;
            }
            int[] list = new int[count];
            for (int u = 0, at = 0; u < n; u++) {
                if (redo[u]) {
                    list[at++] = u;
                    redo[u] = false;
                }
            }
            resolveWithCutoffs(list, limited, cutoff, check, take, denied, redone);
        }
        return false;
    }

    /** Resolves the users of {@code list} again under the cutoffs, in parallel, recording their seat checks. */
    private void resolveWithCutoffs(int[] list, boolean[] limited, long[] cutoff, long[][] check, long[][] take,
                                    long[][] denied,
                                    org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<int[]> redone) {
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), list.length / 2048 + 1));
        int chunk = (list.length + threads - 1) / threads;
        int[][][] results = new int[threads][][];
        java.util.stream.IntStream.range(0, threads).parallel().forEach(w -> {
            Seats.Cutoff seatsOf = new Seats.Cutoff(limited, cutoff);
            Engine worker = new Engine(this, seatsOf);
            int from = w * chunk;
            int to = Math.min(list.length, from + chunk);
            int[][] mine = new int[Math.max(0, to - from)][];
            for (int i = from; i < to; i++) {
                int u = list[i];
                seatsOf.startUser();
                worker.curN = 0;
                worker.oldN = 0;
                worker.resolveUnits(u, asg.directOf(u), dir.groupArray(u), dir.groupCount(u));
                mine[i - from] = Arrays.copyOf(worker.cur, worker.curN * E);
                for (int t = 0; t < limited.length; t++) {
                    if (limited[t]) {
                        check[t][u] = seatsOf.check[t];
                        take[t][u] = seatsOf.take[t];
                        denied[t][u] = seatsOf.denied[t];
                    }
                }
            }
            results[w] = mine;
        });
        for (int w = 0; w < threads; w++) {
            int from = w * chunk;
            for (int i = 0; i < results[w].length; i++) {
                redone.put(list[from + i], results[w][i]);
            }
        }
    }

    /**
     * Stores a settled cutoff pass: re-resolved users from their new entries, everyone else from
     * phase 1. Returns false (storing nothing) when a product that was not short now is over its
     * seats, which the cutoffs did not account for.
     */
    private boolean storeCutoffResult(int[][] out, int[][] index,
                                      org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap<int[]> redone,
                                      int[] capacity, int[] phase1Total) {
        int products = capacity.length;
        // totals: phase 1's, less what re-resolved users held in phase 1, plus what they hold now
        int[] total = phase1Total.clone();
        int[] minus = new int[products];
        int[] seen = new int[products];
        int mark = 0;
        int[][] kept = new int[out.length][];
        for (int w = 0; w < out.length; w++) {
            int[] idx = index[w];
            int[] data = out[w];
            int[] keep = new int[idx.length];
            int k = 0;
            for (int i = 0; i + 2 < idx.length && idx[i] >= 0; i += 3) {
                if (redone.containsKey(idx[i])) {
                    mark = countHeld(data, idx[i + 1], idx[i + 2], minus, seen, mark + 1);
                } else {
                    keep[k++] = idx[i];
                    keep[k++] = idx[i + 1];
                    keep[k++] = idx[i + 2];
                }
            }
            if (k < keep.length) {
                keep[k] = -1;
            }
            kept[w] = keep;
        }
        int[] plus = new int[products];
        for (int[] es : redone.values()) {
            mark = countHeld(es, 0, es.length / E, plus, seen, mark + 1);
        }
        for (int t = 0; t < products; t++) {
            total[t] += plus[t] - minus[t];
            if (total[t] > capacity[t]) {
                return false;
            }
        }
        redone.forEachKeyValue((u, es) -> store.write(u, es, es.length / E));
        for (int w = 0; w < out.length; w++) {
            int[] idx = kept[w];
            storeWorkerResult(out[w], idx);
        }
        for (int t = 0; t < products; t++) {
            ledger.setConsumed(t, total[t]);
        }
        int[] none = new int[0];
        redone.forEachKeyValue((u, es) -> indexWaiting(u, none, 0, es, es.length / E));
        return true;
    }

    /** Stores a worker's entries for the users of {@code idx} ((user, offset, count) triples up to -1); the heap store adopts the array. */
    private void storeWorkerResult(int[] data, int[] idx) {
        if (store instanceof org.licensim.core.state.HeapStateStore heap) {
            heap.bulkLoad(data, data.length, idx);
        } else {
            for (int i = 0; i + 2 < idx.length && idx[i] >= 0; i += 3) {
                store.write(idx[i], data, idx[i + 1], idx[i + 2]);
            }
        }
    }

    /** Adds the products held by one user's entries to {@code total}; {@code mark} is a fresh stamp. */
    private static int countHeld(int[] data, int off, int count, int[] total, int[] seen, int mark) {
        for (int k = 0; k < count; k++) {
            int at = off + k * E;
            int t = data[at + StateStore.PRODUCT];
            if (States.holds(data[at + StateStore.STATE]) && seen[t] != mark) {
                seen[t] = mark;
                total[t]++;
            }
        }
        return mark;
    }

    /**
     * The key of rank {@code k} (0-based) among the values of {@code keys} other than
     * {@link Seats.Cutoff#NONE} ({@code present} of them): the first demand past {@code k} seats.
     */
    static long kthSmallest(long[] keys, int present, int k) {
        long[] a = new long[present];
        int at = 0;
        for (long v : keys) {
            if (v != Seats.Cutoff.NONE) {
                a[at++] = v;
            }
        }
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            long pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long x = a[i];
                    a[i] = a[j];
                    a[j] = x;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    /**
     * Phase 2 when some products ran short in phase 1 ({@code limited}). Only users holding one of
     * them in phase 1 can end differently; their units are resolved again in global R11 key order
     * with real seat checks for the short products and counted, unlimited seats for the others.
     * Everyone else keeps phase 1's result. Afterwards no other product may be over capacity (a
     * reconcile only adds holders, so then no check on it could have failed); if one is, it joins
     * the short ones and the pass runs again with more users. Stores the result; returns null
     * (storing nothing) only if the contended users become more than half of all users, where
     * the plain R11 pass is as cheap.
     */
    private boolean contendedPass(int[][] out, int[][] index, boolean[] limited, int[] capacity) {
        int n = users.size();
        int products = limited.length;
        boolean[] contended = new boolean[n];
        while (true) {
            int contendedCount = 0;
            int[] calmTotal = new int[products];
            int[] seen = new int[products];
            int mark = 0;
            for (int w = 0; w < out.length; w++) {
                int[] idx = index[w];
                int[] data = out[w];
                for (int i = 0; i + 2 < idx.length && idx[i] >= 0; i += 3) {
                    int u = idx[i];
                    int off = idx[i + 1];
                    int cnt = idx[i + 2];
                    boolean c = contended[u];
                    for (int k = 0; k < cnt && !c; k++) {
                        int at = off + k * E;
                        c = limited[data[at + StateStore.PRODUCT]] && States.holds(data[at + StateStore.STATE]);
                    }
                    contended[u] = c;
                    if (c) {
                        contendedCount++;
                        continue;
                    }
                    mark++;
                    for (int k = 0; k < cnt; k++) {
                        int at = off + k * E;
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
                int[] none = new int[0];
                for (int u = 0; u < n; u++) {
                    if (store.count(u) > 0) {
                        store.write(u, none, 0);
                    }
                }
                ledger.clearWaiting();
                return false;
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
                        units.add(new long[] {snapshotGroupKey(g, u), u, g});
                    }
                }
            }
            units.sort((a, b) -> Long.compare(a[0], b[0]));
            Seats.Contended seatsOf = new Seats.Contended(limited, capacity);
            Engine pass = new Engine(this, seatsOf);
            int[] none = new int[0];
            for (int u = 0; u < n; u++) {
                if (contended[u] && store.count(u) > 0) {
                    store.write(u, none, 0);
                }
            }
            ledger.clearWaiting();
            for (long[] unit : units) {
                int u = (int) unit[1];
                pass.begin(u);
                pass.processUnit(u, (int) unit[2], unit[0]);
                pass.end(u);
            }
            boolean grew = false;
            for (int t = 0; t < products; t++) {
                int all = calmTotal[t] + seatsOf.taken[t];
                if (!limited[t] && all > capacity[t]) {
                    limited[t] = true;
                    grew = true;
                }
            }
            if (grew) {
                continue;
            }
            for (int w = 0; w < out.length; w++) {
                int[] idx = index[w];
                int k = 0;
                for (int i = 0; i + 2 < idx.length && idx[i] >= 0; i += 3) {
                    if (!contended[idx[i]]) {
                        idx[k++] = idx[i];
                        idx[k++] = idx[i + 1];
                        idx[k++] = idx[i + 2];
                    }
                }
                if (k < idx.length) {
                    idx[k] = -1;
                }
                storeWorkerResult(out[w], idx);
            }
            for (int t = 0; t < products; t++) {
                ledger.setConsumed(t, calmTotal[t] + seatsOf.taken[t]);
            }
            return true;
        }
    }

    /** A worker's share of phase 1: users [from, to) in their own R11 order; returns {entries, (user, offset, count)*}. */
    private Object[] resolveUsers(int from, int to) {
        // size the output from the memberships (a user's entries are about its licensed groups'
        // products plus its directs), so it is allocated once instead of grown by copying
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

    /** {@link #resolveUsers(int, int)} with the entry count known (phase 0 counted it). */
    private Object[] resolveUsers(int from, int to, long estimate) {
        out = new int[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(64, (estimate + 8) * E))];
        outTop = 0;
        int[] idx = new int[Math.max(16, (to - from) * 3 + 3)];
        int k = 0;
        for (int u = from; u < to; u++) {
            if (users.isDeleted(u)) {
                continue;
            }
            License[] ds = asg.directOf(u);
            int[] gs = dir.groupArray(u);
            int gn = dir.groupCount(u);
            if (ds.length == 0 && gn == 0) {
                continue;
            }
            int n = resolveClean(u, ds, gs, gn);
            if (n < 0) {
                curN = 0;
                oldN = 0;
                if (cutoffSeats != null) {
                    cutoffSeats.startUser();
                }
                resolveUnits(u, ds, gs, gn);
                if (cutoffSeats != null) {
                    boolean any = false;
                    for (int t = 0; t < refused.length; t++) {
                        if (cutoffSeats.limited[t] && cutoffSeats.denied[t] != Seats.Cutoff.NONE) {
                            refused[t]++;
                            any = true;
                        }
                    }
                    if (any) {
                        slowUsers.add(u);
                    }
                }
                n = curN;
                ensureOut(n);
                System.arraycopy(cur, 0, out, outTop, n * E);
            }
            if (n == 0) {
                continue;
            }
            if (k + 6 > idx.length) {
                idx = Arrays.copyOf(idx, idx.length * 2);
            }
            idx[k++] = u;
            idx[k++] = outTop;
            idx[k++] = n;
            outTop += n * E;
        }
        if (k < idx.length) {
            idx[k] = -1;
        }
        Object[] result = {out, idx};
        out = null;
        return result;
    }

    /** A phase-1 worker's output: every user's entries back to back from index 0 to {@link #outTop}. */
    private int[] out;
    private int outTop;
    /** Entries written by {@link #resolveClean} for the current user, from {@link #outTop}. */
    private int outN;

    private void ensureOut(int entries) {
        if (outTop + entries * E > out.length) {
            out = Arrays.copyOf(out, Math.max(outTop + entries * E, out.length * 2));
        }
    }

    /**
     * A snapshot that carries resolved state (an export of licensim's, or of Graph's
     * licenseAssignmentStates): each source keeps the state it had (R10 holders keep seats,
     * R18 errors are not retried by themselves), seats are counted from it, demands without a
     * state are resolved in R11 order, and every user is settled so that derived states
     * (ActiveWithError) and held-back removals are what the rules say.
     */
    private void reconcileFromPrior() {
        var prior = tenant.priorStates();
        for (int u = 0; u < users.size(); u++) {
            int[] es = prior.get(u);
            if (es == null) {
                continue;
            }
            store.write(u, es, es.length / E);
            for (int i = 0; i < es.length / E; i++) {
                int t = es[i * E + StateStore.PRODUCT];
                if (States.holds(es[i * E + StateStore.STATE]) && !held(es, i, t)) {
                    ledger.take(t);
                }
            }
        }
        for (int u = 0; u < users.size(); u++) {
            int[] es = prior.get(u);
            if (es != null) {
                indexWaiting(u, es, 0, es, es.length / E);
            }
        }
        resolveInOrder(true);
        for (int u = 0; u < users.size(); u++) {
            if (prior.get(u) != null) {
                begin(u);
                end(u);
            }
        }
    }

    private boolean hasEntries(int u, int src, int[] buf) {
        int n = store.count(u);
        int[] b = n * E > buf.length ? new int[n * E] : buf;
        store.read(u, b);
        for (int i = 0; i < n; i++) {
            if (b[i * E + StateStore.SRC] == src) {
                return true;
            }
        }
        return false;
    }

    /** One user's units in its own R11 order through the full rules (phase 1, unlimited seats). */
    private void resolveUnits(int u, License[] ds, int[] gs, int gn) {
        if (ds.length > 0) {
            License[] sorted = ds.length == 1 ? ds : ds.clone();
            if (sorted.length > 1) {
                Arrays.sort(sorted, (a, b) -> Long.compare(a.order(), b.order()));
            }
            for (License l : sorted) {
                processUnit(u, StateStore.direct(l.product()), l.order());
            }
        }
        for (int gi = 0; gi < gn; gi++) {
            int g = gs[gi];
            if (asg.ofGroup(g).length > 0) {
                processUnit(u, g, snapshotGroupKey(g, u));
            }
        }
        finish(u);
    }

    /**
     * Phase 1's fast path: when the union of all the user's sources has no conflict, no missing
     * prerequisite, nothing prohibited where the user is and no proxy collision to matter, every
     * unit is granted Active unless a seat check refuses it, so the entries are written directly
     * in canonical order straight into the worker's output. Under cutoffs (a {@link ShortSeats#DEMAND} reconcile) a unit whose
     * first demand of a limited product is at or past the cutoff fails with CountViolation, as
     * {@link #processUnit} would decide it; the fast path takes that case only for one-product
     * units and when the sources left active still have every prerequisite. Writes the entries
     * to the worker's output at {@link #outTop} and returns how many; returns -1, writing nothing
     * and taking no seat, for any other user.
     */
    private int resolveClean(int u, License[] ds, int[] gs, int gn) {
        long union = 0;
        int need = ds.length;
        for (License l : ds) {
            union |= rules.ruleMask(l.enabled());
        }
        for (int gi = 0; gi < gn; gi++) {
            int g = gs[gi];
            union |= groupRule[g];
            need += groupProducts[g].length;
        }
        if ((union & rules.prohibitedAt(users.usageLocationCode(u))) != 0
                || ((union & rules.uniqueness()) != 0 && users.hasProxyCollision(u))
                || rules.conflicts(union, 0) || rules.unmet(union) != 0) {
            return -1;
        }
        long failedDirect = 0;
        long failedGroup = 0;
        Seats.Cutoff cut = cutoffSeats;
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
                } else {
                    productStamp[t] = mark;
                }
            }
            // only limited products can be refused, so only groups licensing one are looked at
            for (int gi = 0; gi < gn; gi++) {
                int g = gs[gi];
                if (!groupLimited[g]) {
                    continue;
                }
                int[] ps = groupProducts[g];
                long key = snapshotGroupKey(g, u);
                boolean fails = false;
                for (int t : ps) {
                    fails |= cut.limited[t] && productStamp[t] != mark && key >= cut.cutoff[t];
                }
                if (fails) {
                    if (ps.length > 1 || gi >= 64) {
                        return -1;
                    }
                    failedGroup |= 1L << gi;
                } else {
                    for (int t : ps) {
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
                // one refusal per user and product, as Seats.Cutoff records it
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
                slowUsers.add(u);
            }
        }
        ensureOut(need);
        outN = 0;
        int ok = States.pack(States.ACTIVE, States.NONE);
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
                    if ((best < 0 || p < ds[best].product()) && (k == 0 || p > out[outTop + (outN - 1) * E + StateStore.PRODUCT])) {
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
            long key = snapshotGroupKey(g, u);
            int state = gi < 64 && (failedGroup & (1L << gi)) != 0 ? refusedState : ok;
            for (int i = 0; i < ps.length; i++) {
                append(g, ps[i], ms[i], state, key);
            }
        }
        // one seat per product held (R3); a reconcile worker counts into its own array directly
        // (the Seats call site sees three implementations and would not be inlined)
        int[] count = takenHere;
        int[] es = out;
        int base = outTop;
        stamp++;
        for (int i = 0; i < outN; i++) {
            int t = es[base + i * E + StateStore.PRODUCT];
            if (productStamp[t] != stamp && States.holds(es[base + i * E + StateStore.STATE])) {
                productStamp[t] = stamp;
                if (count != null) {
                    count[t]++;
                } else {
                    seats.take(t);
                }
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

    /** Appends one entry of the current user to the worker's output (space ensured by the caller). */
    private void append(int src, int t, int mask, int state, long key) {
        StateStore.put(out, outTop + outN * E, src, t, mask, state, key, StateStore.NO_TIME);
        outN++;
    }

    /** Per group: rule bits of all its licences, and its products (ascending) with their masks; for phase 1. */
    private long[] groupRule;
    private int[][] groupProducts;
    private int[][] groupMasks;

    private void precomputeGroups() {
        int n = groups.size();
        groupRule = new long[n];
        groupProducts = new int[n][];
        groupMasks = new int[n][];
        for (int g = 0; g < n; g++) {
            License[] ls = groups.isDeleted(g) ? new License[0] : asg.ofGroup(g).clone();
            Arrays.sort(ls, (a, b) -> Integer.compare(a.product(), b.product()));
            groupProducts[g] = new int[ls.length];
            groupMasks[g] = new int[ls.length];
            for (int i = 0; i < ls.length; i++) {
                groupProducts[g][i] = ls[i].product();
                groupMasks[g][i] = ls[i].enabled();
                groupRule[g] |= rules.ruleMask(ls[i].enabled());
            }
        }
    }

    /** The exact R11 pass: direct assignments in snapshot order, then each group with its members in user order. */
    private void reconcileInOrder() {
        resolveInOrder(false);
    }

    /** Resolves demands in R11 order; with {@code onlyNew}, only units that have no state yet. */
    private void resolveInOrder(boolean onlyNew) {
        int[] buf = new int[16 * E];
        List<long[]> directs = new ArrayList<>();
        for (int u : asg.usersWithDirect()) {
            for (License l : asg.directOf(u)) {
                if (!onlyNew || !hasEntries(u, StateStore.direct(l.product()), buf)) {
                    directs.add(new long[] {l.order(), u, l.product()});
                }
            }
        }
        directs.sort((a, b) -> Long.compare(a[0], b[0]));
        for (long[] d : directs) {
            int u = (int) d[1];
            begin(u);
            processUnit(u, StateStore.direct((int) d[2]), d[0]);
            end(u);
        }
        for (int g = 0; g < groups.size(); g++) {
            if (groups.isDeleted(g) || asg.ofGroup(g).length == 0) {
                continue;
            }
            int n = sortedMembers(g);
            for (int i = 0; i < n; i++) {
                int u = members[i];
                if (onlyNew && hasEntries(u, g, buf)) {
                    continue;
                }
                begin(u);
                processUnit(u, g, snapshotGroupKey(g, u));
                end(u);
            }
        }
    }

    static long snapshotGroupKey(int g, int u) {
        return StateStore.snapshotGroupKey(g, u);
    }

    /**
     * The R11 key of the {@code n}-th demand created by event {@code seq}. An event creates its
     * demands in user order, so n keeps that order without depending on dense user indexes
     * (which change when a snapshot is written without deleted users and read back).
     */
    static long eventKey(long seq, int n) {
        return (2L << 60) | (seq << 24) | n;
    }

    private int minted;

    private long newEventKey() {
        return eventKey(causeSeq, minted++);
    }

    // ------------------------------------------------------------------ events

    /**
     * Applies one event. A bad event (unknown id, a request the rules refuse) throws
     * {@link LicensimException} naming the value, and nothing changes.
     */
    public void apply(Event e) {
        if (e.seq() <= lastSeq) {
            throw reject(e, "seq " + e.seq() + " is not after the last applied event's seq " + lastSeq);
        }
        if (e.seq() > MAX_SEQ) {
            throw reject(e, "seq " + e.seq() + " is above the supported maximum " + MAX_SEQ);
        }
        causeSeq = e.seq();
        minted = 0;
        now = StateStore.seconds(e.time());
        recordFeed = true;
        ledger.clearFreed();
        if (e instanceof Event.MemberAdded m) {
            memberAdded(m);
        } else if (e instanceof Event.MemberRemoved m) {
            memberRemoved(m);
        } else if (e instanceof Event.UserCreated c) {
            userCreated(c);
        } else if (e instanceof Event.UserDeleted d) {
            userDeleted(d);
        } else if (e instanceof Event.UserAttributesChanged a) {
            attributesChanged(a);
        } else if (e instanceof Event.GroupCreated c) {
            groupCreated(c);
        } else if (e instanceof Event.GroupDeleted d) {
            groupDeleted(d);
        } else if (e instanceof Event.GroupRuleChanged r) {
            ruleChanged(r);
        } else if (e instanceof Event.LicenseAssignedToGroup a) {
            licenseAssignedToGroup(a);
        } else if (e instanceof Event.LicenseRemovedFromGroup r) {
            licenseRemovedFromGroup(r);
        } else if (e instanceof Event.GroupDisabledPlansChanged c) {
            groupPlansChanged(c);
        } else if (e instanceof Event.LicenseAssignedToUser a) {
            licenseAssignedToUser(a);
        } else if (e instanceof Event.LicenseRemovedFromUser r) {
            licenseRemovedFromUser(r);
        } else if (e instanceof Event.UnitsChanged u) {
            unitsChanged(u);
        } else if (e instanceof Event.Reprocess r) {
            reprocess(r);
        } else {
            throw reject(e, "unsupported event type " + e.type());
        }
        lastSeq = e.seq();
        if (tenant.settings().autoReprocess()) {
            drainFailed();
        }
        store.commit(lastSeq);
    }

    private void memberAdded(Event.MemberAdded e) {
        int g = group(e, e.groupId());
        checkManual(e, g);
        int u = users.indexOf(e.memberId());
        if (u < 0) {
            int nested = groups.indexOf(e.memberId());
            if (nested < 0) {
                throw reject(e, "unknown member \"" + e.memberId() + "\": neither a user nor a group");
            }
            if (nested == g) {
                throw reject(e, "group \"" + e.groupId() + "\" cannot be a member of itself");
            }
            dir.addNestedGroup(g, nested);
            return;
        }
        if (!dir.addMember(g, u)) {
            return;
        }
        joined(g, u);
    }

    private void joined(int g, int u) {
        if (asg.ofGroup(g).length == 0) {
            return;
        }
        begin(u);
        processUnit(u, g, newEventKey());
        end(u);
    }

    private void memberRemoved(Event.MemberRemoved e) {
        int g = group(e, e.groupId());
        checkManual(e, g);
        int u = users.indexOf(e.memberId());
        if (u < 0) {
            int nested = groups.indexOf(e.memberId());
            if (nested < 0) {
                throw reject(e, "unknown member \"" + e.memberId() + "\": neither a user nor a group");
            }
            dir.removeNestedGroup(g, nested);
            return;
        }
        if (!dir.isMember(g, u)) {
            return;
        }
        dir.removeMember(g, u);
        left(g, u);
    }

    private void left(int g, int u) {
        if (asg.ofGroup(g).length == 0 && !hasEntriesFrom(u, g)) {
            return; // a group with no licences, and nothing held back from it: the user's licences do not change
        }
        begin(u);
        removeSource(u, g, -1, null);
        end(u);
    }

    private boolean hasEntriesFrom(int u, int g) {
        int n = readInto(u);
        for (int i = 0; i < n; i++) {
            if (old[i * E + StateStore.SRC] == g) {
                return true;
            }
        }
        return false;
    }

    private final DynamicMembership.Sink membershipSink = new DynamicMembership.Sink() {
        @Override
        public void join(int group, int user) {
            if (dir.addMember(group, user)) {
                joined(group, user);
            }
        }

        @Override
        public void leave(int group, int user) {
            if (dir.removeMember(group, user)) {
                left(group, user);
            }
        }
    };

    private void userCreated(Event.UserCreated e) {
        String id = e.user().id;
        if (users.everExisted(id) || groups.everExisted(id)) {
            throw reject(e, "id \"" + id + "\" is already used by a user or group (ids are never reused)");
        }
        if (users.size() > MAX_USER) {
            throw reject(e, "licensim supports at most " + (MAX_USER + 1) + " users per tenant");
        }
        int u = users.add(id, e.user().accountEnabled == null || e.user().accountEnabled);
        e.user().applyTo(users, u);
        dynamic.userCreated(tenant, u, membershipSink);
    }

    private void userDeleted(Event.UserDeleted e) {
        int u = user(e, e.userId());
        begin(u);
        for (int i = 0; i < curN; i++) {
            int t = cur[i * E + StateStore.PRODUCT];
            if (States.holds(cur[i * E + StateStore.STATE]) && firstHolder(i, t)) {
                seats.release(t);
            }
        }
        curN = 0;
        asg.removeAllDirect(u);
        int[] gs = dir.groupsOf(u);
        for (int g : gs) {
            dir.removeMember(g, u);
        }
        users.delete(u);
        store.write(u, cur, 0);
        indexWaiting(u, old, oldN, cur, 0);
        diff(u);
    }

    /**
     * An attribute change re-evaluates the user's dynamic groups and resolves every join and leave
     * it causes within one read and one write of the user's state (a department change can move
     * a user in and out of dozens of licensed groups), in the order the rules report them.
     */
    private void attributesChanged(Event.UserAttributesChanged e) {
        int u = user(e, e.userId());
        List<String> changed = changes.names(e.attributes());
        dynamic.userChanging(tenant, u, changed);
        changes.apply(e.attributes(), users, u);
        begin(u);
        dynamic.userChanged(tenant, u, changed, oneUserSink);
        end(u);
    }

    /** Reads attribute changes without allocating per event. */
    private final org.licensim.core.directory.UserData.Changes changes = new org.licensim.core.directory.UserData.Changes();

    /** Membership changes of the one user whose state is open (between begin and end). */
    private final DynamicMembership.Sink oneUserSink = new DynamicMembership.Sink() {
        @Override
        public void join(int group, int user) {
            if (dir.addMember(group, user) && asg.ofGroup(group).length > 0) {
                processUnit(user, group, newEventKey());
            }
        }

        @Override
        public void leave(int group, int user) {
            if (dir.removeMember(group, user)) {
                removeSource(user, group, -1, null);
            }
        }
    };

    private void groupCreated(Event.GroupCreated e) {
        if (users.everExisted(e.groupId()) || groups.everExisted(e.groupId())) {
            throw reject(e, "id \"" + e.groupId() + "\" is already used by a user or group (ids are never reused)");
        }
        if (e.membershipRule() != null) {
            try {
                dynamic.checkRule(e.membershipRule());
            } catch (LicensimException ex) {
                throw reject(e, ex.getMessage());
            }
        }
        for (String m : e.members()) {
            if (users.indexOf(m) < 0 && groups.indexOf(m) < 0) {
                throw reject(e, "unknown member \"" + m + "\": neither a user nor a group");
            }
        }
        int g = groups.add(e.groupId(), e.displayName(), e.securityEnabled(), e.membershipRule(), e.paused());
        for (String m : e.members()) {
            int u = users.indexOf(m);
            if (u >= 0) {
                dir.addMember(g, u);
            } else {
                dir.addNestedGroup(g, groups.indexOf(m));
            }
        }
        if (e.membershipRule() != null) {
            dynamic.ruleChanged(tenant, g, membershipSink);
        }
    }

    private void groupDeleted(Event.GroupDeleted e) {
        int g = group(e, e.groupId());
        License[] ls = asg.ofGroup(g);
        if (ls.length > 0) {
            throw reject(e, "group \"" + e.groupId() + "\" still assigns " + productNames(ls)
                    + ": remove its licences before deleting it (SPEC R8)");
        }
        int held = usersWithEntriesOf(g);
        if (held >= 0) {
            throw reject(e, "group \"" + e.groupId() + "\" still has a licence held back on user \"" + users.id(held)
                    + "\" because other plans depend on it (DependencyViolation, SPEC R14): resolve that first");
        }
        int n = sortedMembers(g);
        for (int i = 0; i < n; i++) {
            dir.removeMember(g, members[i]);
        }
        for (int other = 0; other < groups.size(); other++) {
            if (!groups.isDeleted(other)) {
                dir.removeNestedGroup(other, g);
            }
        }
        groups.delete(g);
    }

    /** The first user with an entry from group {@code g}, or -1 (a scan: group deletion is rare). */
    private int usersWithEntriesOf(int g) {
        for (int u = 0; u < users.size(); u++) {
            int cnt = readInto(u);
            for (int j = 0; j < cnt; j++) {
                if (old[j * E + StateStore.SRC] == g) {
                    return u;
                }
            }
        }
        return -1;
    }

    private void ruleChanged(Event.GroupRuleChanged e) {
        int g = group(e, e.groupId());
        if (e.membershipRule() != null) {
            try {
                dynamic.checkRule(e.membershipRule());
            } catch (LicensimException ex) {
                throw reject(e, ex.getMessage());
            }
        }
        groups.setRule(g, e.membershipRule(), e.paused());
        dynamic.ruleChanged(tenant, g, membershipSink);
    }

    private void licenseAssignedToGroup(Event.LicenseAssignedToGroup e) {
        if (!tenant.settings().groupLicensingEnabled()) {
            throw reject(e, "group-based licensing is not enabled for tenant \"" + tenant.settings().id()
                    + "\" (it needs a paid directory plan; SPEC R22)");
        }
        int g = group(e, e.groupId());
        if (!groups.securityEnabled(g)) {
            throw reject(e, "group \"" + e.groupId() + "\" is not a security group: only security groups can be "
                    + "assigned products (SPEC R8)");
        }
        int t = product(e, e.skuId());
        if (asg.findGroupLicense(g, t) != null) {
            throw reject(e, "group \"" + e.groupId() + "\" already assigns " + name(t)
                    + "; change its plans with GroupDisabledPlansChanged");
        }
        long[] disabled = disabledMask(e, t, e.disabledPlans());
        License l = new License(t, disabled, masks.internEnabled(subs, t, disabled), causeSeq);
        checkGroupPrerequisites(e, g, t, l.enabled());
        asg.putGroupLicense(g, l);
        reresolveGroup(g);
    }

    private void groupPlansChanged(Event.GroupDisabledPlansChanged e) {
        int g = group(e, e.groupId());
        int t = product(e, e.skuId());
        License was = assignedLicense(e, g, t);
        long[] disabled = disabledMask(e, t, e.disabledPlans());
        License l = new License(t, disabled, masks.internEnabled(subs, t, disabled), was.order());
        checkGroupPrerequisites(e, g, t, l.enabled());
        asg.putGroupLicense(g, l);
        reresolveGroup(g);
    }

    /** SPEC R7: every member's unit of group {@code g} is resolved again (R14 may keep the old plans). */
    private void reresolveGroup(int g) {
        processGroup(g, sortedMembers(g), (i, u) -> {
            if (!blockedBySwitch(u, g)) {
                processUnit(u, g, newEventKey());
            }
        });
    }

    /** One step of a group-wide operation, on the {@code i}-th of the users in {@code members}. */
    private interface MemberStep {
        void run(int i, int u);
    }

    /**
     * A group-wide operation (SPEC section 3 audit: framed by GroupProcessingStarted/Finished with
     * the members that succeeded and failed): {@code step} for each of {@code members[0..n)}.
     */
    private void processGroup(int g, int n, MemberStep step) {
        startGroup(g);
        for (int i = 0; i < n; i++) {
            int u = members[i];
            begin(u);
            step.run(i, u);
            end(u);
            countMember(g);
        }
        finishGroup(g);
    }

    private void licenseRemovedFromGroup(Event.LicenseRemovedFromGroup e) {
        int g = group(e, e.groupId());
        int t = product(e, e.skuId());
        License was = assignedLicense(e, g, t);
        asg.removeGroupLicense(g, t);
        processGroup(g, sortedMembers(g), (i, u) -> removeSource(u, g, t, was));
    }

    private void licenseAssignedToUser(Event.LicenseAssignedToUser e) {
        int u = user(e, e.userId());
        int t = product(e, e.skuId());
        if (asg.findDirect(u, t) != null) {
            throw reject(e, "user \"" + e.userId() + "\" already has " + name(t) + " assigned directly");
        }
        if (users.usageLocationCode(u) == org.licensim.core.directory.Dictionary.NULL) {
            throw reject(e, "user \"" + e.userId() + "\" has no usageLocation: a licence cannot be assigned directly "
                    + "until one is set (SPEC R15)");
        }
        long[] disabled = disabledMask(e, t, e.disabledPlans());
        License l = new License(t, disabled, masks.internEnabled(subs, t, disabled), causeSeq);
        begin(u);
        long unit = rules.ruleMask(l.enabled());
        long missing = rules.unmet(unionActive(Integer.MIN_VALUE) | unit) & unit;
        if (missing != 0) {
            throw reject(e, "cannot assign " + name(t) + " to user \"" + e.userId() + "\": " + describeUnmet(missing)
                    + " (DependencyViolation, SPEC R14)");
        }
        asg.putDirect(u, l);
        int src = StateStore.direct(t);
        int error = processUnit(u, src, newEventKey());
        if (error != States.NONE) {
            asg.removeDirect(u, t);
            throw reject(e, "cannot assign " + name(t) + " to user \"" + e.userId() + "\": "
                    + explain(error, u, t) + " (" + States.errorNameOf(error) + ")");
        }
        end(u);
    }

    private void licenseRemovedFromUser(Event.LicenseRemovedFromUser e) {
        int u = user(e, e.userId());
        int t = product(e, e.skuId());
        if (asg.findDirect(u, t) == null) {
            StringBuilder from = new StringBuilder();
            for (int g : dir.groupsOf(u)) { // a rejection's message: allocation does not matter here
                if (asg.findGroupLicense(g, t) != null) {
                    from.append(from.length() == 0 ? "" : ", ").append('"').append(groups.id(g)).append('"');
                }
            }
            throw reject(e, "user \"" + e.userId() + "\" has no direct assignment of " + name(t)
                    + (from.length() > 0 ? "; it is inherited from group " + from
                    + " and can only be removed there (SPEC R8)" : ""));
        }
        int src = StateStore.direct(t);
        begin(u);
        long all = unionActive(Integer.MIN_VALUE);
        long introduced = rules.unmet(unionActive(src)) & ~rules.unmet(all);
        if (introduced != 0) {
            throw reject(e, "cannot remove " + name(t) + " from user \"" + e.userId() + "\": other plans depend on "
                    + "it: " + describeUnmet(introduced) + " (DependencyViolation, SPEC R14)");
        }
        asg.removeDirect(u, t);
        removeSource(u, src, -1, null);
        end(u);
    }

    private void unitsChanged(Event.UnitsChanged e) {
        int t = product(e, e.skuId());
        int before = subs.units(t).capacity();
        subs.setUnits(t, e.prepaidUnits());
        if (e.prepaidUnits().capacity() > before) {
            ledger.markFreed(t);
        }
    }

    private void reprocess(Event.Reprocess e) {
        if (e.userId() != null) {
            int u = user(e, e.userId());
            begin(u);
            retryFailed(u, Integer.MIN_VALUE);
            end(u);
            return;
        }
        int g = group(e, e.groupId());
        int n = 0;
        int m = sortedMembers(g);
        for (int i = 0; i < m; i++) {
            int u = members[i];
            int cnt = readInto(u);
            for (int j = 0; j < cnt; j++) {
                if (old[j * E + StateStore.SRC] == g
                        && States.state(old[j * E + StateStore.STATE]) == States.ERROR) {
                    keys = ensure(keys, n + 1);
                    keys[n] = StateStore.key(old, j * E);
                    members[n++] = u;
                    break;
                }
            }
        }
        sortByKey(n);
        processGroup(g, n, (i, u) -> processUnit(u, g, keys[i]));
    }

    /** Sorts keys[0..n) and members[0..n) together by key (insertion sort on small runs, else by index). */
    private void sortByKey(int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long[] k = keys;
        Arrays.sort(order, (a, b) -> Long.compare(k[a], k[b]));
        long[] ks = new long[n];
        int[] us = new int[n];
        for (int i = 0; i < n; i++) {
            ks[i] = keys[order[i]];
            us[i] = members[order[i]];
        }
        System.arraycopy(ks, 0, keys, 0, n);
        System.arraycopy(us, 0, members, 0, n);
    }

    /** Retries the user's failed units (all, or only {@code onlySrc}) in R11 key order. */
    private void retryFailed(int u, int onlySrc) {
        while (true) {
            long best = Long.MAX_VALUE;
            int bestSrc = 0;
            for (int i = 0; i < curN; i++) {
                int at = i * E;
                int src = cur[at + StateStore.SRC];
                if (States.state(cur[at + StateStore.STATE]) == States.ERROR && (onlySrc == Integer.MIN_VALUE
                        || src == onlySrc)) {
                    long k = StateStore.key(cur, at);
                    if (k < best && !retried(src)) {
                        best = k;
                        bestSrc = src;
                    }
                }
            }
            if (best == Long.MAX_VALUE) {
                break;
            }
            markRetried(bestSrc);
            processUnit(u, bestSrc, best);
        }
        clearRetried();
    }

    private int[] retriedSrcs = new int[16];
    private int retriedN;

    private boolean retried(int src) {
        for (int i = 0; i < retriedN; i++) {
            if (retriedSrcs[i] == src) {
                return true;
            }
        }
        return false;
    }

    private void markRetried(int src) {
        retriedSrcs = ensure(retriedSrcs, retriedN + 1);
        retriedSrcs[retriedN++] = src;
    }

    private void clearRetried() {
        retriedN = 0;
    }

    /** SPEC R18 with autoReprocess: freed seats go to the oldest demands that failed for want of them. */
    private void drainFailed() {
        for (int t = 0; t < subs.size(); t++) {
            if (!ledger.takeFreed(t) || ledger.waiting(t).isEmpty()) {
                continue;
            }
            // a cursor in key order up to the last demand waiting now: a retried demand that fails
            // again stays waiting under its own key, behind the cursor, so it is not retried twice;
            // walking the tree instead of copying it keeps a drain proportional to the seats freed
            java.util.TreeMap<Long, Long> waiting = ledger.waiting(t);
            long last = waiting.lastKey();
            Long key = waiting.firstKey();
            while (key != null && key <= last && ledger.hasFreeSeat(t)) {
                long who = waiting.get(key);
                int u = (int) (who >>> 32);
                int src = (int) who;
                begin(u);
                processUnit(u, src, key);
                end(u);
                key = waiting.higherKey(key);
            }
        }
    }

    // ------------------------------------------------------------------ one user

    private void begin(int u) {
        int n = store.count(u);
        if (n > StateStore.MAX_ENTRIES) {
            throw new LicensimException("user \"" + users.id(u) + "\" has " + n + " licence sources, more than the "
                    + StateStore.MAX_ENTRIES + " supported");
        }
        ensureEntries(n + 8);
        curN = store.read(u, cur);
        System.arraycopy(cur, 0, old, 0, curN * E);
        oldN = curN;
    }

    private void end(int u) {
        finish(u);
        store.write(u, cur, curN);
        indexWaiting(u, old, oldN, cur, curN);
        diff(u);
    }

    /** Keeps the ledger's waiting demands equal to the sources in Error/CountViolation (auto-reprocess only). */
    private void indexWaiting(int u, int[] before, int nBefore, int[] after, int nAfter) {
        if (!tenant.settings().autoReprocess()) {
            return;
        }
        int count = States.pack(States.ERROR, States.COUNT_VIOLATION);
        for (int i = 0; i < nBefore; i++) {
            int at = i * E;
            if (before[at + StateStore.STATE] == count && !sameEntry(after, nAfter, before, at, count)) {
                ledger.dequeueFailed(before[at + StateStore.PRODUCT], StateStore.key(before, at));
            }
        }
        for (int i = 0; i < nAfter; i++) {
            int at = i * E;
            if (after[at + StateStore.STATE] == count && !sameEntry(before, nBefore, after, at, count)) {
                ledger.enqueueFailed(after[at + StateStore.PRODUCT], StateStore.key(after, at), u,
                        after[at + StateStore.SRC]);
            }
        }
    }

    /** Whether {@code es} has the entry at {@code other[at]}'s source and product, with that key and state. */
    private static boolean sameEntry(int[] es, int n, int[] other, int at, int state) {
        for (int i = 0; i < n; i++) {
            int b = i * E;
            if (es[b + StateStore.SRC] == other[at + StateStore.SRC]
                    && es[b + StateStore.PRODUCT] == other[at + StateStore.PRODUCT]) {
                return es[b + StateStore.STATE] == state && StateStore.key(es, b) == StateStore.key(other, at);
            }
        }
        return false;
    }

    private int readInto(int u) {
        int n = store.count(u);
        old = ensure(old, n * E);
        return store.read(u, old);
    }

    /**
     * Grants or fails unit {@code src} of user {@code u} as it is demanded now, checking SPEC R15,
     * R16, R13 and R10 in that order; returns the error (NONE when granted). A failure puts every
     * product of the unit in Error (R12), which takes away any product the unit alone gave.
     */
    private int processUnit(int u, int src, long newKey) {
        int n = demand(u, src);
        if (n == 0) {
            return States.NONE;
        }
        long unit = 0;
        for (int i = 0; i < n; i++) {
            unit |= rules.ruleMask(dMask[i]);
        }
        long others = unionActive(src);
        long key = newKey;
        for (int i = 0; i < curN; i++) {
            if (cur[i * E + StateStore.SRC] == src) {
                key = StateStore.key(cur, i * E);
                break;
            }
        }
        int error = States.NONE;
        if ((unit & rules.prohibitedAt(users.usageLocationCode(u))) != 0) {
            error = States.PROHIBITED_IN_USAGE_LOCATION_VIOLATION;
        } else if ((unit & rules.uniqueness()) != 0 && users.hasProxyCollision(u)) {
            error = States.UNIQUENESS_VIOLATION;
        } else if (rules.conflicts(unit, others)) {
            error = States.MUTUALLY_EXCLUSIVE_VIOLATION;
        } else {
            for (int i = 0; i < n; i++) {
                if (!holds(dProd[i]) && !seats.hasFreeSeat(dProd[i], key)) {
                    error = States.COUNT_VIOLATION;
                    break;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            dHeld[i] = holds(dProd[i]);
        }
        int state = error == States.NONE ? States.pack(States.ACTIVE, States.NONE) : States.pack(States.ERROR, error);
        for (int i = 0; i < n; i++) {
            put(src, dProd[i], dMask[i], state, key);
        }
        for (int i = 0; i < n; i++) {
            boolean held = holds(dProd[i]);
            if (held && !dHeld[i]) {
                seats.take(dProd[i]);
            } else if (!held && dHeld[i]) {
                seats.release(dProd[i]);
            }
        }
        return error;
    }

    /**
     * Takes source {@code src} (only its product {@code onlyT}, or all when -1) away from user {@code u}.
     * Failed entries just go. Held ones go unless that would leave a plan without its prerequisite:
     * then, for a product removed from a group while a direct add-on depends on it, the licence is
     * converted to a direct one (R16a); otherwise the source stays, ActiveWithError (R14).
     */
    private void removeSource(int u, int src, int onlyT, License convertFrom) {
        for (int i = curN - 1; i >= 0; i--) {
            int at = i * E;
            if (cur[at + StateStore.SRC] == src && (onlyT < 0 || cur[at + StateStore.PRODUCT] == onlyT)
                    && !States.holds(cur[at + StateStore.STATE])) {
                removeEntry(i);
            }
        }
        long all = unionActive(Integer.MIN_VALUE);
        long after = 0;
        for (int i = 0; i < curN; i++) {
            int at = i * E;
            boolean going = cur[at + StateStore.SRC] == src && (onlyT < 0 || cur[at + StateStore.PRODUCT] == onlyT);
            if (!going && States.holds(cur[at + StateStore.STATE])) {
                after |= rules.ruleMask(cur[at + StateStore.MASK]);
            }
        }
        long introduced = rules.unmet(after) & ~rules.unmet(all);
        if (introduced == 0) {
            for (int i = curN - 1; i >= 0; i--) {
                int at = i * E;
                if (cur[at + StateStore.SRC] == src && (onlyT < 0 || cur[at + StateStore.PRODUCT] == onlyT)) {
                    int t = cur[at + StateStore.PRODUCT];
                    removeEntry(i);
                    if (!holds(t)) {
                        seats.release(t);
                    }
                }
            }
            return;
        }
        if (convertFrom != null && (introduced & unionDirect()) != 0 && asg.findDirect(u, convertFrom.product()) == null) {
            int t = convertFrom.product();
            int at = find(src, t);
            if (at >= 0) {
                asg.putDirect(u, new License(t, convertFrom.disabled(), convertFrom.enabled(), causeSeq));
                int mask = cur[at * E + StateStore.MASK];
                removeEntry(at);
                put(StateStore.direct(t), t, mask, States.pack(States.ACTIVE, States.NONE), newEventKey());
            }
        }
        // otherwise the held entries stay; finish() marks them ActiveWithError / DependencyViolation
    }

    /** Whether switching unit {@code src} to its current demand now would strand a dependent plan (R14). */
    private boolean blockedBySwitch(int u, int src) {
        boolean active = false;
        for (int i = 0; i < curN; i++) {
            if (cur[i * E + StateStore.SRC] == src && States.holds(cur[i * E + StateStore.STATE])) {
                active = true;
                break;
            }
        }
        if (!active) {
            return false;
        }
        int n = demand(u, src);
        long after = 0;
        for (int i = 0; i < n; i++) {
            after |= rules.ruleMask(dMask[i]);
        }
        // the unit's entries for products it still demands switch to the new masks; anything else
        // (other sources, and this unit's held-back entries for products it no longer demands) stays
        for (int i = 0; i < curN; i++) {
            int at = i * E;
            if (!States.holds(cur[at + StateStore.STATE])) {
                continue;
            }
            boolean switching = false;
            if (cur[at + StateStore.SRC] == src) {
                for (int k = 0; k < n; k++) {
                    switching |= dProd[k] == cur[at + StateStore.PRODUCT];
                }
            }
            if (!switching) {
                after |= rules.ruleMask(cur[at + StateStore.MASK]);
            }
        }
        long all = unionActive(Integer.MIN_VALUE);
        return (rules.unmet(after) & ~rules.unmet(all)) != 0;
    }

    /**
     * Settles user {@code u} after a change: held entries whose demand is gone or changed are
     * removed or switched once R14 allows it (the dependent plan went, or another source now
     * gives the prerequisite); failed entries whose demand is gone are dropped; then every held
     * entry is Active, or ActiveWithError/DependencyViolation when R14 keeps it or it enables a
     * plan whose prerequisite is missing.
     */
    private void finish(int u) {
        for (int pass = 0; pass < 64; pass++) {
            boolean changed = false;
            for (int i = 0; i < curN && !changed; i++) {
                int at = i * E;
                int src = cur[at + StateStore.SRC];
                int t = cur[at + StateStore.PRODUCT];
                int want = demandedMask(u, src, t);
                if (!States.holds(cur[at + StateStore.STATE])) {
                    if (want < 0) {
                        removeEntry(i);
                        changed = true;
                    }
                    continue;
                }
                if (want == cur[at + StateStore.MASK]) {
                    continue;
                }
                long all = unionActive(Integer.MIN_VALUE);
                long after = want >= 0 ? rules.ruleMask(want) : 0;
                for (int j = 0; j < curN; j++) {
                    if (j != i && States.holds(cur[j * E + StateStore.STATE])) {
                        after |= rules.ruleMask(cur[j * E + StateStore.MASK]);
                    }
                }
                if ((rules.unmet(after) & ~rules.unmet(all)) != 0) {
                    continue;
                }
                if (want < 0) {
                    removeEntry(i);
                    if (!holds(t)) {
                        seats.release(t);
                    }
                } else {
                    processUnit(u, src, StateStore.key(cur, at));
                }
                changed = true;
            }
            if (!changed) {
                break;
            }
        }
        long unmet = rules.unmet(unionActive(Integer.MIN_VALUE));
        for (int i = 0; i < curN; i++) {
            int at = i * E;
            int s = cur[at + StateStore.STATE];
            if (!States.holds(s)) {
                continue;
            }
            int want = demandedMask(u, cur[at + StateStore.SRC], cur[at + StateStore.PRODUCT]);
            boolean kept = want != cur[at + StateStore.MASK];
            boolean stranded = (rules.ruleMask(cur[at + StateStore.MASK]) & unmet) != 0;
            int desired = kept || stranded ? States.pack(States.ACTIVE_WITH_ERROR, States.DEPENDENCY_VIOLATION)
                    : States.pack(States.ACTIVE, States.NONE);
            if (desired != s) {
                cur[at + StateStore.STATE] = desired;
                cur[at + StateStore.TIME] = now;
            }
        }
    }

    /** Appends user {@code u}'s changes (old vs cur) to the feed. */
    private void diff(int u) {
        if (!recordFeed) {
            return;
        }
        stamp++;
        for (int pass = 0; pass < 2; pass++) {
            int[] es = pass == 0 ? old : cur;
            int n = pass == 0 ? oldN : curN;
            for (int i = 0; i < n; i++) {
                int t = es[i * E + StateStore.PRODUCT];
                if (productStamp[t] == stamp) {
                    continue;
                }
                productStamp[t] = stamp;
                boolean was = held(old, oldN, t);
                boolean is = held(cur, curN, t);
                if (is && !was) {
                    feed.append(Kind.LicenseAssigned, u, t, 0, 0, 1, causeSeq, now);
                } else if (was && !is) {
                    feed.append(Kind.LicenseRemoved, u, t, 0, 1, 0, causeSeq, now);
                } else if (is && !samePlans(t)) {
                    feed.append(Kind.PlansChanged, u, t, 0, 1, 1, causeSeq, now);
                }
            }
        }
        for (int i = 0; i < curN; i++) {
            int at = i * E;
            int src = cur[at + StateStore.SRC];
            int t = cur[at + StateStore.PRODUCT];
            int after = cur[at + StateStore.STATE];
            int before = stateIn(old, oldN, src, t);
            if (after == before) {
                continue;
            }
            if (after != States.pack(States.ACTIVE, States.NONE)) {
                feed.append(Kind.ErrorRaised, u, t, src, before, after, causeSeq, now);
            } else if (before > 0 && before != States.pack(States.ACTIVE, States.NONE)) {
                feed.append(Kind.ErrorCleared, u, t, src, before, after, causeSeq, now);
            }
        }
        for (int i = 0; i < oldN; i++) {
            int at = i * E;
            int before = old[at + StateStore.STATE];
            if (before != States.pack(States.ACTIVE, States.NONE)
                    && stateIn(cur, curN, old[at + StateStore.SRC], old[at + StateStore.PRODUCT]) == 0) {
                feed.append(Kind.ErrorCleared, u, old[at + StateStore.PRODUCT], old[at + StateStore.SRC], before, 0,
                        causeSeq, now);
            }
        }
    }

    private boolean samePlans(int t) {
        int words = subs.words(t);
        for (int w = 0; w < words; w++) {
            if (planWord(old, oldN, t, w) != planWord(cur, curN, t, w)) {
                return false;
            }
        }
        return true;
    }

    private long planWord(int[] es, int n, int t, int w) {
        long word = 0;
        for (int i = 0; i < n; i++) {
            int at = i * E;
            if (es[at + StateStore.PRODUCT] == t && States.holds(es[at + StateStore.STATE])) {
                word |= masks.word(es[at + StateStore.MASK], w);
            }
        }
        return word;
    }

    private static boolean held(int[] es, int n, int t) {
        for (int i = 0; i < n; i++) {
            if (es[i * E + StateStore.PRODUCT] == t && States.holds(es[i * E + StateStore.STATE])) {
                return true;
            }
        }
        return false;
    }

    private static int stateIn(int[] es, int n, int src, int t) {
        for (int i = 0; i < n; i++) {
            if (es[i * E + StateStore.SRC] == src && es[i * E + StateStore.PRODUCT] == t) {
                return es[i * E + StateStore.STATE];
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------ entries of the current user

    /** Fills dProd/dMask with what unit {@code src} demands of user {@code u} now; returns how many products. */
    private int demand(int u, int src) {
        if (StateStore.isDirect(src)) {
            License l = asg.findDirect(u, StateStore.directProduct(src));
            if (l == null) {
                return 0;
            }
            dProd[0] = l.product();
            dMask[0] = l.enabled();
            return 1;
        }
        if (groups.isDeleted(src) || !dir.isMember(src, u)) {
            return 0;
        }
        License[] ls = asg.ofGroup(src);
        if (ls.length > dProd.length) {
            dProd = new int[ls.length];
            dMask = new int[ls.length];
            dHeld = new boolean[ls.length];
        }
        for (int i = 0; i < ls.length; i++) {
            dProd[i] = ls[i].product();
            dMask[i] = ls[i].enabled();
        }
        return ls.length;
    }

    /** The mask unit {@code src} demands for product {@code t} of user {@code u}, or -1. */
    private int demandedMask(int u, int src, int t) {
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

    /** Rule bits of every held entry except those of {@code exceptSrc}. */
    private long unionActive(int exceptSrc) {
        long r = 0;
        for (int i = 0; i < curN; i++) {
            int at = i * E;
            if (cur[at + StateStore.SRC] != exceptSrc && States.holds(cur[at + StateStore.STATE])) {
                r |= rules.ruleMask(cur[at + StateStore.MASK]);
            }
        }
        return r;
    }

    private long unionDirect() {
        long r = 0;
        for (int i = 0; i < curN; i++) {
            int at = i * E;
            if (StateStore.isDirect(cur[at + StateStore.SRC]) && States.holds(cur[at + StateStore.STATE])) {
                r |= rules.ruleMask(cur[at + StateStore.MASK]);
            }
        }
        return r;
    }

    private boolean holds(int t) {
        return held(cur, curN, t);
    }

    /** Whether entry {@code i} is the first held entry of product {@code t} (to release each seat once). */
    private boolean firstHolder(int i, int t) {
        for (int j = 0; j < i; j++) {
            if (cur[j * E + StateStore.PRODUCT] == t && States.holds(cur[j * E + StateStore.STATE])) {
                return false;
            }
        }
        return true;
    }

    private int find(int src, int t) {
        for (int i = 0; i < curN; i++) {
            if (cur[i * E + StateStore.SRC] == src && cur[i * E + StateStore.PRODUCT] == t) {
                return i;
            }
        }
        return -1;
    }

    /** Sets entry (src, t), adding it in canonical order when new; the time changes only with the content. */
    private void put(int src, int t, int mask, int state, long key) {
        int i = find(src, t);
        if (i >= 0) {
            int at = i * E;
            if (cur[at + StateStore.MASK] != mask || cur[at + StateStore.STATE] != state) {
                cur[at + StateStore.MASK] = mask;
                cur[at + StateStore.STATE] = state;
                cur[at + StateStore.TIME] = now;
            }
            return;
        }
        ensureEntries(curN + 1);
        int pos = curN;
        while (pos > 0 && StateStore.before(src, t, cur[(pos - 1) * E + StateStore.SRC], cur[(pos - 1) * E + StateStore.PRODUCT])) {
            pos--;
        }
        System.arraycopy(cur, pos * E, cur, (pos + 1) * E, (curN - pos) * E);
        StateStore.put(cur, pos * E, src, t, mask, state, key, now);
        curN++;
    }


    private void removeEntry(int i) {
        System.arraycopy(cur, (i + 1) * E, cur, i * E, (curN - i - 1) * E);
        curN--;
    }

    private void ensureEntries(int n) {
        if (n * E > cur.length) {
            int cap = Math.max(n * E, cur.length * 2);
            cur = Arrays.copyOf(cur, cap);
            old = Arrays.copyOf(old, cap);
        }
    }

    private static int[] ensure(int[] a, int n) {
        return n <= a.length ? a : Arrays.copyOf(a, Math.max(n, a.length * 2));
    }

    private static long[] ensure(long[] a, int n) {
        return n <= a.length ? a : Arrays.copyOf(a, Math.max(n, a.length * 2));
    }

    /** Copies group {@code g}'s user members into {@code members}, ascending (SPEC R11 user order). */
    private int sortedMembers(int g) {
        var set = groups.userMembers(g);
        int n = set.getCardinality();
        members = ensure(members, n);
        var it = set.getIntIterator();
        for (int i = 0; i < n; i++) {
            members[i] = it.next();
        }
        return n;
    }

    private void startGroup(int g) {
        unitsSucceeded = 0;
        unitsFailed = 0;
        if (recordFeed) {
            feed.append(Kind.GroupProcessingStarted, -1, -1, g, 0, 0, causeSeq, now);
        }
    }

    /** Counts the user just ended as succeeded or failed for group {@code g}'s processing record. */
    private void countMember(int g) {
        for (int i = 0; i < curN; i++) {
            if (cur[i * E + StateStore.SRC] == g && cur[i * E + StateStore.STATE] != States.pack(States.ACTIVE, States.NONE)) {
                unitsFailed++;
                return;
            }
        }
        unitsSucceeded++;
    }

    private void finishGroup(int g) {
        if (recordFeed) {
            feed.append(Kind.GroupProcessingFinished, -1, -1, g, unitsSucceeded, unitsFailed, causeSeq, now);
        }
    }

    // ------------------------------------------------------------------ validation helpers

    private LicensimException reject(Event e, String why) {
        return new LicensimException("event seq " + e.seq() + " (" + e.type() + ") rejected: " + why);
    }

    private int user(Event e, String id) {
        int u = users.indexOf(id);
        if (u < 0) {
            throw reject(e, "unknown user \"" + id + "\"");
        }
        return u;
    }

    private int group(Event e, String id) {
        int g = groups.indexOf(id);
        if (g < 0) {
            throw reject(e, "unknown group \"" + id + "\"");
        }
        return g;
    }

    /** The group's licence of product {@code t}; an event about a product the group does not assign is refused. */
    private License assignedLicense(Event e, int g, int t) {
        License l = asg.findGroupLicense(g, t);
        if (l == null) {
            throw reject(e, "group \"" + groups.id(g) + "\" does not assign " + name(t));
        }
        return l;
    }

    private void checkManual(Event e, int g) {
        if (dynamic.managesMembers(tenant, g)) {
            throw reject(e, "group \"" + groups.id(g) + "\" is a dynamic group: its members come from its rule");
        }
    }

    private int product(Event e, String ref) {
        Product p;
        try {
            p = tenant.catalog().findProduct(ref);
        } catch (LicensimException ex) {
            throw reject(e, ex.getMessage());
        }
        if (p == null) {
            throw reject(e, "unknown product \"" + ref + "\": not in the product catalog");
        }
        int t = subs.indexOf(p);
        if (t < 0) {
            throw reject(e, "product " + p.skuPartNumber() + " is not among the tenant's subscribedSkus");
        }
        return t;
    }

    private long[] disabledMask(Event e, int t, List<String> refs) {
        Product p = subs.product(t);
        long[] m = new long[subs.words(t)];
        for (String ref : refs) {
            int local;
            try {
                local = tenant.catalog().findPlanInProduct(p, ref);
            } catch (LicensimException ex) {
                throw reject(e, ex.getMessage());
            }
            if (local < 0) {
                throw reject(e, "disabled plan \"" + ref + "\" is not a plan of product " + p.skuPartNumber());
            }
            m[local >>> 6] |= 1L << local;
        }
        return m;
    }

    /** SPEC R14: a group's own enabled plans must satisfy every prerequisite of its add-ons. */
    private void checkGroupPrerequisites(Event e, int g, int t, int newMask) {
        long union = rules.ruleMask(newMask);
        for (License l : asg.ofGroup(g)) {
            if (l.product() != t) {
                union |= rules.ruleMask(l.enabled());
            }
        }
        long missing = rules.unmet(union);
        if (missing != 0) {
            throw reject(e, "license operation failed for group \"" + groups.id(g) + "\": " + describeUnmet(missing)
                    + "; the group must have the prerequisite services itself (SPEC R14)");
        }
    }

    private String describeUnmet(long bits) {
        StringBuilder sb = new StringBuilder();
        for (long rest = bits; rest != 0; rest &= rest - 1) {
            int b = Long.numberOfTrailingZeros(rest);
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append("the service ").append(tenant.catalog().plan(rules.catalogPlan(b)).friendlyName())
                    .append(" requires ");
            long[] any = rules.prerequisites(b);
            for (int i = 0; i < any.length; i++) {
                if (i > 0) {
                    sb.append(" and ");
                }
                StringBuilder alt = new StringBuilder();
                for (long r = any[i]; r != 0; r &= r - 1) {
                    if (alt.length() > 0) {
                        alt.append(" or ");
                    }
                    alt.append(tenant.catalog().plan(rules.catalogPlan(Long.numberOfTrailingZeros(r))).friendlyName());
                }
                sb.append(alt);
            }
            sb.append(" to be enabled as well");
        }
        return sb.toString();
    }

    private String explain(int error, int u, int t) {
        return switch (error) {
            case States.COUNT_VIOLATION -> "no seats left of " + name(t) + " (consumed " + ledger.consumed(t)
                    + " of " + ledger.capacity(t) + ")";
            case States.MUTUALLY_EXCLUSIVE_VIOLATION -> "its plans conflict with plans the user already has";
            case States.PROHIBITED_IN_USAGE_LOCATION_VIOLATION -> "a plan of it is not allowed in usage location "
                    + users.usageLocation().get(u);
            case States.UNIQUENESS_VIOLATION -> "proxy address is already being used";
            default -> "error " + error;
        };
    }

    private String name(int t) {
        return subs.product(t).skuPartNumber();
    }

    private String productNames(License[] ls) {
        StringBuilder sb = new StringBuilder();
        for (License l : ls) {
            sb.append(sb.length() == 0 ? "" : ", ").append(name(l.product()));
        }
        return sb.toString();
    }


}
