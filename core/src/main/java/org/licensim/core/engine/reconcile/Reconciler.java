package org.licensim.core.engine.reconcile;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.resolve.RulePlans;
import org.licensim.core.engine.resolve.SeatLedger;
import org.licensim.core.engine.resolve.UserResolver;
import org.licensim.core.state.BulkIndex;
import org.licensim.core.state.StateStore;

/**
 * A full reconcile: every demand of a freshly loaded tenant resolved into an empty store, with
 * the result of the sequential SPEC R11 pass (direct assignments in snapshot order, then each
 * group in snapshot order with its members in user order).
 *
 * <p>It rests on one observation: seats are only ever taken in a reconcile, so a short
 * product's seats go exactly to the demands that reach its seat check before some R11 key (its
 * cutoff), and given the cutoffs, users are independent and can be resolved in parallel
 * (phase 1, {@link Phase1Worker}). The {@link ShortSeats} chain says how the cutoffs are found;
 * a snapshot that carries resolved state takes its own path ({@link PriorState}).
 */
public final class Reconciler {
    final Tenant tenant;
    final RulePlans rules;
    final SeatLedger ledger;
    /** The engine's own resolver: seats from the ledger, writes to the store. */
    final UserResolver main;
    GroupTables tables;
    /** Phase-1 workers and the users each takes ({@code chunk} consecutive users). */
    int threads;
    int chunk;
    /** Assignable seats per product (enabled + warning, R10). */
    int[] capacity;
    private Phase1 unlimited;
    /** The users with direct licences, ascending, and each one's licences ({@link #withDirect}, once per reconcile). */
    private int[] withDirect;
    private org.licensim.core.directory.Assignments.License[][] directs;

    public Reconciler(Tenant tenant, RulePlans rules, SeatLedger ledger, UserResolver main) {
        this.tenant = tenant;
        this.rules = rules;
        this.ledger = ledger;
        this.main = main;
    }

    /**
     * Resolves the tenant into the (empty) store with {@code strategy}'s chain, on
     * {@code threads} workers (0: one per core for large tenants); returns the path taken.
     */
    public ReconcilePath reconcile(ShortSeats strategy, int threads) {
        if (tenant.priorStates() != null) {
            PriorState.resolve(this);
            return ReconcilePath.FROM_PRIOR_STATE;
        }
        rules.precompute();
        tables = GroupTables.of(tenant, rules);
        int n = users();
        this.threads = threads > 0 ? Math.min(threads, Math.max(1, n))
                : Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), n / 4096 + 1));
        this.chunk = (n + this.threads - 1) / this.threads;
        capacity = new int[products()];
        for (int t = 0; t < capacity.length; t++) {
            capacity[t] = ledger.capacity(t);
        }
        unlimited = null;
        withDirect = null;
        directs = null;
        for (SeatStrategy s : strategy.chain()) {
            ReconcilePath path = s.settle(this);
            if (path != null) {
                unlimited = null;
                return path;
            }
        }
        throw new IllegalStateException("the R11 pass ends every chain and always settles");
    }

    /**
     * The users with direct licences, ascending (phase 0 and its checks walk them once per
     * product: the sorted list and each user's licences are looked up once per reconcile).
     */
    int[] withDirect() {
        if (withDirect == null) {
            int[] us = tenant.assignments().usersWithDirect();
            org.licensim.core.directory.Assignments.License[][] ls =
                    new org.licensim.core.directory.Assignments.License[us.length][];
            for (int i = 0; i < us.length; i++) {
                ls[i] = tenant.assignments().directOf(us[i]);
            }
            directs = ls;
            withDirect = us;
        }
        return withDirect;
    }

    /** The direct licences of {@link #withDirect()}{@code [i]}. */
    org.licensim.core.directory.Assignments.License[] directs(int i) {
        return directs[i];
    }

    int users() {
        return tenant.users().size();
    }

    int products() {
        return tenant.subscriptions().size();
    }

    StateStore store() {
        return main.store();
    }

    /** Runs {@code worker} for w in [0, threads) on the common pool, one per core. */
    void inParallel(IntConsumer worker) {
        IntStream.range(0, threads).parallel().forEach(worker);
    }

    /** First user of worker {@code w}'s share. */
    int from(int w) {
        return w * chunk;
    }

    /** One past the last user of worker {@code w}'s share. */
    int to(int w) {
        return Math.min(users(), from(w) + chunk);
    }

    /** Phase 1 with every seat granted and counted, computed once and shared by the strategies after it. */
    Phase1 unlimited() {
        if (unlimited == null) {
            unlimited = Phase1.unlimited(this);
        }
        return unlimited;
    }

    /** {@link #unlimited()} when some product got more grants than it has seats (the strategies that settle those), else null. */
    Phase1 unlimitedIfShort() {
        Phase1 p = unlimited();
        return p.anyShort ? p : null;
    }

    /**
     * Stores the workers' outputs whole (the heap store adopts their arrays and fills its
     * per-user index from them one worker each) and the consumed counts.
     */
    void store(WorkerOutput[] outs, int[] consumed) {
        if (outs.length > 0 && outs[0].isPlaced()) {
            throw new IllegalStateException("outputs placed in a bulk index are stored by storePlaced");
        }
        store().prepareBulkLoad(users());
        int[][] data = new int[outs.length][];
        int[][] index = new int[outs.length][];
        int[] n = new int[outs.length];
        for (int w = 0; w < outs.length; w++) {
            data[w] = outs[w].entries;
            index[w] = outs[w].index();
            n[w] = outs[w].users();
        }
        store().bulkLoadAll(data, index, n, worker -> IntStream.range(0, outs.length).parallel().forEach(worker));
        setConsumed(consumed);
    }

    /**
     * Stores outputs whose users the workers placed in {@code index} as they resolved them: the
     * store adopts their arrays (with the groups' products and masks, for the users placed by
     * reference); then the consumed counts.
     */
    void storePlaced(BulkIndex index, WorkerOutput[] outs, int[] consumed) {
        int[][] data = new int[outs.length][];
        int highest = -1;
        long references = 0;
        for (int w = 0; w < outs.length; w++) {
            if (!outs[w].isPlaced()) {
                throw new IllegalStateException("output " + w + " was not placed in the bulk index");
            }
            data[w] = outs[w].entries;
            highest = Math.max(highest, outs[w].highest());
            references += outs[w].references();
        }
        index.adopt(data, highest, tables.single, tables.singleMask, references);
        setConsumed(consumed);
    }

    void setConsumed(int[] consumed) {
        for (int t = 0; t < consumed.length; t++) {
            ledger.setConsumed(t, consumed[t]);
        }
    }
}
