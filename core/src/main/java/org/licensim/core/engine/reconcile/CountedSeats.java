package org.licensim.core.engine.reconcile;

import org.licensim.core.engine.resolve.Seats;

/**
 * A reconcile's seats counted per product, with real checks only for the {@code limited}
 * products (none in phase 1; the ones that ran short in a replay). The others are verified
 * against their capacity afterwards.
 */
final class CountedSeats implements Seats {
    final boolean[] limited;
    final int[] taken;
    private final int[] capacity;

    CountedSeats(boolean[] limited, int[] capacity) {
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
}
