package org.licensim.core.engine.reconcile;

/** Phase 1 with every seat granted is the answer when no product got more grants than it has seats. */
final class NoneShort implements SeatStrategy {
    static final NoneShort INSTANCE = new NoneShort();

    private NoneShort() {
    }

    @Override
    public ReconcilePath settle(Reconciler r) {
        Phase1 p = r.unlimited();
        if (p.anyShort) {
            return null;
        }
        r.store(p.out, p.total);
        return ReconcilePath.PARALLEL;
    }
}
