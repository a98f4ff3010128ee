package org.licensim.core.engine;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import org.licensim.core.LicensimException;
import org.licensim.core.directory.Tenant;
import org.licensim.core.event.Event;
import org.licensim.core.files.Trees;
import org.licensim.core.state.ChronicleStateStore.StoredEntry;
import org.licensim.core.state.ChronicleStateStore;
import org.licensim.core.state.StateStore;

/**
 * An engine whose state lives in a persisted {@link ChronicleStateStore} directory, created on
 * the first run and resumed on later ones.
 *
 * <p>The store persists resolved state, not the directory (users, groups, memberships) or the
 * seat queue, which live in the engine's memory. So resuming a store whose last commit is event
 * N rebuilds the engine from the same snapshot and the events up to N into a temporary store
 * beside it ({@code DIR/catch-up}), compares the two user by user (a store made from other
 * input is refused, naming the first user that differs), then continues on the persisted store
 * with the events after N. Events up to N are read again but change nothing in the store; a
 * run killed at any point leaves the store at its last commit.
 */
public final class StoreSession implements AutoCloseable {
    private static final String CATCH_UP = "catch-up";

    private final Path dir;
    private final Engine engine;
    private final ChronicleStateStore store;
    private ChronicleStateStore catchUp;
    private final long resumeAfter;
    private final boolean created;
    private final Consumer<String> log;
    private long replayed;

    private StoreSession(Path dir, Engine engine, ChronicleStateStore store, ChronicleStateStore catchUp,
                         long resumeAfter, boolean created, Consumer<String> log) {
        this.dir = dir;
        this.engine = engine;
        this.store = store;
        this.catchUp = catchUp;
        this.resumeAfter = resumeAfter;
        this.created = created;
        this.log = log;
    }

    /**
     * Opens the store in {@code dir} (creating it when absent) for {@code tenant}, freshly loaded
     * from the snapshot that {@code source} names, and reconciles it with engines that
     * {@code engineOn} makes over a store. {@code log} receives one line per step (sizes and
     * times, no user data). Called by the engine builder (persisted).
     */
    static StoreSession start(Path dir, Tenant tenant, String source, Consumer<String> log,
                              Function<StateStore, Engine> engineOn) {
        if (ChronicleStateStore.discardUnfinishedBuild(dir)) {
            log.accept("store " + dir + " was stopped during its first build and held no state yet: building it again");
        }
        if (!ChronicleStateStore.exists(dir)) {
            long t0 = System.nanoTime();
            ChronicleStateStore s = ChronicleStateStore.create(dir, tenant, source, ChronicleStateStore.Sizing.of(tenant));
            s.setLog(log);
            Engine e = engineOn.apply(s);
            try {
                e.reconcile();
            } catch (RuntimeException ex) {
                s.close();
                throw ex;
            }
            log.accept(String.format("created store %s: %,d users reconciled in %,d ms", dir, tenant.users().size(),
                    (System.nanoTime() - t0) / 1_000_000));
            return new StoreSession(dir, e, s, null, e.lastAppliedSeq(), true, log);
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
            if (!s.source().equals(source)) {
                throw new LicensimException(dir + ": this store was made from " + s.source() + ", not from " + source
                        + "; resume it with the snapshot it was made from, or give a new --store directory");
            }
            s.attach(tenant);
            Path cu = dir.resolve(CATCH_UP);
            Trees.delete(cu);
            ChronicleStateStore temp = ChronicleStateStore.create(cu, tenant, source, ChronicleStateStore.Sizing.of(tenant));
            Engine e = engineOn.apply(temp);
            e.reconcile();
            StoreSession session = new StoreSession(dir, e, s, temp, s.lastSeq(), false, log);
            if (e.lastAppliedSeq() >= s.lastSeq()) {
                session.finishCatchUp();
            }
            return session;
        } catch (RuntimeException ex) {
            s.close();
            throw ex;
        }
    }

    public Engine engine() {
        return engine;
    }

    public ChronicleStateStore store() {
        return store;
    }

    /** Whether this run created the store (rather than resuming it). */
    public boolean created() {
        return created;
    }

    /** Sequence of the last event the store had applied when this run opened it. */
    public long resumedAfter() {
        return resumeAfter;
    }

    /** Events read again to rebuild the engine up to the store's last commit. */
    public long replayed() {
        return replayed;
    }

    /** Whether events are still being read again up to the store's last commit. */
    public boolean catchingUp() {
        return catchUp != null;
    }

    /**
     * Applies one event: while catching up (seq at most the store's last commit) to the rebuild,
     * after that to the store. A rejected event throws like {@link Engine#apply} and changes nothing.
     */
    public void apply(Event e) {
        if (catchUp != null && e.seq() > resumeAfter) {
            finishCatchUp();
        }
        engine.apply(e);
        if (catchUp != null) {
            replayed++;
        }
    }

    /** Ends the run: the events must have reached the store's last commit. */
    public void finish() {
        if (catchUp != null) {
            if (engine.lastAppliedSeq() < resumeAfter) {
                throw new LicensimException(dir + ": the store has applied events up to seq " + resumeAfter
                        + " but the events given end at seq " + engine.lastAppliedSeq()
                        + "; resume it with the events file it was built from (more events may follow)");
            }
            finishCatchUp();
        }
    }

    private void finishCatchUp() {
        long t0 = System.nanoTime();
        String diff = firstDifference(catchUp, store, engine.tenant());
        if (diff != null) {
            throw new LicensimException(dir + ": the store does not match its snapshot and events up to seq " + resumeAfter
                    + " (" + diff + "); it was made from other input or changed outside licensim");
        }
        engine.useStore(store);
        catchUp.close();
        Trees.delete(catchUp.dir());
        catchUp = null;
        log.accept(String.format("caught up to seq %d (%,d events read again), state matches the store (%,d ms to compare)",
                resumeAfter, replayed, (System.nanoTime() - t0) / 1_000_000));
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
            StoredEntry p = x.get(i);
            StoredEntry q = y.get(i);
            if (p.src() != q.src() || p.product() != q.product() || p.state() != q.state() || p.key() != q.key()
                    || p.time() != q.time() || !Arrays.equals(p.enabled(), q.enabled())) {
                return false;
            }
        }
        return true;
    }

    /** Closes the store; writes after its last commit (none, unless an event failed midway) are rolled back. */
    @Override
    public void close() {
        if (catchUp != null) {
            catchUp.close();
            Trees.delete(catchUp.dir());
            catchUp = null;
        }
        store.close();
    }
}
