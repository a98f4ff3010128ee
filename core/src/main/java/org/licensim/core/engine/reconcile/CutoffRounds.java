package org.licensim.core.engine.reconcile;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
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
        Rounds x = new Rounds(r, p);
        for (int round = 0; round < ROUNDS; round++) {
            int[] list = x.nextRound();
            if (list == null) {
                return store(r, p, x) ? ReconcilePath.CUTOFF_ROUNDS : null;
            }
            x.resolveAgain(list);
        }
        return null;
    }

    /**
     * The iteration's state: per limited product and user, the key of the user's last seat check,
     * of the demand that took a seat and of the first demand refused ({@link #NONE}: none), with
     * how many users take and are refused, kept as users are resolved again (not counted over
     * every user each round). Every pass over all users runs on the reconciler's workers.
     */
    private static final class Rounds {
        final Reconciler r;
        final int n;
        final boolean[] limited;
        final int[] limitedList;
        final long[][] check;
        final long[][] take;
        final long[][] denied;
        final int[] takes;
        final int[] refused;
        final long[] cutoff;
        /** Entries of the users resolved again (null: phase 1's stand), and those users in the order first redone. */
        final int[][] redone;
        final IntArrayList redoneUsers = new IntArrayList();
        /** Scratch of {@link #nextRound}: whether user u is resolved again this round. */
        final boolean[] redo;

        Rounds(Reconciler r, Phase1 p) {
            this.r = r;
            n = r.users();
            limited = p.limited;
            int products = limited.length;
            limitedList = IntStream.range(0, products).filter(t -> limited[t]).toArray();
            check = new long[products][];
            take = new long[products][];
            denied = new long[products][];
            takes = new int[products];
            refused = new int[products];
            cutoff = new long[products];
            Arrays.fill(cutoff, NONE);
            redone = new int[n][];
            redo = new boolean[n];
            IntStream.of(limitedList).parallel().forEach(t -> {
                take[t] = new long[n];
                denied[t] = new long[n];
                Arrays.fill(take[t], NONE);
                Arrays.fill(denied[t], NONE);
            });
            // phase 1's takes: per user and limited product, the smallest key among holding entries
            // (each worker's users are its own, so the workers' outputs are scanned in parallel)
            int[][] counted = new int[p.out.length][products];
            IntStream.range(0, p.out.length).parallel().forEach(w -> {
                WorkerOutput o = p.out[w];
                int[] data = o.entries;
                int[] mine = counted[w];
                for (int i = 0; i < o.users(); i++) {
                    int u = o.user(i);
                    for (int k = 0; k < o.count(i); k++) {
                        int at = o.at(i, k);
                        int t = data[at + StateStore.PRODUCT];
                        if (limited[t] && States.holds(data[at + StateStore.STATE])) {
                            long key = StateStore.key(data, at);
                            long was = take[t][u];
                            if (key < was) {
                                take[t][u] = key;
                                mine[t] += was == NONE ? 1 : 0;
                            }
                        }
                    }
                }
            });
            for (int[] c : counted) {
                for (int t = 0; t < products; t++) {
                    takes[t] += c[t];
                }
            }
            // in phase 1 every check passed: each user's last check is its take
            IntStream.of(limitedList).parallel().forEach(t -> check[t] = take[t].clone());
        }

        /**
         * Moves each limited product's cutoff to where its takes and refusals now put it and
         * returns the users with a seat check at or after a moved cutoff (either side of the
         * move), or null when no cutoff moved: the fixed point.
         */
        int[] nextRound() {
            int products = limited.length;
            long[] next = cutoff.clone();
            int[] capacity = r.capacity;
            IntStream.of(limitedList).parallel().forEach(t -> {
                if (takes[t] > capacity[t]) {
                    next[t] = kthSmallest(take[t], takes[t], capacity[t]);
                } else if (takes[t] < capacity[t] && refused[t] > 0) {
                    next[t] = refused[t] > capacity[t] - takes[t]
                            ? kthSmallest(denied[t], refused[t], capacity[t] - takes[t]) : NONE;
                }
            });
            int[] movedList = IntStream.of(limitedList).filter(t -> next[t] != cutoff[t]).toArray();
            if (movedList.length == 0) {
                return null;
            }
            long[] from = new long[products];
            for (int t : movedList) {
                from[t] = Math.min(next[t], cutoff[t]);
                cutoff[t] = next[t];
            }
            int chunks = Math.max(1, r.threads * 4);
            int span = (n + chunks - 1) / chunks;
            int[] counts = new int[chunks];
            IntStream.range(0, chunks).parallel().forEach(c -> {
                int count = 0;
                for (int u = c * span, end = Math.min(n, u + span); u < end; u++) {
                    boolean again = false;
                    for (int t : movedList) {
                        long k = check[t][u];
                        again |= k != NONE && k >= from[t];
                    }
                    redo[u] = again;
                    count += again ? 1 : 0;
                }
                counts[c] = count;
            });
            int[] starts = new int[chunks + 1];
            for (int c = 0; c < chunks; c++) {
                starts[c + 1] = starts[c] + counts[c];
            }
            int[] list = new int[starts[chunks]];
            IntStream.range(0, chunks).parallel().forEach(c -> {
                int at = starts[c];
                for (int u = c * span, end = Math.min(n, u + span); u < end; u++) {
                    if (redo[u]) {
                        list[at++] = u;
                    }
                }
            });
            return list;
        }

        /** Resolves the users of {@code list} again under the cutoffs, in parallel, recording their seat checks. */
        void resolveAgain(int[] list) {
            Assignments asg = r.tenant.assignments();
            Directory dir = r.tenant.directory();
            int products = limited.length;
            int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), list.length / 2048 + 1));
            int chunk = (list.length + threads - 1) / threads;
            int[][] deltas = new int[threads][2 * products];
            IntArrayList[] first = new IntArrayList[threads];
            IntStream.range(0, threads).parallel().forEach(w -> {
                first[w] = new IntArrayList();
                CutoffSeats seats = new CutoffSeats(limited, cutoff);
                UserResolver worker = new UserResolver(r.main, seats);
                int[] delta = deltas[w];
                for (int i = w * chunk, to = Math.min(list.length, (w + 1) * chunk); i < to; i++) {
                    int u = list[i];
                    seats.startUser();
                    worker.clear();
                    worker.resolveUnits(u, asg.directOf(u), dir.groupArray(u), dir.groupCount(u));
                    Entries cur = worker.current();
                    if (redone[u] == null) {
                        first[w].add(u);
                    }
                    redone[u] = Arrays.copyOf(cur.array(), cur.size() * StateStore.ENTRY_INTS);
                    for (int t : limitedList) {
                        check[t][u] = seats.check[t];
                        delta[t] += (seats.take[t] != NONE ? 1 : 0) - (take[t][u] != NONE ? 1 : 0);
                        take[t][u] = seats.take[t];
                        delta[products + t] += (seats.denied[t] != NONE ? 1 : 0) - (denied[t][u] != NONE ? 1 : 0);
                        denied[t][u] = seats.denied[t];
                    }
                }
            });
            for (int[] delta : deltas) {
                for (int t = 0; t < products; t++) {
                    takes[t] += delta[t];
                    refused[t] += delta[products + t];
                }
            }
            // users redone for the first time, in the order of the rounds (the order of their writes to the store)
            for (IntArrayList f : first) {
                redoneUsers.addAll(f);
            }
        }
    }

    /**
     * Stores a settled pass: re-resolved users from their new entries, everyone else from phase
     * 1. Returns false (storing nothing) when a product that was not short now is over its
     * seats, which the cutoffs did not account for.
     */
    private static boolean store(Reconciler r, Phase1 p, Rounds x) {
        int products = r.capacity.length;
        int[][] redone = x.redone;
        // totals: phase 1's, less what re-resolved users held in phase 1, plus what they hold now
        int[] total = p.total.clone();
        int[][] minus = new int[p.out.length][products];
        WorkerOutput[] kept = new WorkerOutput[p.out.length];
        IntStream.range(0, p.out.length).parallel().forEach(w -> {
            WorkerOutput o = p.out[w];
            int[] seen = new int[products];
            int mark = 0;
            for (int i = 0; i < o.users(); i++) {
                if (redone[o.user(i)] != null) {
                    mark = countHeld(o.entries, o.offset(i), o.count(i), minus[w], seen, mark + 1);
                }
            }
            kept[w] = o.without(u -> redone[u] != null);
        });
        int[] plus = new int[products];
        int[] seen = new int[products];
        int mark = 0;
        IntArrayList users = x.redoneUsers;
        for (int i = 0; i < users.size(); i++) {
            int[] es = redone[users.get(i)];
            mark = countHeld(es, 0, es.length / StateStore.ENTRY_INTS, plus, seen, mark + 1);
        }
        for (int t = 0; t < products; t++) {
            for (int[] m : minus) {
                total[t] -= m[t];
            }
            total[t] += plus[t];
            if (total[t] > r.capacity[t]) {
                return false;
            }
        }
        StateStore store = r.store();
        for (int i = 0; i < users.size(); i++) {
            int u = users.get(i);
            store.write(u, redone[u], redone[u].length / StateStore.ENTRY_INTS);
        }
        for (WorkerOutput o : kept) {
            o.storeInto(store);
        }
        r.setConsumed(total);
        for (int i = 0; i < users.size(); i++) {
            int u = users.get(i);
            r.main.indexWaiting(u, redone[u], redone[u].length / StateStore.ENTRY_INTS);
        }
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
