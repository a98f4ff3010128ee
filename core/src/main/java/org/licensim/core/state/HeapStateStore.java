package org.licensim.core.state;

import java.util.Arrays;

/**
 * The on-heap {@link StateStore}: every user's entries live in one int slab; a user owns a slot
 * (exactly as large as its first write, doubling when it outgrows it) and is rewritten in place
 * while the entries fit, so steady-state updates allocate nothing. A user that outgrows its
 * slot moves to the end; the slab is compacted when more than half of it is abandoned slots.
 */
public final class HeapStateStore implements StateStore {
    private int[] slab = new int[1 << 12];
    private int top;
    private long garbage;
    private int[] start = new int[1024];
    private int[] capacity = new int[1024];
    private int[] count = new int[1024];
    private int users;

    @Override
    public int count(int u) {
        return u < users ? count[u] : 0;
    }

    @Override
    public int read(int u, int[] dst) {
        int n = count(u);
        if (n > 0) {
            System.arraycopy(slab, start[u], dst, 0, n * ENTRY_INTS);
        }
        return n;
    }

    @Override
    public void write(int u, int[] src, int offset, int n) {
        if (u >= users) {
            grow(u + 1);
        }
        if (n > capacity[u]) {
            garbage += (long) capacity[u] * ENTRY_INTS;
            int cap = capacity[u] == 0 ? n : Math.max(n, capacity[u] * 2);
            ensureSlab(cap * ENTRY_INTS);
            start[u] = top;
            capacity[u] = cap;
            top += cap * ENTRY_INTS;
        }
        System.arraycopy(src, offset, slab, start[u], n * ENTRY_INTS);
        count[u] = n;
    }

    @Override
    public void reserve(int userCount, long entries) {
        if (userCount > start.length) {
            start = Arrays.copyOf(start, userCount);
            capacity = Arrays.copyOf(capacity, userCount);
            count = Arrays.copyOf(count, userCount);
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

    @Override
    public int users() {
        return users;
    }

    /** Bytes held on the heap by the slab and the per-user index (for memory reports). */
    public long bytes() {
        return 4L * slab.length + 12L * start.length;
    }

    @Override
    public void close() {
        // nothing to release: the heap is reclaimed by the garbage collector
    }

    private void grow(int n) {
        if (n > start.length) {
            int cap = Math.max(n, start.length * 3 / 2 + 16);
            start = Arrays.copyOf(start, cap);
            capacity = Arrays.copyOf(capacity, cap);
            count = Arrays.copyOf(count, cap);
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
            int len = capacity[u] * ENTRY_INTS;
            if (len > 0) {
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
