package org.licensim.core.state;

import java.util.Arrays;

/**
 * The on-heap {@link StateStore}: every user's entries live in one int slab; a user owns a slot
 * (exactly as large as its first write, doubling when it outgrows it) and is rewritten in place
 * while the entries fit, so steady-state updates allocate nothing. A user that outgrows its
 * slot moves to the end; the slab is compacted when more than half of it is abandoned slots.
 * A user in an adopted output ({@link #bulkLoad}, {@link BulkIndex}) has room there for the
 * entries it holds: rewritten in place with as many or fewer, moved to the slab with more. Slot
 * sizes are kept for slab users only, so a reconcile's index is three arrays, not four.
 *
 * <p>A reconcile may leave a user whose entries follow from its groups alone stored by
 * reference ({@link BulkIndex#placeByReference}): one int per entry, the group and whether its
 * seat was refused, from which {@link #read} makes the entries (the group's one product and plan
 * mask as the reconcile saw them, the snapshot key of (group, user), no time). Such a user has
 * no slot: its first {@link #write} gives it one in the slab, as for a user never written.
 */
public final class HeapStateStore implements StateStore {
    private int[] slab = new int[1 << 12];
    /**
     * Arrays adopted by {@link #bulkLoad}: segment k of user u is {@code segments[seg[u] - 1]}; 0 is
     * the slab; {@code -k} is segment k holding the user's entries by reference ({@link #materialise}).
     */
    private int[][] segments = new int[0][];
    private byte[] seg = new byte[1024];
    private int top;
    private long garbage;
    private int[] start = new int[1024];
    /**
     * Per user in the slab, its slot's size in entries (0 for every other user). It may be
     * shorter than the other index arrays (a user past its end has no slab slot): a reconcile's
     * bulk index does not allocate it ({@link #capacityOf}, {@link #setCapacity}).
     */
    private int[] capacity = new int[1024];
    private int[] count = new int[1024];
    private int users;
    /** Per group, its one product and plan mask as the reconcile that stored users by reference saw them (null: none did). */
    private int[] refProduct;
    private int[] refMask;
    /** Users stored by reference when their outputs were adopted (for tests and memory reports). */
    private long byReference;
    private static final int ACTIVE = States.pack(States.ACTIVE, States.NONE);
    private static final int REFUSED = States.pack(States.ERROR, States.COUNT_VIOLATION);

    @Override
    public int count(int u) {
        return u < users ? count[u] : 0;
    }

    @Override
    public int read(int u, int[] dst) {
        int n = count(u);
        if (n > 0) {
            byte s = seg[u];
            if (s >= 0) {
                System.arraycopy(s == 0 ? slab : segments[s - 1], start[u], dst, 0, n * ENTRY_INTS);
            } else {
                materialise(u, segments[-s - 1], start[u], n, dst);
            }
        }
        return n;
    }

    /**
     * The entries of user {@code u} stored by reference: {@code n} ints from {@code at} of
     * {@code refs}, each a group (shifted left by one) and whether its seat was refused (the low bit).
     */
    private void materialise(int u, int[] refs, int at, int n, int[] dst) {
        int[] product = refProduct;
        int[] mask = refMask;
        for (int i = 0; i < n; i++) {
            int r = refs[at + i];
            int g = r >>> 1;
            StateStore.put(dst, i * ENTRY_INTS, g, product[g], mask[g], (r & 1) != 0 ? REFUSED : ACTIVE,
                    StateStore.snapshotGroupKey(g, u), NO_TIME);
        }
    }

    @Override
    public void write(int u, int[] src, int offset, int n) {
        if (u >= users) {
            grow(u + 1);
        }
        if (seg[u] < 0) {
            // stored by reference: no slot of entries to write over, it gets one as a new user would
            seg[u] = 0;
            start[u] = 0;
            setCapacity(u, 0);
        }
        // in an adopted output: room for the entries it holds now (its slot there was exactly its entries)
        int room = seg[u] > 0 ? count[u] : capacityOf(u);
        if (n > room) {
            if (seg[u] == 0) {
                garbage += (long) room * ENTRY_INTS;
            }
            int cap = room == 0 ? n : Math.max(n, room * 2);
            ensureSlab(cap * ENTRY_INTS);
            start[u] = top;
            setCapacity(u, cap);
            seg[u] = 0;
            top += cap * ENTRY_INTS;
        }
        System.arraycopy(src, offset, seg[u] == 0 ? slab : segments[seg[u] - 1], start[u], n * ENTRY_INTS);
        count[u] = n;
    }

    @Override
    public void reserve(int userCount, long entries) {
        if (userCount > start.length) {
            start = Arrays.copyOf(start, userCount);
            capacity = Arrays.copyOf(capacity, userCount);
            count = Arrays.copyOf(count, userCount);
            seg = Arrays.copyOf(seg, userCount);
        }
        long need = top + entries * ENTRY_INTS;
        if (need > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("the on-heap state store holds at most " + (Integer.MAX_VALUE / ENTRY_INTS)
                    + " entries; use the persisted store for more");
        }
        if (need > slab.length) {
            slab = Arrays.copyOf(slab, (int) need);
        }
    }

    /**
     * Makes room for users [0, n) in the per-user index at once (before bulk loads of that many
     * users; a bulk load gives its users no slab slot, so the slot sizes are not grown).
     */
    @Override
    public void prepareBulkLoad(int n) {
        if (n > start.length) {
            start = Arrays.copyOf(start, n);
            count = Arrays.copyOf(count, n);
            seg = Arrays.copyOf(seg, n);
        }
    }

    /**
     * Loads many users at once by adopting {@code data} (no copy; the caller must not touch it
     * again): {@code index} holds {@code n} (user, offset, count) triples into it. Each user's
     * slot is exactly its entries; a user that later outgrows it moves to the slab. The users
     * must not have been written before.
     */
    @Override
    public void bulkLoad(int[] data, int[] index, int n) {
        if (segments.length == 127) {
            throw new IllegalStateException("at most 127 bulk loads into one store");
        }
        segments = Arrays.copyOf(segments, segments.length + 1);
        segments[segments.length - 1] = data;
        byte id = (byte) segments.length;
        for (int i = 0; i < n; i++) {
            int u = index[3 * i];
            if (u >= users) {
                grow(u + 1);
            }
            start[u] = index[3 * i + 1];
            count[u] = index[3 * i + 2];
            seg[u] = id;
        }
    }

    /**
     * Adopts every output (as {@link #bulkLoad} does) and fills their users' slots in the
     * per-user index on {@code runAll}'s threads, one output each: the index arrays are
     * already sized by {@link #prepareBulkLoad} and the outputs' users are disjoint, so no two
     * threads write the same slot and none resizes an array.
     */
    @Override
    public void bulkLoadAll(int[][] data, int[][] index, int[] n,
                            java.util.function.Consumer<java.util.function.IntConsumer> runAll) {
        if (segments.length + data.length > 127) {
            throw new IllegalStateException("at most 127 bulk loads into one store");
        }
        byte[] ids = new byte[data.length];
        int first = segments.length;
        segments = Arrays.copyOf(segments, first + data.length);
        for (int w = 0; w < data.length; w++) {
            segments[first + w] = data[w];
            ids[w] = (byte) (first + w + 1);
        }
        int[] highest = new int[data.length];
        int[] st = start;
        int[] cnt = count;
        byte[] sg = seg;
        runAll.accept(w -> {
            int[] ix = index[w];
            byte id = ids[w];
            int high = -1;
            for (int i = 0, m = n[w]; i < m; i++) {
                int u = ix[3 * i];
                if (u >= st.length) {
                    throw new IllegalStateException("bulk load of user " + u + " past the " + st.length
                            + " users prepared for");
                }
                st[u] = ix[3 * i + 1];
                cnt[u] = ix[3 * i + 2];
                sg[u] = id;
                high = Math.max(high, u);
            }
            highest[w] = high;
        });
        for (int high : highest) {
            if (high >= users) {
                users = high + 1;
            }
        }
    }

    /**
     * The per-user index for a reconcile's {@code workers} to fill directly ({@link BulkIndex}),
     * sized for users [0, {@code n}); null when the store is not empty (then the workers' outputs
     * come through {@link #bulkLoadAll}) or has no room for that many more outputs.
     */
    @Override
    public BulkIndex bulkIndex(int n, int workers) {
        if (users > 0 || top > 0 || segments.length + workers > 127) {
            return null;
        }
        prepareBulkLoad(n);
        return new BulkIndex(this, start, count, seg, segments.length, workers, n);
    }

    /**
     * {@link BulkIndex#adopt}: the outputs become segments {@code first + 1 ...}, the users placed
     * readable; users placed by reference ({@code references} of them) are read through the
     * groups' products and masks (copied here).
     */
    void adopt(BulkIndex index, int[][] data, int first, int highest, int[] groupProduct, int[] groupMask,
               long references) {
        if (segments.length != first || !index.over(start, count, seg)) {
            throw new IllegalStateException("the store was written while its bulk index was being filled");
        }
        if (references > 0) {
            if (groupProduct == null || groupMask == null) {
                throw new IllegalStateException("users placed by reference need the groups' products and masks");
            }
            refProduct = groupProduct.clone();
            refMask = groupMask.clone();
            byReference = references;
        }
        segments = Arrays.copyOf(segments, first + data.length);
        System.arraycopy(data, 0, segments, first, data.length);
        if (highest >= users) {
            users = highest + 1;
        }
    }

    @Override
    public int users() {
        return users;
    }

    /** Reads touch plain arrays and nothing of the store's own, so many threads may read at once. */
    @Override
    public boolean concurrentReads() {
        return true;
    }

    /** How many users a reconcile stored by reference ({@link BulkIndex#placeByReference}), written since or not. */
    public long storedByReference() {
        return byReference;
    }

    /** Bytes held on the heap by the slab and the per-user index (for memory reports). */
    public long bytes() {
        long b = 4L * slab.length + 9L * start.length + 4L * capacity.length;
        for (int[] sgm : segments) {
            b += 4L * sgm.length;
        }
        return b;
    }

    @Override
    public void close() {
        // nothing to release: the heap is reclaimed by the garbage collector
    }

    /** User {@code u}'s slab slot size in entries (0: none). */
    private int capacityOf(int u) {
        return u < capacity.length ? capacity[u] : 0;
    }

    /** Sets user {@code u}'s slab slot size, growing the sizes to the index's length first if they stop short of it. */
    private void setCapacity(int u, int entries) {
        if (u >= capacity.length) {
            if (entries == 0) {
                return;
            }
            capacity = Arrays.copyOf(capacity, Math.max(u + 1, start.length));
        }
        capacity[u] = entries;
    }

    private void grow(int n) {
        if (n > start.length) {
            int cap = Math.max(n, start.length * 3 / 2 + 16);
            start = Arrays.copyOf(start, cap);
            capacity = Arrays.copyOf(capacity, cap);
            count = Arrays.copyOf(count, cap);
            seg = Arrays.copyOf(seg, cap);
        }
        users = n;
    }

    private void ensureSlab(int need) {
        if (top + need <= slab.length) {
            return;
        }
        if (garbage * 2 > top) {
            compact();
            if (top + need <= slab.length) {
                return;
            }
        }
        slab = Arrays.copyOf(slab, Math.max(top + need, slab.length * 2));
    }

    private void compact() {
        int[] fresh = new int[slab.length];
        int at = 0;
        for (int u = 0; u < users; u++) {
            int len = capacityOf(u) * ENTRY_INTS;
            if (len > 0 && seg[u] == 0) {
                System.arraycopy(slab, start[u], fresh, at, count[u] * ENTRY_INTS);
                start[u] = at;
                at += len;
            }
        }
        slab = fresh;
        top = at;
        garbage = 0;
    }
}
