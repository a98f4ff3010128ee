package org.licensim.core.engine.resolve;

import java.util.Arrays;

import org.licensim.core.directory.PlanMasks;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;

/**
 * One user's licence entries on a reusable scratch array, in the {@link StateStore} layout,
 * read and written through typed accessors instead of {@code a[i * ENTRY_INTS + FIELD]}. The
 * array grows when a user has more entries than any before and is never allocated per user.
 */
public final class Entries {
    private static final int E = StateStore.ENTRY_INTS;

    private int[] a;
    private int n;

    Entries(int capacity) {
        a = new int[capacity * E];
    }

    /** How many entries the user has. */
    public int size() {
        return n;
    }

    /** The backing array, entries from index 0 (for stores and workers that copy them whole). */
    public int[] array() {
        return a;
    }

    public int src(int i) {
        return a[i * E + StateStore.SRC];
    }

    public int product(int i) {
        return a[i * E + StateStore.PRODUCT];
    }

    public int mask(int i) {
        return a[i * E + StateStore.MASK];
    }

    /** The packed {@link States state and error}. */
    public int state(int i) {
        return a[i * E + StateStore.STATE];
    }

    public long key(int i) {
        return StateStore.key(a, i * E);
    }

    /** Whether entry {@code i} holds its product (Active or ActiveWithError). */
    public boolean holds(int i) {
        return States.holds(state(i));
    }

    /** Whether entry {@code i} is in Error (its demand failed). */
    public boolean failed(int i) {
        return States.state(state(i)) == States.ERROR;
    }

    /** Whether any entry holds product {@code t}. */
    public boolean held(int t) {
        for (int i = 0; i < n; i++) {
            if (product(i) == t && holds(i)) {
                return true;
            }
        }
        return false;
    }

    /** Whether entry {@code i} is the first entry holding product {@code t} (to count or release each seat once). */
    public boolean firstHolder(int i, int t) {
        for (int j = 0; j < i; j++) {
            if (product(j) == t && holds(j)) {
                return false;
            }
        }
        return true;
    }

    /** The position of entry (src, t), or -1. */
    public int find(int src, int t) {
        for (int i = 0; i < n; i++) {
            if (src(i) == src && product(i) == t) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the user has an entry from source {@code src}. */
    public boolean hasSource(int src) {
        for (int i = 0; i < n; i++) {
            if (src(i) == src) {
                return true;
            }
        }
        return false;
    }

    /** The packed state of entry (src, t), or 0 when there is none. */
    public int stateOf(int src, int t) {
        int i = find(src, t);
        return i < 0 ? 0 : state(i);
    }

    /** Word {@code w} of the union of the enabled plans of product {@code t} over the holding entries (R4). */
    public long planWord(PlanMasks masks, int t, int w) {
        long word = 0;
        for (int i = 0; i < n; i++) {
            if (product(i) == t && holds(i)) {
                word |= masks.word(mask(i), w);
            }
        }
        return word;
    }

    /**
     * Whether entry {@code i} of {@code other} is here too, for the same source and product, with
     * that key and {@code state}.
     */
    boolean hasSame(Entries other, int i, int state) {
        int j = find(other.src(i), other.product(i));
        return j >= 0 && state(j) == state && key(j) == other.key(i);
    }

    void setState(int i, int state, int time) {
        a[i * E + StateStore.STATE] = state;
        a[i * E + StateStore.TIME] = time;
    }

    /** Sets entry (src, t), adding it in canonical order when new; the time changes only with the content. */
    void put(int src, int t, int mask, int state, long key, int now) {
        int i = find(src, t);
        if (i >= 0) {
            int at = i * E;
            if (a[at + StateStore.MASK] != mask || a[at + StateStore.STATE] != state) {
                a[at + StateStore.MASK] = mask;
                a[at + StateStore.STATE] = state;
                a[at + StateStore.TIME] = now;
            }
            return;
        }
        ensure(n + 1);
        int pos = n;
        while (pos > 0 && StateStore.before(src, t, src(pos - 1), product(pos - 1))) {
            pos--;
        }
        System.arraycopy(a, pos * E, a, (pos + 1) * E, (n - pos) * E);
        StateStore.put(a, pos * E, src, t, mask, state, key, now);
        n++;
    }

    void remove(int i) {
        System.arraycopy(a, (i + 1) * E, a, i * E, (n - i - 1) * E);
        n--;
    }

    void clear() {
        n = 0;
    }

    /** Room for {@code entries} entries. */
    void ensure(int entries) {
        if (entries * E > a.length) {
            a = Arrays.copyOf(a, Math.max(entries * E, a.length * 2));
        }
    }

    /** Reads user {@code u}'s entries from {@code store}; returns how many. */
    int readFrom(StateStore store, int u) {
        ensure(store.count(u));
        n = store.read(u, a);
        return n;
    }

    void copyFrom(Entries other) {
        ensure(other.n);
        System.arraycopy(other.a, 0, a, 0, other.n * E);
        n = other.n;
    }

    /** Whether these are exactly {@code other}'s entries, field for field, in the same order. */
    boolean sameAs(Entries other) {
        if (n != other.n) {
            return false;
        }
        return java.util.Arrays.equals(a, 0, n * E, other.a, 0, n * E);
    }

    void writeTo(StateStore store, int u) {
        store.write(u, a, n);
    }
}
