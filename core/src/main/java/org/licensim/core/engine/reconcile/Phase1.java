package org.licensim.core.engine.reconcile;

/**
 * Phase 1 with every seat granted and counted: each worker's output, the seats taken per
 * product, and the products whose takes exceed their seats ({@code limited}). When none does,
 * no seat check could have failed in R11 order either (a reconcile only ever adds holders).
 */
final class Phase1 {
    final WorkerOutput[] out;
    final int[] total;
    final boolean[] limited;
    final boolean anyShort;

    private Phase1(WorkerOutput[] out, int[] total, boolean[] limited, boolean anyShort) {
        this.out = out;
        this.total = total;
        this.limited = limited;
        this.anyShort = anyShort;
    }

    static Phase1 unlimited(Reconciler r) {
        int products = r.products();
        CountedSeats[] counts = new CountedSeats[r.threads];
        WorkerOutput[] out = new WorkerOutput[r.threads];
        r.inParallel(w -> {
            counts[w] = new CountedSeats(new boolean[products], r.capacity);
            out[w] = new Phase1Worker(r, counts[w]).resolveUsers(r.from(w), r.to(w));
        });
        int[] total = new int[products];
        for (CountedSeats c : counts) {
            for (int t = 0; t < products; t++) {
                total[t] += c.taken[t];
            }
        }
        boolean[] limited = new boolean[products];
        boolean anyShort = false;
        for (int t = 0; t < products; t++) {
            limited[t] = total[t] > r.capacity[t];
            anyShort |= limited[t];
        }
        return new Phase1(out, total, limited, anyShort);
    }
}
