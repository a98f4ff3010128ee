package org.licensim.core.engine;

import org.licensim.core.directory.Subscriptions;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.States;
import org.licensim.core.state.StoreTotals;
import org.licensim.core.state.UserEntries;

/**
 * Totals of a resolved tenant: per product consumed, capacity, users in error and users waiting
 * for a seat (a source in Error/CountViolation); per error kind the number of sources in that
 * error. One pass over the state store, or none when the engine's store keeps the totals as it is
 * written ({@link StateStore#totals()}, a {@link org.licensim.core.state.TalliedStore}). Arrays are indexed by tenant product.
 */
public record Summary(int users, String[] products, int[] consumed, int[] capacity, int[] usersInError,
                      int[] usersWaiting, long[] sourcesByError) {

    public static Summary of(Engine engine) {
        return of(engine, engine.store().totals().isEmpty());
    }

    /** The summary by a pass over the store ({@code scan}), or from the totals the store kept. */
    static Summary of(Engine engine, boolean scan) {
        var tenant = engine.tenant();
        Subscriptions subs = tenant.subscriptions();
        int n = subs.size();
        String[] names = new String[n];
        int[] consumed = new int[n];
        int[] capacity = new int[n];
        int[] inError = new int[n];
        int[] waiting = new int[n];
        for (int t = 0; t < n; t++) {
            names[t] = subs.product(t).skuPartNumber();
            consumed[t] = engine.consumed(t);
            capacity[t] = subs.units(t).capacity();
        }
        if (!scan) {
            StoreTotals tally = engine.store().totals().orElseThrow();
            for (int t = 0; t < n; t++) {
                inError[t] = tally.usersInError(t);
                waiting[t] = tally.usersWaiting(t);
            }
            return new Summary(tenant.users().liveCount(), names, consumed, capacity, inError, waiting,
                    tally.sourcesByError());
        }
        long[] byError = new long[States.errorCount()];
        // per product, the last user counted: a stamp, instead of flags cleared for every user
        int[] seen = new int[n];
        int[] seenWaiting = new int[n];
        java.util.Arrays.fill(seen, -1);
        java.util.Arrays.fill(seenWaiting, -1);
        scan(engine, (u, es, count) -> {
            for (int i = 0; i < count; i++) {
                int at = i * StateStore.ENTRY_INTS;
                int state = es[at + StateStore.STATE];
                byError[States.error(state)]++;
                if (States.state(state) != States.ERROR) {
                    continue;
                }
                int t = es[at + StateStore.PRODUCT];
                if (seen[t] != u) {
                    seen[t] = u;
                    inError[t]++;
                }
                if (States.error(state) == States.COUNT_VIOLATION && seenWaiting[t] != u) {
                    seenWaiting[t] = u;
                    waiting[t]++;
                }
            }
        });
        return new Summary(tenant.users().liveCount(), names, consumed, capacity, inError, waiting, byError);
    }

    /**
     * Per product, the groups (by index, ascending) whose members hold a source of it in
     * Error/CountViolation: the groups to reprocess when seats are free again, since Entra does
     * not retry a failed source by itself (SPEC R18). One pass over the state store.
     */
    public static java.util.List<java.util.SortedSet<Integer>> waitingGroups(Engine engine) {
        var tenant = engine.tenant();
        int n = tenant.subscriptions().size();
        java.util.List<java.util.SortedSet<Integer>> out = new java.util.ArrayList<>();
        for (int t = 0; t < n; t++) {
            out.add(new java.util.TreeSet<>());
        }
        int waiting = States.pack(States.ERROR, States.COUNT_VIOLATION);
        scan(engine, (u, es, count) -> {
            for (int i = 0; i < count; i++) {
                int at = i * StateStore.ENTRY_INTS;
                if (es[at + StateStore.STATE] == waiting && !StateStore.isDirect(es[at + StateStore.SRC])) {
                    out.get(es[at + StateStore.PRODUCT]).add(es[at + StateStore.SRC]);
                }
            }
        });
        return out;
    }

    /** Every live user's entries (the heap and persisted stores do no I/O a caller must handle here). */
    private static void scan(Engine engine, UserEntries visit) {
        try {
            UserEntries.forEach(engine.store(), engine.tenant().users(), visit);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
