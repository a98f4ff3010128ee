package org.licensim.core.state;

import java.util.Arrays;

/**
 * A reconcile's per-user index filled where it is produced: each worker writes where its users'
 * entries start in its own output array and how many there are straight into the heap store's
 * per-user arrays, instead of (user, offset, count) triples that {@link StateStore#bulkLoadAll}
 * copies into them afterwards (one pass over every listed user less, and no triples written).
 *
 * <p>Taken from {@link StateStore#bulkIndex} on an empty store before the workers start. Worker
 * {@code w} places only its own users ({@link #place} with {@link #id id(w)}), disjoint from
 * every other worker's and below the count the index was taken for; nothing else writes the
 * store meanwhile. Then either {@link #adopt} hands over the workers' output arrays (the users
 * become readable), or {@link #abandon} leaves the store empty as it was.
 *
 * <p>A user whose entries follow from its groups alone (each licensing one product, no direct
 * licence, nothing refused but seats) may be placed by reference instead
 * ({@link #placeByReference}): one int per entry in the output, and the store makes the entries
 * when the user is read, until a write replaces them.
 */
public final class BulkIndex {
    private final HeapStateStore store;
    private final int[] start;
    private final int[] count;
    private final byte[] seg;
    /** Segment number of worker 0's output (worker w's is {@code first + w + 1} in {@link #seg}). */
    private final int first;
    private final int workers;
    private final int users;
    private boolean done;

    BulkIndex(HeapStateStore store, int[] start, int[] count, byte[] seg, int first, int workers, int users) {
        this.store = store;
        this.start = start;
        this.count = count;
        this.seg = seg;
        this.first = first;
        this.workers = workers;
        this.users = users;
    }

    /** The segment id worker {@code w} places its users with. */
    public byte id(int w) {
        if (w < 0 || w >= workers) {
            throw new IllegalArgumentException("worker " + w + " of a bulk index for " + workers);
        }
        return (byte) (first + w + 1);
    }

    /**
     * User {@code u}'s {@code n} entries start at int {@code offset} of the output of the worker
     * whose id is {@code id}: its slot is exactly those entries (the store keeps no size for it:
     * a user in an adopted output has room for the entries it holds).
     */
    public void place(int u, int offset, int n, byte id) {
        start[u] = offset;
        count[u] = n;
        seg[u] = id;
    }

    /**
     * User {@code u}'s {@code n} entries are stored by reference from int {@code offset} of the
     * output of the worker whose id is {@code id}: int i there is entry i's group shifted left by
     * one, its low bit set when the group's seat was refused (SPEC R10/R11, CountViolation). The
     * entry is then (group, the group's one product, its plan mask, Active or Error/CountViolation,
     * the snapshot key of (group, user), no time), with the products and masks given to
     * {@link #adopt(int[][], int, int[], int[], long)}.
     */
    public void placeByReference(int u, int offset, int n, byte id) {
        start[u] = offset;
        count[u] = n;
        seg[u] = (byte) -id;
    }

    /** The largest group index an entry placed by reference can name (its int holds the group shifted by one). */
    public static final int MAX_REFERENCE_GROUP = Integer.MAX_VALUE >>> 1;

    /** How many users the index was taken for (every placed user is below it). */
    public int users() {
        return users;
    }

    /**
     * Hands the workers' outputs to the store (worker w's in {@code data[w]}, which the store
     * adopts: the caller must not touch it again); {@code highest} is the highest user placed
     * (-1 for none).
     */
    public void adopt(int[][] data, int highest) {
        adopt(data, highest, null, null, 0);
    }

    /**
     * {@link #adopt(int[][], int)} of outputs where {@code references} users were placed by
     * reference: per group its one product and that licence's plan mask, as the entries placed by
     * reference name them (the store keeps a copy).
     */
    public void adopt(int[][] data, int highest, int[] groupProduct, int[] groupMask, long references) {
        finish();
        if (data.length != workers) {
            throw new IllegalArgumentException(data.length + " outputs for a bulk index of " + workers + " workers");
        }
        store.adopt(this, data, first, highest, groupProduct, groupMask, references);
    }

    /** Forgets every user placed: the store is empty again, as when the index was taken. */
    public void abandon() {
        finish();
        Arrays.fill(start, 0, users, 0);
        Arrays.fill(count, 0, users, 0);
        Arrays.fill(seg, 0, users, (byte) 0);
    }

    private void finish() {
        if (done) {
            throw new IllegalStateException("a bulk index is adopted or abandoned once");
        }
        done = true;
    }

    /** Whether these are still the store's own index arrays (nothing grew them meanwhile). */
    boolean over(int[] st, int[] cnt, byte[] sg) {
        return st == start && cnt == count && sg == seg;
    }
}
