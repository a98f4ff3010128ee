package org.licensim.core.engine.reconcile;

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
    private final long[] lastCheck;
    private final int[] limitedList;

    CutoffSeats(boolean[] limited, long[] cutoff) {
        this.limited = limited;
        this.cutoff = cutoff;
        int n = limited.length;
        int k = 0;
        for (boolean l : limited) {
            k += l ? 1 : 0;
        }
        limitedList = new int[k];
        for (int t = 0, i = 0; t < n; t++) {
            if (limited[t]) {
                limitedList[i++] = t;
            }
        }
        taken = new int[n];
        check = new long[n];
        take = new long[n];
        denied = new long[n];
        lastCheck = new long[n];
        startUser();
    }

    /** Forgets the previous user's checks (only limited products record any). */
    void startUser() {
        for (int t : limitedList) {
            check[t] = NONE;
            take[t] = NONE;
            denied[t] = NONE;
            lastCheck[t] = NONE;
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
        check[t] = key;
        lastCheck[t] = key;
        boolean ok = key < cutoff[t];
        if (!ok && denied[t] == NONE) {
            denied[t] = key;
        }
        return ok;
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
