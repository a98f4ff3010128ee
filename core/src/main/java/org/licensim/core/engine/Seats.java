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

    /**
     * A reconcile's seats: counted per product, with real checks only for the {@code limited}
     * products (none in phase 1; the ones that ran short in phase 2). The others are verified
     * against their capacity afterwards.
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
