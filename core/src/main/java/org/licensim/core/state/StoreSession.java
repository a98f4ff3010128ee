package org.licensim.core.state;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.files.Trees;

/**
 * The lifecycle of a persisted store in one run: created on the first run, resumed on later
 * ones, with the catch-up that a resume needs.
 *
 * <p>The store persists resolved state, not the directory (users, groups, memberships) or the
 * seat queue, which live in the engine's memory. So resuming a store whose last commit is event
 * N rebuilds the engine from the same snapshot and the events up to N into a temporary store
 * beside it ({@code DIR/catch-up}, {@link #working()}), compares the two user by user
 * ({@link #finishCatchUp}: a store made from other input is refused, naming the first user that
 * differs), then continues on the persisted store with the events after N. A run killed at any
 * point leaves the store at its last commit. The engine side (which store the engine writes,
 * events read again) is {@code org.licensim.core.engine.PersistedRun}.
 */
public final class StoreSession implements AutoCloseable {
    private static final String CATCH_UP = "catch-up";

    private final Path dir;
    private final ChronicleStateStore store;
    private ChronicleStateStore catchUp;
    private final long resumeAfter;
    private final boolean created;
    private final Consumer<String> log;

    private StoreSession(Path dir, ChronicleStateStore store, ChronicleStateStore catchUp, long resumeAfter,
                         boolean created, Consumer<String> log) {
        this.dir = dir;
        this.store = store;
        this.catchUp = catchUp;
        this.resumeAfter = resumeAfter;
        this.created = created;
        this.log = log;
    }

    /**
     * Creates the store in {@code dir} for {@code tenant} (freshly loaded from the snapshot that
     * {@code source} names) when there is none, else opens it (recovering and verifying it),
     * checks it was made from the same snapshot, and makes the empty catch-up store to rebuild
     * into. {@code log} receives one line per step (sizes and times, no user data).
     */
    public static StoreSession start(Path dir, Tenant tenant, StoreSource source, Consumer<String> log) {
        if (ChronicleStateStore.discardUnfinishedBuild(dir)) {
            log.accept("store " + dir + " was stopped during its first build and held no state yet: building it again");
        }
        if (!ChronicleStateStore.exists(dir)) {
            ChronicleStateStore s = ChronicleStateStore.create(dir, tenant, source, ChronicleStateStore.Sizing.of(tenant));
            s.setLog(log);
            return new StoreSession(dir, s, null, -1, true, log);
        }
        long t0 = System.nanoTime();
        ChronicleStateStore s = ChronicleStateStore.open(dir, true, "resolve --store (writing)");
        s.setLog(log);
        try {
            if (s.recovery() != null) {
                log.accept("store " + dir + " was not closed cleanly: " + s.recovery());
            }
            log.accept(String.format("opened store %s: %,d values verified in %,d ms, last applied event seq %d", dir,
                    s.entries(), (System.nanoTime() - t0) / 1_000_000, s.lastSeq()));
            StoreSource made = s.source().orElseThrow();
            if (!made.equals(source)) {
                throw new LicensimException(dir + ": this store was made from " + made + ", not from " + source
                        + "; resume it with the snapshot it was made from, or give a new --store directory");
            }
            s.attach(tenant);
            Path cu = dir.resolve(CATCH_UP);
            Trees.delete(cu);
            ChronicleStateStore temp = ChronicleStateStore.create(cu, tenant, source, ChronicleStateStore.Sizing.of(tenant));
            return new StoreSession(dir, s, temp, s.lastSeq(), false, log);
        } catch (RuntimeException ex) {
            s.close();
            throw ex;
        }
    }

    public Path dir() {
        return dir;
    }

    /** The persisted store. */
    public ChronicleStateStore store() {
        return store;
    }

    /** The store the engine is built on: the catch-up store while resuming, else the persisted one. */
    public StateStore working() {
        return catchUp != null ? catchUp : store;
    }

    /** Whether this run created the store (rather than resuming it). */
    public boolean created() {
        return created;
    }

    /** Sequence of the last event the store had applied when this run opened it (-1 when created). */
    public long resumedAfter() {
        return resumeAfter;
    }

    /** Whether the engine is still rebuilding up to the store's last commit. */
    public boolean catchingUp() {
        return catchUp != null;
    }

    /** At the end of the events: refuses a run whose events ({@code lastApplied}) stopped short of the store's last commit. */
    public void checkReached(long lastApplied) {
        if (catchUp != null && lastApplied < resumeAfter) {
            throw new LicensimException(dir + ": the store has applied events up to seq " + resumeAfter
                    + " but the events given end at seq " + lastApplied
                    + "; resume it with the events file it was built from (more events may follow)");
        }
    }

    /**
     * Ends the catch-up once the engine has applied the events up to the store's last commit:
     * compares the rebuilt state with the store, removes the catch-up store, and returns the
     * store the engine continues on. {@code t} names users in a difference; {@code replayed} is
     * for the log.
     */
    public ChronicleStateStore finishCatchUp(Tenant t, long replayed) {
        long t0 = System.nanoTime();
        String diff = firstDifference(catchUp, store, t);
        if (diff != null) {
            throw new LicensimException(dir + ": the store does not match its snapshot and events up to seq " + resumeAfter
                    + " (" + diff + "); it was made from other input or changed outside licensim");
        }
        closeCatchUp();
        log.accept(String.format("caught up to seq %d (%,d events read again), state matches the store (%,d ms to compare)",
                resumeAfter, replayed, (System.nanoTime() - t0) / 1_000_000));
        return store;
    }

    /** The first user whose entries differ between two stores, described, or null. */
    static String firstDifference(ChronicleStateStore a, ChronicleStateStore b, Tenant t) {
        int n = Math.max(a.users(), b.users());
        for (int u = 0; u < n; u++) {
            List<StoredEntry> x = a.entries(u);
            List<StoredEntry> y = b.entries(u);
            if (!same(x, y)) {
                String id = u < t.users().size() ? t.users().id(u) : "#" + u;
                return "user " + id + ": its stored entries differ from the rebuilt ones (" + y.size() + " stored, " + x.size() + " rebuilt)";
            }
        }
        return null;
    }

    private static boolean same(List<StoredEntry> x, List<StoredEntry> y) {
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!x.get(i).sameAs(y.get(i))) {
                return false;
            }
        }
        return true;
    }

    private void closeCatchUp() {
        if (catchUp != null) {
            ChronicleStateStore c = catchUp;
            catchUp = null;
            c.close();
            Trees.delete(c.dir());
        }
    }

    /** Closes the store; writes after its last commit (none, unless an event failed midway) are rolled back. */
    @Override
    public void close() {
        try {
            closeCatchUp();
        } finally {
            store.close();
        }
    }
}
