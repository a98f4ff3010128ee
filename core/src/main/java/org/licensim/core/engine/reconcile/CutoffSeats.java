package org.licensim.core.engine.reconcile;

import java.util.Arrays;

import org.licensim.core.engine.resolve.Seats;

/**
 * A reconcile's seats decided by cutoffs: a demand for a {@code limited} product gets a seat
 * iff its R11 key is below the product's cutoff (in a reconcile seats are only ever taken, so
 * the seats of a product go to the demands before some key, whoever they are). Other products
 * are unlimited and counted. Records, for the user being resolved, each limited product's
 * last seat check (checks come in key order, so every check of the user is at or before it),
 * the demand that took it and the first demand the cutoff refused.
 */
final class CutoffSeats implements Seats {
    static final long NONE = Long.MAX_VALUE;
    final boolean[] limited;
    final long[] cutoff;
    final int[] taken;
    final long[] check;
    final long[] take;
    final long[] denied;
    /** The current user's first check of each limited product (checks come in key order: its smallest). */
    final long[] first;
    private final long[] lastCheck;
    /** The limited products the current user checked, the only ones {@link #startUser} resets. */
    private final int[] touched;
    private int touchedCount;

    CutoffSeats(boolean[] limited, long[] cutoff) {
        this.limited = limited;
        this.cutoff = cutoff;
        int n = limited.length;
        taken = new int[n];
        check = new long[n];
        take = new long[n];
        denied = new long[n];
        lastCheck = new long[n];
        first = new long[n];
        Arrays.fill(first, NONE);
        Arrays.fill(check, NONE);
        Arrays.fill(take, NONE);
        Arrays.fill(denied, NONE);
        Arrays.fill(lastCheck, NONE);
        touched = new int[n];
    }

    /** Forgets the previous user's checks (only limited products record any, and only those it checked are reset). */
    void startUser() {
        for (int i = 0; i < touchedCount; i++) {
            int t = touched[i];
            check[t] = NONE;
            take[t] = NONE;
            denied[t] = NONE;
            lastCheck[t] = NONE;
            first[t] = NONE;
        }
        touchedCount = 0;
    }

    /** The limited products the current user checked (the first {@link #touchedCount()}; read only). */
    int[] touched() {
        return touched;
    }

    int touchedCount() {
        return touchedCount;
    }

    /** Notes a check of limited product {@code t} with key {@code key} (every other record of it follows a check). */
    private void checking(int t, long key) {
        if (lastCheck[t] == NONE) {
            touched[touchedCount++] = t;
            first[t] = key;
        }
    }

    @Override
    public boolean hasFreeSeat(int t) {
        throw new IllegalStateException("a cutoff seat check needs the demand's key");
    }

    @Override
    public boolean hasFreeSeat(int t, long key) {
        if (!limited[t]) {
            return true;
        }
        checking(t, key);
        check[t] = key;
        lastCheck[t] = key;
        boolean ok = key < cutoff[t];
        if (!ok && denied[t] == NONE) {
            denied[t] = key;
        }
        return ok;
    }

    /**
     * What {@link #hasFreeSeat(int, long)} and {@link #take} together record for a seat check of
     * a limited product whose unit then is granted ({@code ok}) or refused by the cutoff alone:
     * phase 1's fast path decides such units itself and records them here, so that the user's
     * record is the one the general resolver would leave. Counts nothing in {@link #taken}.
     */
    void record(int t, long key, boolean ok) {
        checking(t, key);
        check[t] = key;
        lastCheck[t] = key;
        if (ok) {
            if (take[t] == NONE) {
                take[t] = key;
            }
        } else if (denied[t] == NONE) {
            denied[t] = key;
        }
    }

    @Override
    public void take(int t) {
        taken[t]++;
        if (limited[t] && take[t] == NONE) {
            take[t] = lastCheck[t];
        }
    }

    @Override
    public void release(int t) {
        taken[t]--;
        if (limited[t]) {
            take[t] = NONE;
        }
    }
}
