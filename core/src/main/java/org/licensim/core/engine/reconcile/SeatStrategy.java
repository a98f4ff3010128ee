package org.licensim.core.engine.reconcile;

/**
 * One way of settling a reconcile's seats. A strategy either stores the whole result (every
 * user's entries and the consumed counts) and says which path it took, or returns null having
 * stored nothing, and the next strategy of the {@link ShortSeats} chain runs from the start.
 * All strategies that settle give the R11 pass's result; they differ only in speed.
 */
interface SeatStrategy {
    ReconcilePath settle(Reconciler r);
}
