package org.licensim.core.engine;

/**
 * Where the per-user resolution takes seats from: the tenant's {@link SeatLedger}, or, in the
 * parallel first phase of a reconcile, an unlimited counter whose totals are checked afterwards.
 */
interface Seats {
    boolean hasFreeSeat(int t);

    void take(int t);

    void release(int t);

    void enqueueFailed(int t, long key, int user, int src);

    /** Grants every seat and counts them per product; the reconcile checks the totals afterwards. */
    final class Counting implements Seats {
        final int[] taken;

        Counting(int products) {
            taken = new int[products];
        }

        @Override
        public boolean hasFreeSeat(int t) {
            return true;
        }

        @Override
        public void take(int t) {
            taken[t]++;
        }

        @Override
        public void release(int t) {
            taken[t]--;
        }

        @Override
        public void enqueueFailed(int t, long key, int user, int src) {
            // nothing waits in a reconcile's first phase
        }
    }

    /**
     * Phase 2 of a reconcile: real seat checks for the products that ran short in phase 1,
     * counted but unlimited for the others (which are verified afterwards).
     */
    final class Contended implements Seats {
        final boolean[] limited;
        final int[] taken;
        private final int[] capacity;

        Contended(boolean[] limited, int[] capacity) {
            this.limited = limited;
            this.capacity = capacity;
            this.taken = new int[capacity.length];
        }

        @Override
        public boolean hasFreeSeat(int t) {
            return !limited[t] || taken[t] < capacity[t];
        }

        @Override
        public void take(int t) {
            taken[t]++;
        }

        @Override
        public void release(int t) {
            taken[t]--;
        }

        @Override
        public void enqueueFailed(int t, long key, int user, int src) {
            // the waiting index is kept by Engine.end() on the tenant's ledger
        }
    }
}
