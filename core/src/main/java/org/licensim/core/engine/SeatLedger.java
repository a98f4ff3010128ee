package org.licensim.core.engine;

import java.util.Arrays;

import org.licensim.core.directory.Subscriptions;

/**
 * Seats per tenant product: consumed units (one per user holding the product, SPEC R3),
 * assignable capacity (enabled + warning, SPEC R10), and, when the tenant auto-reprocesses,
 * a first-come-first-served queue of demands that failed for lack of seats (SPEC R11, R18):
 * a min-heap on the demand's R11 key, with stale entries skipped when popped.
 */
final class SeatLedger implements Seats {
    private final Subscriptions subscriptions;
    private int[] consumed;
    private boolean[] freed;
    private Heap[] failed;

    SeatLedger(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
        int n = subscriptions.size();
        consumed = new int[n];
        freed = new boolean[n];
        failed = new Heap[n];
        for (int t = 0; t < n; t++) {
            failed[t] = new Heap();
        }
    }

    /** Sets the consumed count after a reconcile counted it elsewhere. */
    void setConsumed(int t, int n) {
        consumed[t] = n;
    }

    int consumed(int t) {
        return consumed[t];
    }

    int capacity(int t) {
        return subscriptions.units(t).capacity();
    }

    @Override
    public boolean hasFreeSeat(int t) {
        return consumed[t] < capacity(t);
    }

    @Override
    public void take(int t) {
        consumed[t]++;
    }

    @Override
    public void release(int t) {
        consumed[t]--;
        freed[t] = true;
    }

    /** Marks product {@code t} as having room for waiting demands (capacity raised). */
    void markFreed(int t) {
        freed[t] = true;
    }

    boolean takeFreed(int t) {
        boolean f = freed[t];
        freed[t] = false;
        return f;
    }

    void clearFreed() {
        Arrays.fill(freed, false);
    }

    @Override
    public void enqueueFailed(int t, long key, int user, int src) {
        failed[t].push(key, user, src);
    }

    Heap failed(int t) {
        return failed[t];
    }

    /** A min-heap of (key, user, source) triples in three parallel arrays. */
    static final class Heap {
        private long[] keys = new long[16];
        private int[] users = new int[16];
        private int[] srcs = new int[16];
        private int size;

        boolean isEmpty() {
            return size == 0;
        }

        int size() {
            return size;
        }

        long peekKey() {
            return keys[0];
        }

        int peekUser() {
            return users[0];
        }

        int peekSrc() {
            return srcs[0];
        }

        void push(long key, int user, int src) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                users = Arrays.copyOf(users, size * 2);
                srcs = Arrays.copyOf(srcs, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (keys[parent] <= key) {
                    break;
                }
                move(parent, i);
                i = parent;
            }
            keys[i] = key;
            users[i] = user;
            srcs[i] = src;
        }

        void pop() {
            size--;
            if (size == 0) {
                return;
            }
            long key = keys[size];
            int user = users[size];
            int src = srcs[size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && keys[child + 1] < keys[child]) {
                    child++;
                }
                if (keys[child] >= key) {
                    break;
                }
                move(child, i);
                i = child;
            }
            keys[i] = key;
            users[i] = user;
            srcs[i] = src;
        }

        private void move(int from, int to) {
            keys[to] = keys[from];
            users[to] = users[from];
            srcs[to] = srcs[from];
        }
    }
}
