package org.licensim.core.engine.reconcile;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * {@link ShortSeats#CUTOFF}: seats by cutoffs found from phase 1. In a reconcile seats are only
 * taken, never freed, so the seats of product t go exactly to the demands that reach t's seat
 * check with an R11 key below some cutoff K[t]. Starting from phase 1 with every check passed
 * (or, {@link #fromGuess}, under the cutoffs of demand), K[t] moves to the key of the first
 * take past capacity, or far enough to admit as many refused demands as seats are left; users
 * with a seat check between the old and the new K[t] are resolved again with the cutoffs (in
 * parallel: given the cutoffs, users are independent). Their new outcome can move other checks
 * (R12 blocks a group's other products, R13 conflicts depend on what was granted before), so
 * the cutoffs are recomputed and the users they move are resolved again, until nothing moves.
 * By induction over keys every seat check then sees the seats the sequential pass would. Gives
 * up, storing nothing, when it does not settle in a few rounds or a product that was not short
 * runs out.
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
        Keys keys = Keys.of(r.tenant);
        if (keys == null) {
            return null;
        }
        long[] cutoff = new long[p.limited.length];
        Arrays.fill(cutoff, NONE);
        Rounds x = Rounds.of(r, p.limited, cutoff, keys);
        if (x == null) {
            return null;
        }
        x.fromUnlimited(p);
        return iterate(r, p.out, p.total, x, false) ? ReconcilePath.CUTOFF_ROUNDS : null;
    }

    /**
     * {@link ShortSeats#DEMAND} when the cutoffs from demand are not a fixed point (demands refused
     * for other reasons than seats leave seats the guess counted): phase 1 once under those
     * cutoffs, recording every user's seat checks, then the rounds from there. Only the users
     * around the cutoffs the guess got wrong are resolved again, where the rounds from phase 1
     * with every seat granted redo every user past a cutoff. Stores nothing and returns null
     * when the rounds do not settle.
     */
    static ReconcilePath fromGuess(Reconciler r, boolean[] limited, long[] cutoff, long[] estimates) {
        Keys keys = Keys.of(r.tenant);
        if (keys == null) {
            return null;
        }
        Rounds x = Rounds.of(r, limited, cutoff.clone(), keys);
        if (x == null) {
            return null;
        }
        int products = limited.length;
        WorkerOutput[] out = new WorkerOutput[r.threads];
        CutoffSeats[] seatsOf = new CutoffSeats[r.threads];
        Rounds.Recorder[] recorders = new Rounds.Recorder[r.threads];
        r.inParallel(w -> {
            seatsOf[w] = new CutoffSeats(limited, x.cutoff);
            recorders[w] = x.new Recorder(true, 0);
            out[w] = new Phase1Worker(r, seatsOf[w], x.groupLimited, true)
                    .resolveUsers(r.from(w), r.to(w), estimates[w], recorders[w]);
        });
        int[] total = new int[products];
        for (int w = 0; w < r.threads; w++) {
            for (int t = 0; t < products; t++) {
                total[t] += seatsOf[w].taken[t];
            }
        }
        x.phase1 = out;
        x.add(recorders);
        return iterate(r, out, total, x, true) ? ReconcilePath.DEMAND_ROUNDS : null;
    }

    /** Rounds until no cutoff moves (then stores the result and returns true) or {@link #ROUNDS} have run. */
    private static boolean iterate(Reconciler r, WorkerOutput[] out, int[] total, Rounds x, boolean refusalsKept) {
        for (int round = 0; round < ROUNDS; round++) {
            int[] list = x.nextRound();
            if (list == null) {
                return store(r, out, total, x, refusalsKept);
            }
            x.resolveAgain(list);
        }
        return false;
    }

    /** A redone user's entries: output {@code id} (from 1), int offset {@code at}, {@code count} entries. */
    static long where(int id, int at, int count) {
        return ((long) id << 48) | ((long) count << 32) | (at & 0xFFFFFFFFL);
    }

    static int offsetOf(long where) {
        return (int) where;
    }

    static int countOf(long where) {
        return (int) (where >>> 32) & 0xFFFF;
    }

    /**
     * Stores a settled pass: phase 1's outputs whole, then each re-resolved user from its round's
     * output over its phase 1 entries (the heap store rewrites a user in place when its entries
     * still fit, as they mostly do: a redone user has the same units, other states). Returns
     * false (storing nothing) when a product that was not short now is over its seats, which the
     * cutoffs did not account for.
     */
    private static boolean store(Reconciler r, WorkerOutput[] out, int[] phase1Total, Rounds x, boolean refusalsKept) {
        int products = r.capacity.length;
        long[] redone = x.redone;
        // totals: phase 1's, less what re-resolved users held in phase 1, plus what they hold now
        int[] total = phase1Total.clone();
        int[][] minus = new int[out.length][products];
        IntStream.range(0, out.length).parallel().forEach(w -> {
            WorkerOutput o = out[w];
            int[] seen = new int[products];
            int mark = 0;
            for (int i = 0; i < o.users(); i++) {
                if (x.again(o.user(i))) {
                    mark = countHeld(o.entries, o.offset(i), o.count(i), minus[w], seen, mark + 1);
                }
            }
        });
        IntArrayList users = x.redoneUsers;
        int chunks = Math.max(1, Math.min(r.threads * 4, users.size() / 4096 + 1));
        int span = (users.size() + chunks - 1) / chunks;
        int[][] plus = new int[chunks][products];
        IntStream.range(0, chunks).parallel().forEach(c -> {
            int[] seen = new int[products];
            int mark = 0;
            for (int i = c * span, end = Math.min(users.size(), i + span); i < end; i++) {
                int u = users.get(i);
                mark = countHeld(x.outputOf(u), offsetOf(redone[u]), countOf(redone[u]), plus[c], seen, mark + 1);
            }
        });
        for (int t = 0; t < products; t++) {
            for (int[] m : minus) {
                total[t] -= m[t];
            }
            for (int[] p : plus) {
                total[t] += p[t];
            }
            if (total[t] > r.capacity[t]) {
                return false;
            }
        }
        // phase 1's outputs adopted whole, their users indexed one output per core; then the users redone
        r.store(out, total);
        StateStore store = r.store();
        for (int i = 0; i < users.size(); i++) {
            int u = users.get(i);
            store.write(u, x.outputOf(u), offsetOf(redone[u]), countOf(redone[u]));
        }
        if (r.tenant.settings().autoReprocess()) {
            // refused demands wait for seats in R11 order (R18); phase 1 under cutoffs refused some too
            for (int i = 0; i < users.size(); i++) {
                int u = users.get(i);
                r.main.indexWaiting(u, x.outputOf(u), offsetOf(redone[u]), countOf(redone[u]));
            }
            if (refusalsKept) {
                for (WorkerOutput o : out) {
                    for (int i = 0; i < o.users(); i++) {
                        if (!x.again(o.user(i))) {
                            r.main.indexWaiting(o.user(i), o.entries, o.offset(i), o.count(i));
                        }
                    }
                }
            }
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
     * The value of rank {@code k} (0-based) among {@code a[0, length)}, which it reorders: the
     * first demand past {@code k} seats.
     */
    static long select(long[] a, int length, int k) {
        int lo = 0;
        int hi = length - 1;
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
                    long v = a[i];
                    a[i] = a[j];
                    a[j] = v;
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
