package org.licensim.core.engine.reconcile;

import java.util.List;

/**
 * How a reconcile settles seats when demand exceeds them: the chain of {@link SeatStrategy}s
 * tried in turn until one settles. Every chain ends in the plain R11 pass, which always does.
 * All give the same result (the differential test and {@code SeatStrategyTest} hold each
 * against the reference model and the in-order pass); they differ in speed.
 */
public enum ShortSeats {
    /**
     * Cutoffs guessed before phase 1 from every user's first demand per product, phase 1 run
     * once under them, the guess kept only at a fixed point (default). Where conflicts, usage
     * locations and proxy collisions can refuse demands the guess is wrong, and cutoff rounds
     * start from its phase 1 (both cores work where seats run short). Should those not settle:
     * phase 1 with every seat granted, cutoff rounds from there, the contended users replayed,
     * the R11 pass.
     */
    DEMAND,
    /** Phase 1, then cutoff keys per short product with the users around them resolved again; then replay, then R11. */
    CUTOFF,
    /** Phase 1, then the users holding a short product resolved again one unit at a time in global R11 order. */
    REPLAY,
    /** Phase 1, and when any product is short the whole tenant in R11 order, one unit at a time. */
    IN_ORDER;

    List<SeatStrategy> chain() {
        return switch (this) {
            case DEMAND -> List.of(DemandCutoffs.INSTANCE, NoneShort.INSTANCE, CutoffRounds.INSTANCE, ContendedReplay.INSTANCE,
                    InOrder.INSTANCE);
            case CUTOFF -> List.of(NoneShort.INSTANCE, CutoffRounds.INSTANCE, ContendedReplay.INSTANCE, InOrder.INSTANCE);
            case REPLAY -> List.of(NoneShort.INSTANCE, ContendedReplay.INSTANCE, InOrder.INSTANCE);
            case IN_ORDER -> List.of(NoneShort.INSTANCE, InOrder.INSTANCE);
        };
    }
}
