package org.licensim.core.engine.resolve;

import java.util.Arrays;

import org.licensim.core.directory.Subscriptions;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * Seats per tenant product: consumed units (one per user holding the product, SPEC R3),
 * assignable capacity (enabled + warning, SPEC R10), and, when the tenant auto-reprocesses,
 * the demands waiting for seats in first-come-first-served order (SPEC R11, R18).
 */
public final class SeatLedger implements Seats {
    private final Subscriptions subscriptions;
    private int[] consumed;
    private boolean[] freed;
    private final java.util.TreeMap<Long, Long>[] waiting;

    public SeatLedger(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
        int n = subscriptions.size();
        consumed = new int[n];
        freed = new boolean[n];
        @SuppressWarnings("unchecked")
        java.util.TreeMap<Long, Long>[] w = new java.util.TreeMap[n];
        for (int t = 0; t < n; t++) {
            w[t] = new java.util.TreeMap<>();
        }
        waiting = w;
    }

    /** Sets the consumed count after a reconcile counted it elsewhere. */
    public void setConsumed(int t, int n) {
        consumed[t] = n;
    }

    public int consumed(int t) {
        return consumed[t];
    }

    public int capacity(int t) {
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
    public void markFreed(int t) {
        freed[t] = true;
    }

    public boolean takeFreed(int t) {
        boolean f = freed[t];
        freed[t] = false;
        return f;
    }

    public void clearFreed() {
        Arrays.fill(freed, false);
    }

    /** Keeps the waiting demands equal to user {@code u}'s sources in Error/CountViolation, from {@code old} to {@code cur}. */
    void reindex(int u, Entries old, Entries cur) {
        int count = States.pack(States.ERROR, States.COUNT_VIOLATION);
        for (int i = 0; i < old.size(); i++) {
            if (old.state(i) == count && !cur.hasSame(old, i, count)) {
                dequeueFailed(old.product(i), old.key(i));
            }
        }
        for (int i = 0; i < cur.size(); i++) {
            if (cur.state(i) == count && !old.hasSame(cur, i, count)) {
                enqueueFailed(cur.product(i), cur.key(i), u, cur.src(i));
            }
        }
    }

    /** Adds a freshly stored user's Error/CountViolation entries ({@code count} of {@code es} from int {@code offset}) to the waiting demands. */
    void index(int u, int[] es, int offset, int count) {
        int waiting = States.pack(States.ERROR, States.COUNT_VIOLATION);
        for (int i = 0; i < count; i++) {
            int at = offset + i * StateStore.ENTRY_INTS;
            if (es[at + StateStore.STATE] == waiting) {
                enqueueFailed(es[at + StateStore.PRODUCT], StateStore.key(es, at), u, es[at + StateStore.SRC]);
            }
        }
    }

    /** Records a demand waiting for a seat of product {@code t} (auto-reprocess keeps this index). */
    public void enqueueFailed(int t, long key, int user, int src) {
        waiting[t].put(key, ((long) user << 32) | (src & 0xFFFFFFFFL));
    }

    public void clearWaiting() {
        for (java.util.TreeMap<Long, Long> w : waiting) {
            w.clear();
        }
    }

    public void dequeueFailed(int t, long key) {
        waiting[t].remove(key);
    }

    /**
     * The demands waiting for a seat of product {@code t}: exactly the sources in
     * Error/CountViolation for it, by R11 key (value: user in the high half, source in the low).
     * An index over the state, kept where a user's entries are written, so it never depends on
     * the path that led there.
     */
    public java.util.TreeMap<Long, Long> waiting(int t) {
        return waiting[t];
    }
}
