package org.licensim.core.engine.reconcile;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Directory;
import org.licensim.core.engine.resolve.Entries;
import org.licensim.core.engine.resolve.UserResolver;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * {@link ShortSeats#CUTOFF}: seats by cutoffs found from phase 1. In a reconcile seats are only
 * taken, never freed, so the seats of product t go exactly to the demands that reach t's seat
 * check with an R11 key below some cutoff K[t]. Starting from phase 1 (where every check
 * passed), K[t] is the key of the first demand past capacity; users with a seat check at or
 * after K[t] are resolved again with the cutoffs (in parallel: given the cutoffs, users are
 * independent). Their new outcome can move other checks (R12 blocks a group's other products,
 * R13 conflicts depend on what was granted before), so the cutoffs are recomputed and the users
 * they move are resolved again, until nothing moves. By induction over keys every seat check
 * then sees the seats the sequential pass would. Gives up, storing nothing, when it does not
 * settle in a few rounds or a product that was not short runs out.
 */
final class CutoffRounds implements SeatStrategy {
    static final CutoffRounds INSTANCE = new CutoffRounds();
    private static final int ROUNDS = 12;
    private static final long NONE = CutoffSeats.NONE;

    private CutoffRounds() {
    }

    @Override
    public ReconcilePath settle(Reconciler r) {
        Phase1 p = r.unlimitedIfShort();
        if (p == null) {
            return null;
        }
        int n = r.users();
        boolean[] limited = p.limited;
        int products = limited.length;
        long[][] check = new long[products][];
        long[][] take = new long[products][];
        long[][] denied = new long[products][];
        long[] cutoff = new long[products];
        Arrays.fill(cutoff, NONE);
        for (int t = 0; t < products; t++) {
            if (limited[t]) {
                take[t] = new long[n];
                denied[t] = new long[n];
                Arrays.fill(take[t], NONE);
                Arrays.fill(denied[t], NONE);
            }
        }
        // phase 1's takes: per user and limited product, the smallest key among holding entries
        // (each worker's users are its own, so the workers' outputs are scanned in parallel)
        IntStream.range(0, p.out.length).parallel().forEach(w -> {
            WorkerOutput o = p.out[w];
            int[] data = o.entries;
            for (int i = 0; i < o.users(); i++) {
                int u = o.user(i);
                for (int k = 0; k < o.count(i); k++) {
                    int at = o.at(i, k);
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
        IntObjectHashMap<int[]> redone = new IntObjectHashMap<>();
        boolean[] redo = new boolean[n];
        for (int round = 0; round < ROUNDS; round++) {
            boolean moved = false;
            for (int t = 0; t < products; t++) {
                if (!limited[t]) {
                    continue;
                }
                int takes = 0;
                int refused = 0;
                for (int u = 0; u < n; u++) {
                    takes += take[t][u] != NONE ? 1 : 0;
                    refused += denied[t][u] != NONE ? 1 : 0;
                }
                long k = cutoff[t];
                if (takes > r.capacity[t]) {
                    k = kthSmallest(take[t], takes, r.capacity[t]);
                } else if (takes < r.capacity[t] && refused > 0) {
                    k = refused > r.capacity[t] - takes ? kthSmallest(denied[t], refused, r.capacity[t] - takes) : NONE;
                }
                if (k != cutoff[t]) {
                    long from = Math.min(k, cutoff[t]);
                    cutoff[t] = k;
                    moved = true;
                    for (int u = 0; u < n; u++) {
                        if (check[t][u] != NONE && check[t][u] >= from) {
                            redo[u] = true;
                        }
                    }
                }
            }
            if (!moved) {
                return store(r, p, redone) ? ReconcilePath.CUTOFF_ROUNDS : null;
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
            resolveAgain(r, list, limited, cutoff, check, take, denied, redone);
        }
        return null;
    }

    /** Resolves the users of {@code list} again under the cutoffs, in parallel, recording their seat checks. */
    private static void resolveAgain(Reconciler r, int[] list, boolean[] limited, long[] cutoff, long[][] check,
                                     long[][] take, long[][] denied, IntObjectHashMap<int[]> redone) {
        Assignments asg = r.tenant.assignments();
        Directory dir = r.tenant.directory();
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), list.length / 2048 + 1));
        int chunk = (list.length + threads - 1) / threads;
        int[][][] results = new int[threads][][];
        IntStream.range(0, threads).parallel().forEach(w -> {
            CutoffSeats seats = new CutoffSeats(limited, cutoff);
            UserResolver worker = new UserResolver(r.main, seats);
            int from = w * chunk;
            int to = Math.min(list.length, from + chunk);
            int[][] mine = new int[Math.max(0, to - from)][];
            for (int i = from; i < to; i++) {
                int u = list[i];
                seats.startUser();
                worker.clear();
                worker.resolveUnits(u, asg.directOf(u), dir.groupArray(u), dir.groupCount(u));
                Entries cur = worker.current();
                mine[i - from] = Arrays.copyOf(cur.array(), cur.size() * StateStore.ENTRY_INTS);
                for (int t = 0; t < limited.length; t++) {
                    if (limited[t]) {
                        check[t][u] = seats.check[t];
                        take[t][u] = seats.take[t];
                        denied[t][u] = seats.denied[t];
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
     * Stores a settled pass: re-resolved users from their new entries, everyone else from phase
     * 1. Returns false (storing nothing) when a product that was not short now is over its
     * seats, which the cutoffs did not account for.
     */
    private static boolean store(Reconciler r, Phase1 p, IntObjectHashMap<int[]> redone) {
        int products = r.capacity.length;
        // totals: phase 1's, less what re-resolved users held in phase 1, plus what they hold now
        int[] total = p.total.clone();
        int[] minus = new int[products];
        int[] seen = new int[products];
        int mark = 0;
        WorkerOutput[] kept = new WorkerOutput[p.out.length];
        for (int w = 0; w < p.out.length; w++) {
            WorkerOutput o = p.out[w];
            for (int i = 0; i < o.users(); i++) {
                if (redone.containsKey(o.user(i))) {
                    mark = countHeld(o.entries, o.offset(i), o.count(i), minus, seen, mark + 1);
                }
            }
            kept[w] = o.without(redone::containsKey);
        }
        int[] plus = new int[products];
        for (int[] es : redone.values()) {
            mark = countHeld(es, 0, es.length / StateStore.ENTRY_INTS, plus, seen, mark + 1);
        }
        for (int t = 0; t < products; t++) {
            total[t] += plus[t] - minus[t];
            if (total[t] > r.capacity[t]) {
                return false;
            }
        }
        StateStore store = r.store();
        redone.forEachKeyValue((u, es) -> store.write(u, es, es.length / StateStore.ENTRY_INTS));
        for (WorkerOutput o : kept) {
            o.storeInto(store);
        }
        r.setConsumed(total);
        redone.forEachKeyValue((u, es) -> r.main.indexWaiting(u, es, es.length / StateStore.ENTRY_INTS));
        return true;
    }

    /** Adds the products held by one user's entries to {@code total}; {@code mark} is a fresh stamp. */
    private static int countHeld(int[] data, int off, int count, int[] total, int[] seen, int mark) {
        for (int k = 0; k < count; k++) {
            int at = off + k * StateStore.ENTRY_INTS;
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
     * {@link CutoffSeats#NONE} ({@code present} of them): the first demand past {@code k} seats.
     */
    static long kthSmallest(long[] keys, int present, int k) {
        long[] a = new long[present];
        int at = 0;
        for (long v : keys) {
            if (v != NONE) {
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
}
