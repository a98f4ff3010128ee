package org.licensim.core.engine.reconcile;

/** How a full reconcile settled (for tests, logs and benchmarks: all paths give the same state). */
public enum ReconcilePath {
    /** A snapshot that carried resolved state: prior states kept, seats recounted, only new demands resolved. */
    FROM_PRIOR_STATE("from prior state"),
    /** Phase 1 alone: no product was short, so no seat check could have failed. */
    PARALLEL("parallel"),
    /** {@link ShortSeats#DEMAND}: cutoffs guessed from the member bitmaps, phase 1 once under them. */
    DEMAND_CUTOFFS("parallel, seats by cutoffs from demand"),
    /**
     * {@link ShortSeats#DEMAND} where demands can be refused for reasons other than seats: phase 1
     * under the cutoffs from demand, then the users around the cutoffs that moved resolved again.
     */
    DEMAND_ROUNDS("parallel under cutoffs from demand, then seats by cutoff"),
    /**
     * {@link ShortSeats#DEMAND} where demands can be refused for reasons other than seats: the
     * cutoffs of the R11 pass walked over the member bitmaps, phase 1 once under them.
     */
    SEQUENTIAL_CUTOFFS("parallel, seats by cutoffs from an R11 pass over the members"),
    /** {@link ShortSeats#CUTOFF}: cutoffs from phase 1's takes, the users around them resolved again. */
    CUTOFF_ROUNDS("parallel, then seats by cutoff"),
    /** {@link ShortSeats#REPLAY}: the users holding a short product replayed in global R11 order. */
    CONTENDED_REPLAY("parallel, then contended users in R11 order"),
    /** {@link ShortSeats#IN_ORDER}: the whole tenant in R11 order, one unit at a time. */
    IN_ORDER("in R11 order");

    private final String description;

    ReconcilePath(String description) {
        this.description = description;
    }

    /** The path in words, as logs print it. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
