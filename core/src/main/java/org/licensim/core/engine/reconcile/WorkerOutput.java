package org.licensim.core.engine.reconcile;

import java.util.function.IntPredicate;

import org.licensim.core.state.StateStore;

/**
 * What one phase-1 worker resolved: every user's entries back to back in {@link #entries}, and
 * per user (in user order) where its entries start and how many there are. Users without
 * entries are not listed.
 */
final class WorkerOutput {
    private static final int E = StateStore.ENTRY_INTS;

    final int[] entries;
    /** (user, offset, count) triples, {@link #users} of them. */
    private final int[] index;
    private final int users;

    /** For an output placed in the store's index as it was made: the highest user placed (-1: none). */
    private final int highest;
    /** For a placed output: how many of its users were placed by reference ({@link org.licensim.core.state.BulkIndex#placeByReference}). */
    private final long references;

    WorkerOutput(int[] entries, int[] index, int users) {
        this(entries, index, users, -1, 0);
    }

    private WorkerOutput(int[] entries, int[] index, int users, int highest, long references) {
        this.entries = entries;
        this.index = index;
        this.users = users;
        this.highest = highest;
        this.references = references;
    }

    /**
     * An output whose {@code users} users were placed in a {@link org.licensim.core.state.BulkIndex}
     * as they were resolved (no triples: only {@link #entries}, {@link #users()} and
     * {@link #highest()} are there), the highest of them {@code highest}, {@code references} of
     * them by reference.
     */
    static WorkerOutput placed(int[] entries, int users, int highest, long references) {
        return new WorkerOutput(entries, null, users, highest, references);
    }

    /** How many users of a {@link #placed} output were placed by reference. */
    long references() {
        return references;
    }

    /** Whether the users are in the store's index already ({@link #placed}), not listed here. */
    boolean isPlaced() {
        return index == null;
    }

    /** The highest user of a {@link #placed} output (-1: none). */
    int highest() {
        return highest;
    }

    /** The (user, offset, count) triples, {@link #users} of them (the array itself: do not modify). */
    int[] index() {
        return index;
    }

    /** How many users are listed. */
    int users() {
        return users;
    }

    /** The {@code i}-th listed user. */
    int user(int i) {
        return index[3 * i];
    }

    /** Where the {@code i}-th user's entries start in {@link #entries} (an int offset). */
    int offset(int i) {
        return index[3 * i + 1];
    }

    int count(int i) {
        return index[3 * i + 2];
    }

    /** The position in {@link #entries} of entry {@code k} of the {@code i}-th user. */
    int at(int i, int k) {
        return offset(i) + k * E;
    }

    long entryCount() {
        long n = 0;
        for (int i = 0; i < users; i++) {
            n += count(i);
        }
        return n;
    }

    /** The same entries with the users {@code drop} accepts left out (the entries are shared, not copied). */
    WorkerOutput without(IntPredicate drop) {
        int[] kept = new int[users * 3];
        int k = 0;
        for (int i = 0; i < users; i++) {
            if (!drop.test(user(i))) {
                kept[3 * k] = user(i);
                kept[3 * k + 1] = offset(i);
                kept[3 * k + 2] = count(i);
                k++;
            }
        }
        return new WorkerOutput(entries, kept, k, -1, 0);
    }

    /** Hands every listed user to the store (the heap store adopts the entries array). */
    void storeInto(StateStore store) {
        store.bulkLoad(entries, index, users);
    }
}
