package org.licensim.core.engine.reconcile;

import static org.licensim.core.engine.reconcile.CutoffRounds.countOf;
import static org.licensim.core.engine.reconcile.CutoffRounds.offsetOf;
import static org.licensim.core.engine.reconcile.CutoffRounds.select;
import static org.licensim.core.engine.reconcile.CutoffRounds.where;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.licensim.core.directory.Assignments.License;
import org.licensim.core.directory.Assignments;
import org.licensim.core.directory.Directory;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * The state of {@link CutoffRounds}' iteration: per user, whether it took and whether it was refused a seat of each
 * limited product (two bits per product in one long, {@link #records}), with how many users
 * take and are refused, kept as users are resolved again (not counted over every user each
 * round). Each recording worker also lists, per product, the users it recorded with a refusal
 * of it, with the keys of their first and last checks and first refusal ({@link Refusals}): a
 * round whose cutoffs all rise looks only at those (a check at or past the old cutoff was
 * refused), where its record is still current, both to select the cutoffs among refusals and
 * to find who is resolved again. The keys of the takes are read from the users' entries (a
 * take is the user's first holding entry of the product) only in a round whose cutoff falls;
 * such a round resolves again every user with a source of a moved product between the old
 * and the new cutoff (its checks are at its sources). A user resolved again leaves its entries
 * in that round's worker output, not in an array of its own. Every pass over all users runs
 * on the reconciler's workers.
 */
final class Rounds {
    private static final long NONE = CutoffSeats.NONE;
    /** Most limited products the records hold (two bits each in a long per user). */
    static final int MAX_WIDTH = 32;
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
    /**
     * The records, a long per user: bit 2 * slot[t] set when the user took a seat of limited
     * product t, bit 2 * slot[t] + 1 when a seat check of t refused it (8 MB at 1M users,
     * one write per user recorded).
     */
    final long[] records;
    /** Phase 1's outputs, where the takes of users never resolved again are read when a cutoff falls. */
    WorkerOutput[] phase1;
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

    /** The state of rounds under {@code cutoff}, records empty; null when more than {@link #MAX_WIDTH} products are limited. */
    static Rounds of(Reconciler r, boolean[] limited, long[] cutoff, Keys keys) {
        int width = 0;
        for (boolean l : limited) {
            width += l ? 1 : 0;
        }
        return width > MAX_WIDTH ? null : new Rounds(r, limited, cutoff, keys);
    }

    private Rounds(Reconciler r, boolean[] limited, long[] cutoff, Keys keys) {
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
        records = new long[n];
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
        phase1 = p.out;
        int products = limited.length;
        // phase 1's takes: per user, the limited products its entries hold (each worker's
        // users are its own, so the workers' outputs are scanned in parallel)
        int[][] counted = new int[p.out.length][products];
        IntStream.range(0, p.out.length).parallel().forEach(w -> {
            WorkerOutput o = p.out[w];
            int[] data = o.entries;
            int[] mine = counted[w];
            for (int i = 0; i < o.users(); i++) {
                int u = o.user(i);
                long bits = 0;
                for (int k = 0; k < o.count(i); k++) {
                    int at = o.at(i, k);
                    int t = data[at + StateStore.PRODUCT];
                    if (limited[t] && States.holds(data[at + StateStore.STATE])) {
                        bits |= 1L << 2 * slot[t];
                    }
                }
                records[u] = bits;
                for (long b = bits; b != 0; b &= b - 1) {
                    mine[limitedList[Long.numberOfTrailingZeros(b) >>> 1]]++;
                }
            }
        });
        for (int[] c : counted) {
            for (int t = 0; t < products; t++) {
                takes[t] += c[t];
            }
        }
    }

    /** One worker's recording of the users it resolves: their checks into the records, the counts' change. */
    final class Recorder implements Phase1Worker.Checks {
        final int[] delta = new int[2 * limited.length];
        /** The output its users' entries are in ({@link #redone}'s id; 0: phase 1's): a user's record is this recorder's while they agree. */
        final int id;
        /** Per limited product, the users it recorded with a refusal of it, with their records of it. */
        final Refusals[] refusers = new Refusals[limited.length];
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
            // the record is only the products checked now: any other the user demands has
            // neither take nor refusal, and the whole long replaces the record from before
            int[] list = seats.touched();
            long now = 0;
            for (int j = 0, m = seats.touchedCount(); j < m; j++) {
                int t = list[j];
                int bit = 2 * slot[t];
                if (seats.take[t] != CutoffSeats.NONE) {
                    now |= 1L << bit;
                }
                if (seats.denied[t] != CutoffSeats.NONE) {
                    now |= 2L << bit;
                    refusers[t].add(u, keys.code(u, seats.first[t]), keys.code(u, seats.check[t]),
                            keys.code(u, seats.denied[t]));
                }
            }
            // a first record replaces nothing: the user's long is still 0, and not read
            long before = fresh ? 0 : records[u];
            for (long b = before ^ now; b != 0; b &= b - 1) {
                int bit = Long.numberOfTrailingZeros(b);
                int t = limitedList[bit >>> 1];
                delta[(bit & 1) * products + t] += (now & (1L << bit)) != 0 ? 1 : -1;
            }
            if (now != before) {
                records[u] = now;
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
            // some cutoff fell: every user with a source of a moved product between its old
            // and new cutoff (a user's seat checks of a product are at its sources of it)
            int[][] groupProducts = r.tables.products;
            org.licensim.core.directory.Users users = r.tenant.users();
            boolean[] moved = new boolean[products];
            for (int t : movedList) {
                moved[t] = true;
            }
            int chunks = Math.max(1, r.threads * 4);
            int span = (n + chunks - 1) / chunks;
            IntStream.range(0, chunks).parallel().forEach(c -> {
                for (int u = c * span, end = Math.min(n, u + span); u < end; u++) {
                    boolean again = false;
                    if (users.isDeleted(u)) {
                        redo[u] = false;
                        continue;
                    }
                    int[] gs = dir.groupArray(u);
                    for (int gi = 0, gn = dir.groupCount(u); gi < gn; gi++) {
                        int g = gs[gi];
                        if (groupLimited[g]) {
                            long key = StateStore.snapshotGroupKey(g, u);
                            for (int t : groupProducts[g]) {
                                again |= moved[t] && key >= from[t] && key < to[t];
                            }
                        }
                    }
                    for (License l : asg.directOf(u)) {
                        int t = l.product();
                        again |= moved[t] && l.order() >= from[t] && l.order() < to[t];
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
     * selected for that kind into its scratch: the refusals from the refusers' lists, the
     * takes from the entries of the users that took.
     */
    private void gather(boolean takesKind, boolean[] selected) {
        int[] sizes = takesKind ? takes : refused;
        long[][] into = new long[width][];
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
        // the takes: each taker's first holding entry of the product, read from its current
        // entries (phase 1's outputs for the users never resolved again, one part each; then
        // the users resolved again), where the records keep only that it took
        long bits = 0;
        for (int i = 0; i < width; i++) {
            bits |= into[i] != null ? 1L << 2 * i : 0;
        }
        long took = bits;
        int parts = phase1.length + 1;
        LongArrayList[][] found = new LongArrayList[parts][width];
        IntStream.range(0, parts).parallel().forEach(w -> {
            LongArrayList[] mine = found[w];
            for (int i = 0; i < width; i++) {
                mine[i] = new LongArrayList();
            }
            long[] min = new long[width];
            if (w < phase1.length) {
                WorkerOutput o = phase1[w];
                for (int i = 0; i < o.users(); i++) {
                    int u = o.user(i);
                    if ((records[u] & took) != 0 && !again(u)) {
                        takeKeys(o.entries, o.offset(i), o.count(i), took, min, mine);
                    }
                }
            } else {
                for (int i = 0; i < redoneUsers.size(); i++) {
                    int u = redoneUsers.get(i);
                    if ((records[u] & took) != 0) {
                        takeKeys(outputOf(u), offsetOf(redone[u]), countOf(redone[u]), took, min, mine);
                    }
                }
            }
        });
        for (int i = 0; i < width; i++) {
            if (into[i] == null) {
                continue;
            }
            int k = 0;
            for (LongArrayList[] part : found) {
                for (int j = 0; j < part[i].size(); j++) {
                    into[i][k++] = part[i].get(j);
                }
            }
            int t = limitedList[i];
            if (k != takes[t]) {
                throw new IllegalStateException("product " + t + ": " + k + " takes found, " + takes[t] + " counted");
            }
        }
    }

    /** Adds to {@code found} the key of one user's first holding entry of each product {@code took} selects. */
    private void takeKeys(int[] data, int off, int count, long took, long[] min, LongArrayList[] found) {
        Arrays.fill(min, NONE);
        for (int k = 0; k < count; k++) {
            int at = off + k * StateStore.ENTRY_INTS;
            int t = data[at + StateStore.PRODUCT];
            if (limited[t] && (took & 1L << 2 * slot[t]) != 0 && States.holds(data[at + StateStore.STATE])) {
                min[slot[t]] = Math.min(min[slot[t]], StateStore.key(data, at));
            }
        }
        for (int i = 0; i < min.length; i++) {
            if (min[i] != NONE) {
                found[i].add(min[i]);
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
