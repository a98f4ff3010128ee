package org.licensim.core.engine.reconcile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Directory;
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
        Rounds x = new Rounds(r, p.limited, new long[p.limited.length], keys, false);
        Arrays.fill(x.cutoff, NONE);
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
        Rounds x = new Rounds(r, limited, cutoff.clone(), keys, true);
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

    /**
     * The iteration's state: per limited product and user, the keys of the user's first and last
     * seat checks, of the demand that took a seat and of the first demand refused, each as a
     * {@link Keys code} (an int relative to the user; 0: none), with how many users take and are
     * refused, kept as users are resolved again (not counted over every user each round). Each
     * recording worker also lists, per product, the users it recorded with a refusal of it: a
     * round whose cutoffs all rise looks only at those (a check at or past the old cutoff was
     * refused), where its record is still current, both to select the cutoffs among refusals and
     * to find who is resolved again. A user resolved again leaves its entries in that round's
     * worker output, not in an array of its own. Every pass over all users runs on the
     * reconciler's workers.
     */
    private static final class Rounds {
        final Reconciler r;
        final Keys keys;
        final Directory dir;
        final Assignments asg;
        final int n;
        final boolean[] limited;
        final int[] limitedList;
        final boolean[] groupLimited;
        /** Limited products per user in the records, and each product's place among them (-1: not limited). */
        final int width;
        final int[] slot;
        /** The records, user by user: the code of user u's first check of product t at u * width + slot[t]. */
        int[] first;
        int[] check;
        final int[] take;
        final int[] denied;
        final int[] takes;
        final int[] refused;
        final long[] cutoff;
        /** Per product, room for its keys when a cutoff is selected (kept across rounds). */
        final long[][] scratch;
        /** Whether the cutoff of a product is selected among its takes (else among its refusals) this round. */
        final boolean[] amongTakes;
        /**
         * Where each user resolved again left its entries (0: nowhere, phase 1's stand): the output
         * ({@link #outputs}, from 1), the offset and the count, packed by {@link #where}; and those
         * users in the order first redone.
         */
        final long[] redone;
        /**
         * A bit per user, set once it is resolved again ({@code redone[u] != 0}): 128 KB at 1M users
         * where {@link #redone} is 8 MB, so that the rounds' passes over phase 1's refusers, in user
         * order but far apart, ask whether a record is still phase 1's without a cache miss each.
         */
        final long[] redoneBits;
        final List<int[]> outputs = new ArrayList<>();
        final IntArrayList redoneUsers = new IntArrayList();
        /** Scratch of {@link #nextRound}: whether user u is resolved again this round (all false between rounds). */
        final boolean[] redo;
        /** Every recorder so far: their refusers are, among others, every user whose record holds a refusal. */
        final List<Recorder> all = new ArrayList<>();

        /**
         * The state of rounds under {@code cutoff}, records empty: with empty records of the
         * first and last checks too when {@code checks} (else {@link #fromUnlimited} makes them).
         */
        Rounds(Reconciler r, boolean[] limited, long[] cutoff, Keys keys, boolean checks) {
            this.r = r;
            this.keys = keys;
            this.limited = limited;
            this.cutoff = cutoff;
            dir = r.tenant.directory();
            asg = r.tenant.assignments();
            n = r.users();
            int products = limited.length;
            limitedList = IntStream.range(0, products).filter(t -> limited[t]).toArray();
            int[][] groupProducts = r.tables.products;
            groupLimited = new boolean[groupProducts.length];
            for (int g = 0; g < groupLimited.length; g++) {
                for (int t : groupProducts[g]) {
                    groupLimited[g] |= limited[t];
                }
            }
            width = limitedList.length;
            slot = new int[products];
            Arrays.fill(slot, -1);
            for (int i = 0; i < width; i++) {
                slot[limitedList[i]] = i;
            }
            long cells = (long) n * width;
            if (cells > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("too many users and short products for the cutoff rounds' records");
            }
            // the records are zeroed as they are made: on every core, one array each
            int[][] records = new int[checks ? 4 : 2][];
            IntStream.range(0, records.length).parallel().forEach(i -> records[i] = new int[(int) cells]);
            take = records[0];
            denied = records[1];
            first = checks ? records[2] : null;
            check = checks ? records[3] : null;
            scratch = new long[products][];
            amongTakes = new boolean[products];
            takes = new int[products];
            refused = new int[products];
            redone = new long[n];
            redoneBits = new long[(n + 63) >>> 6];
            redo = new boolean[n];
        }

        /** The records of phase 1 with every seat granted (every check passed and took), from its outputs. */
        void fromUnlimited(Phase1 p) {
            int products = limited.length;
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
                            int cell = u * width + slot[t];
                            int was = take[cell];
                            if (was == Keys.NONE) {
                                take[cell] = keys.code(u, key);
                                mine[t]++;
                            } else if (key < keys.key(u, was)) {
                                take[cell] = keys.code(u, key);
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
            // in phase 1 every check passed: each user's first and last check is its take
            check = take.clone();
            first = take.clone();
        }

        /** One worker's recording of the users it resolves: their checks into the records, the counts' change. */
        final class Recorder implements Phase1Worker.Checks {
            final int[] delta = new int[2 * limited.length];
            /** The output its users' entries are in ({@link #redone}'s id; 0: phase 1's): a user's record is this recorder's while they agree. */
            final int id;
            /** Per limited product, the users it recorded with a refusal of it, with their records of it. */
            final Refusals[] refusers = new Refusals[limited.length];
            private final int[] mine = new int[limited.length];
            private final int[] stamp = new int[limited.length];
            private int mark;
            /** Whether each user is recorded for the first time (phase 1: every record is still empty). */
            private final boolean fresh;

            Recorder(boolean fresh, int id) {
                this.fresh = fresh;
                this.id = id;
                for (int t : limitedList) {
                    refusers[t] = new Refusals();
                }
            }

            @Override
            public void recorded(int u, CutoffSeats seats) {
                int products = limited.length;
                // a first record has only the products checked now; after that, any product the
                // user demands may have a record from before, to be replaced
                int[] list = fresh ? seats.touched() : mine;
                int m = fresh ? seats.touchedCount() : demanded(u, mine, stamp, ++mark);
                int row = u * width;
                for (int j = 0; j < m; j++) {
                    int t = list[j];
                    int cell = row + slot[t];
                    int firstAt = keys.code(u, seats.first[t]);
                    int lastAt = keys.code(u, seats.check[t]);
                    first[cell] = firstAt;
                    check[cell] = lastAt;
                    int took = keys.code(u, seats.take[t]);
                    int refusedAt = keys.code(u, seats.denied[t]);
                    // a first record replaces nothing: its cells are still empty, and not read
                    int tookBefore = fresh ? Keys.NONE : take[cell];
                    int refusedBefore = fresh ? Keys.NONE : denied[cell];
                    delta[t] += (took != Keys.NONE ? 1 : 0) - (tookBefore != Keys.NONE ? 1 : 0);
                    delta[products + t] += (refusedAt != Keys.NONE ? 1 : 0) - (refusedBefore != Keys.NONE ? 1 : 0);
                    take[cell] = took;
                    denied[cell] = refusedAt;
                    if (refusedAt != Keys.NONE) {
                        refusers[t].add(u, firstAt, lastAt, refusedAt);
                    }
                }
            }
        }

        /** Adds the recorders' changes to the counts of takes and refusals. */
        void add(Recorder[] recorders) {
            int products = limited.length;
            all.addAll(Arrays.asList(recorders));
            for (Recorder rec : recorders) {
                for (int t = 0; t < products; t++) {
                    takes[t] += rec.delta[t];
                    refused[t] += rec.delta[products + t];
                }
            }
        }

        /**
         * Moves each limited product's cutoff to where its takes and refusals now put it and
         * returns the users with a seat check between the old and the new cutoff (the only checks
         * whose outcome the move changes: a user's checks lie between its first and last), or
         * null when no cutoff moved: the fixed point.
         */
        int[] nextRound() {
            int products = limited.length;
            long[] next = cutoff.clone();
            int[] capacity = r.capacity;
            // the cutoff goes to the first take past the seats, or to admit as many refusals as seats are left
            boolean[] selected = new boolean[products];
            for (int t : limitedList) {
                amongTakes[t] = takes[t] > capacity[t];
                selected[t] = amongTakes[t] || (takes[t] < capacity[t] && refused[t] > capacity[t] - takes[t]);
                if (!selected[t] && takes[t] < capacity[t] && refused[t] > 0) {
                    next[t] = NONE;
                }
            }
            // one pass over each kind of record gathers every selected product's keys; then one selection per product
            IntStream.range(0, 2).parallel().forEach(kind -> gather(kind == 0, selected));
            IntStream.of(limitedList).parallel().filter(t -> selected[t]).forEach(t -> next[t] = amongTakes[t]
                    ? select(scratch[t], takes[t], capacity[t])
                    : select(scratch[t], refused[t], capacity[t] - takes[t]));
            int[] movedList = IntStream.of(limitedList).filter(t -> next[t] != cutoff[t]).toArray();
            if (movedList.length == 0) {
                return null;
            }
            long[] from = new long[products];
            long[] to = new long[products];
            boolean allUp = true;
            for (int t : movedList) {
                allUp &= next[t] > cutoff[t];
                from[t] = Math.min(next[t], cutoff[t]);
                to[t] = Math.max(next[t], cutoff[t]);
                cutoff[t] = next[t];
            }
            if (allUp) {
                // every moved cutoff went up, from the old one: a user redone has a check at or past
                // the old cutoff, which refused it, so it is among the users recorded with a refusal
                // of that product (each looked at where its record is current)
                List<int[]> tasks = new ArrayList<>();
                for (int t : movedList) {
                    for (int i = 0; i < all.size(); i++) {
                        if (!all.get(i).refusers[t].isEmpty()) {
                            tasks.add(new int[] {t, i});
                        }
                    }
                }
                tasks.parallelStream().forEach(task -> {
                    int t = task[0];
                    Recorder rec = all.get(task[1]);
                    Refusals us = rec.refusers[t];
                    for (int i = 0, m = us.size(); i < m; i++) {
                        int u = us.user(i);
                        int last = us.last(i);
                        if (current(rec, u) && last != Keys.NONE && keys.key(u, last) >= from[t]
                                && keys.key(u, us.first(i)) < to[t]) {
                            redo[u] = true;
                        }
                    }
                });
            } else {
                int chunks = Math.max(1, r.threads * 4);
                int span = (n + chunks - 1) / chunks;
                IntStream.range(0, chunks).parallel().forEach(c -> {
                    for (int u = c * span, end = Math.min(n, u + span); u < end; u++) {
                        boolean again = false;
                        int row = u * width;
                        for (int t : movedList) {
                            int k = check[row + slot[t]];
                            again |= k != Keys.NONE && keys.key(u, k) >= from[t]
                                    && keys.key(u, first[row + slot[t]]) < to[t];
                        }
                        redo[u] = again;
                    }
                });
            }
            int chunks = Math.max(1, r.threads * 4);
            int span = (n + chunks - 1) / chunks;
            int[] counts = new int[chunks];
            IntStream.range(0, chunks).parallel().forEach(c -> {
                int count = 0;
                for (int u = c * span, end = Math.min(n, u + span); u < end; u++) {
                    count += redo[u] ? 1 : 0;
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
                        redo[u] = false;
                    }
                }
            });
            return list;
        }

        /**
         * Gathers the keys of the takes ({@code takesKind}) or of the refusals of every product
         * selected for that kind into its scratch, in one pass over the records.
         */
        private void gather(boolean takesKind, boolean[] selected) {
            int[] codes = takesKind ? take : denied;
            int[] sizes = takesKind ? takes : refused;
            long[][] into = new long[width][];
            int[] at = new int[width];
            boolean any = false;
            for (int i = 0; i < width; i++) {
                int t = limitedList[i];
                if (selected[t] && amongTakes[t] == takesKind) {
                    long[] a = scratch[t];
                    if (a == null || a.length < sizes[t]) {
                        a = new long[Math.max(sizes[t], a == null ? 0 : a.length + (a.length >> 1))];
                        scratch[t] = a;
                    }
                    into[i] = a;
                    any = true;
                }
            }
            if (!any) {
                return;
            }
            if (!takesKind) {
                // the refusals are few: each product's from its refusers whose record is current
                IntStream.range(0, width).parallel().filter(i -> into[i] != null).forEach(i -> {
                    int t = limitedList[i];
                    long[] a = into[i];
                    int k = 0;
                    for (Recorder rec : all) {
                        Refusals us = rec.refusers[t];
                        for (int j = 0, m = us.size(); j < m; j++) {
                            int u = us.user(j);
                            if (current(rec, u)) {
                                a[k++] = keys.key(u, us.refused(j));
                            }
                        }
                    }
                    if (k != refused[t]) {
                        throw new IllegalStateException("product " + t + ": " + k + " refusals found, " + refused[t] + " counted");
                    }
                });
                return;
            }
            for (int u = 0, cell = 0; u < n; u++) {
                for (int i = 0; i < width; i++, cell++) {
                    int c = codes[cell];
                    if (c != Keys.NONE && into[i] != null) {
                        into[i][at[i]++] = keys.key(u, c);
                    }
                }
            }
        }

        /**
         * Resolves the users of {@code list} again under the cutoffs, in parallel, recording their
         * seat checks; each worker's users leave their entries in one output of the round.
         */
        void resolveAgain(int[] list) {
            int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), list.length / 2048 + 1));
            int chunk = (list.length + threads - 1) / threads;
            Recorder[] recorders = new Recorder[threads];
            IntArrayList[] firstRedone = new IntArrayList[threads];
            int[][] outs = new int[threads][];
            int base = outputs.size();
            if (base + threads >= 1 << 16) {
                throw new IllegalStateException("more cutoff-round outputs than a location holds");
            }
            IntStream.range(0, threads).parallel().forEach(w -> {
                firstRedone[w] = new IntArrayList();
                int id = base + w + 1;
                Recorder rec = new Recorder(false, id);
                recorders[w] = rec;
                CutoffSeats seats = new CutoffSeats(limited, cutoff);
                Phase1Worker worker = new Phase1Worker(r, seats, groupLimited, true);
                int from = w * chunk;
                int to = Math.min(list.length, (w + 1) * chunk);
                worker.startOutput(4L * Math.max(0, to - from));
                for (int i = from; i < to; i++) {
                    int u = list[i];
                    int at = worker.top();
                    int count = worker.resolveOne(u);
                    if (redone[u] == 0) {
                        firstRedone[w].add(u);
                    }
                    redone[u] = where(id, at, count);
                    rec.recorded(u, seats);
                }
                outs[w] = worker.output();
            });
            outputs.addAll(Arrays.asList(outs));
            add(recorders);
            // users redone for the first time, in the order of the rounds (the order of their writes to the
            // store); their bits set here, on one thread (two workers' users can share a word)
            for (IntArrayList f : firstRedone) {
                redoneUsers.addAll(f);
                for (int i = 0, m = f.size(); i < m; i++) {
                    int u = f.get(i);
                    redoneBits[u >>> 6] |= 1L << u;
                }
            }
        }

        /**
         * The limited products user {@code u} demands through its groups and direct licences, into
         * {@code list}; returns how many. {@code stamp} marks those listed with {@code mark}.
         */
        private int demanded(int u, int[] list, int[] stamp, int mark) {
            int k = 0;
            int[] gs = dir.groupArray(u);
            int[][] groupProducts = r.tables.products;
            for (int gi = 0, gn = dir.groupCount(u); gi < gn; gi++) {
                int g = gs[gi];
                if (groupLimited[g]) {
                    for (int t : groupProducts[g]) {
                        if (limited[t] && stamp[t] != mark) {
                            stamp[t] = mark;
                            list[k++] = t;
                        }
                    }
                }
            }
            for (License l : asg.directOf(u)) {
                int t = l.product();
                if (limited[t] && stamp[t] != mark) {
                    stamp[t] = mark;
                    list[k++] = t;
                }
            }
            return k;
        }

        /** Whether {@code rec} made user {@code u}'s record as it stands (the user was not resolved again after). */
        boolean current(Recorder rec, int u) {
            // phase 1's record (id 0) stands while the user was never resolved again
            return rec.id == 0 ? !again(u) : again(u) && rec.id == (int) (redone[u] >>> 48);
        }

        /** Whether user {@code u} was resolved again in some round ({@code redone[u] != 0}, read from its bit). */
        boolean again(int u) {
            return (redoneBits[u >>> 6] & (1L << u)) != 0;
        }

        /** The output user {@code u}'s entries were last left in. */
        int[] outputOf(int u) {
            return outputs.get((int) (redone[u] >>> 48) - 1);
        }
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
