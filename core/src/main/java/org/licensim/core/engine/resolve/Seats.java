package org.licensim.core.engine.resolve;

/**
 * Where one user's resolution takes seats from: the tenant's {@link SeatLedger} for events, or
 * in a reconcile a counting policy of the reconcile's own (seats are only ever taken there,
 * so a policy can decide them per product without a shared counter).
 */
public interface Seats {
    boolean hasFreeSeat(int t);

    /** The seat check of a demand with R11 key {@code key}; policies that do not order by key ignore it. */
    default boolean hasFreeSeat(int t, long key) {
        return hasFreeSeat(t);
    }

    void take(int t);

    void release(int t);
}
