package org.licensim.core.state;

import java.util.Arrays;
import java.util.Optional;

import org.roaringbitmap.RoaringBitmap;

/**
 * A {@link StateStore} decorator that keeps the engine summary's per-user totals as entries are
 * written ({@link StoreTotals}, offered by {@link #totals()}), so that a summary taken every
 * simulated day costs the products, not a pass over every user, and
 * the users with a source not Active, so that a group's Reprocess reads only them:
 * per product the users with a source in Error and those waiting for a seat (Error /
 * CountViolation), per error kind the sources in it. Each write subtracts what the user's old
 * entries counted and adds what the new ones count; entries go to the store it wraps unchanged.
 *
 * <p>The totals count every user with entries. The engine writes a deleted user's entries away
 * (R9: its licences are freed), so that equals the summary's count of live users;
 * {@code StateStoreContractTest} holds the totals to a count over the entries after random
 * writes, and {@code DifferentialTest} holds a tallied engine's summary to a scanned one after
 * every event.
 *
 * <p>Whatever else the store it wraps can do (concurrent reads, its source) is passed on.
 */
public final class TalliedStore implements StateStore, StoreTotals {
    private static final int E = StateStore.ENTRY_INTS;
    private static final int ACTIVE = States.pack(States.ACTIVE, States.NONE);

    private final StateStore inner;
    private int[] inError = new int[8];
    private int[] waiting = new int[8];
    private final long[] byError = new long[States.errorCount()];
    /** Users with a source that is not Active/None: the only ones a group's Reprocess has anything to retry for. */
    private final RoaringBitmap notAllActive = new RoaringBitmap();
    /** A user's entries before a write, read back from {@link #inner}. */
    private int[] old = new int[64 * E];

    public TalliedStore(StateStore inner) {
        this.inner = inner;
    }

    @Override
    public Optional<StoreTotals> totals() {
        return Optional.of(this);
    }

    @Override
    public boolean concurrentReads() {
        return inner.concurrentReads();
    }

    @Override
    public Optional<StoreSource> source() {
        return inner.source();
    }

    @Override
    public int usersInError(int t) {
        return t < inError.length ? inError[t] : 0;
    }

    @Override
    public int usersWaiting(int t) {
        return t < waiting.length ? waiting[t] : 0;
    }

    @Override
    public RoaringBitmap usersNotAllActive() {
        return notAllActive;
    }

    @Override
    public long[] sourcesByError() {
        return byError.clone();
    }

    @Override
    public int count(int u) {
        return inner.count(u);
    }

    @Override
    public int read(int u, int[] dst) {
        return inner.read(u, dst);
    }

    @Override
    public void write(int u, int[] src, int offset, int count) {
        int before = inner.count(u);
        if (before > 0) {
            if (before * E > old.length) {
                old = new int[before * E * 2];
            }
            inner.read(u, old);
            tally(old, 0, before, -1);
        }
        mark(u, tally(src, offset, count, 1));
        inner.write(u, src, offset, count);
    }

    @Override
    public void reserve(int users, long entries) {
        inner.reserve(users, entries);
    }

    @Override
    public void prepareBulkLoad(int users) {
        inner.prepareBulkLoad(users);
    }

    @Override
    public void bulkLoad(int[] data, int[] index, int n) {
        for (int i = 0; i < n; i++) {
            mark(index[3 * i], tally(data, index[3 * i + 1], index[3 * i + 2], 1));
        }
        inner.bulkLoad(data, index, n);
    }

    @Override
    public void commit(long lastSeq) {
        inner.commit(lastSeq);
    }

    @Override
    public int users() {
        return inner.users();
    }

    @Override
    public void close() {
        inner.close();
    }

    /** Records whether user {@code u}'s new entries are all Active/None. */
    private void mark(int u, boolean allActive) {
        if (allActive) {
            notAllActive.remove(u);
        } else {
            notAllActive.add(u);
        }
    }

    /**
     * Adds ({@code sign} 1) or takes away (-1) what one user's {@code n} entries at {@code off}
     * count; returns whether every one of them is Active/None.
     */
    private boolean tally(int[] es, int off, int n, int sign) {
        boolean allActive = true;
        for (int i = 0; i < n; i++) {
            int state = es[off + i * E + STATE];
            allActive &= state == ACTIVE;
            byError[States.error(state)] += sign;
            if (States.state(state) != States.ERROR) {
                continue;
            }
            int t = es[off + i * E + PRODUCT];
            if (t >= inError.length) {
                inError = Arrays.copyOf(inError, Math.max(t + 1, inError.length * 2));
                waiting = Arrays.copyOf(waiting, inError.length);
            }
            boolean waits = States.error(state) == States.COUNT_VIOLATION;
            boolean firstError = true;
            boolean firstWait = waits;
            for (int j = 0; j < i && (firstError || firstWait); j++) {
                int other = es[off + j * E + STATE];
                if (es[off + j * E + PRODUCT] == t && States.state(other) == States.ERROR) {
                    firstError = false;
                    firstWait &= States.error(other) != States.COUNT_VIOLATION;
                }
            }
            if (firstError) {
                inError[t] += sign;
            }
            if (firstWait) {
                waiting[t] += sign;
            }
        }
        return allActive;
    }
}
