package org.licensim.core.engine;

import java.nio.file.Path;
import java.util.function.Consumer;

import org.licensim.core.directory.Tenant;
import org.licensim.core.engine.reconcile.ShortSeats;
import org.licensim.core.feed.ChangeFeed;
import org.licensim.core.rules.DynamicMembership;
import org.licensim.core.rules.RuleMembership;
import org.licensim.core.state.HeapStateStore;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.StoreSession;
import org.licensim.core.state.StoreSource;

/**
 * The one place an engine is assembled: dynamic membership, feed, store and reconcile. The
 * defaults are what a resolve needs: the rule language, with every dynamic group's members
 * evaluated from its rule first; a disabled feed (no audit kept); the on-heap store.
 *
 * <pre>{@code
 * Engine e = Engine.builder(tenant).reconcile();                          // resolved on the heap
 * Engine e = Engine.builder(tenant).feed(feed).membership(custom).build(); // not reconciled yet
 * EngineRun r = Engine.builder(tenant).run();                            // the same, behind the run's door
 * EngineRun r = Engine.builder(tenant).persisted(dir, source, log);       // created or resumed in dir
 * }</pre>
 */
public final class EngineBuilder {
    private final Tenant tenant;
    private DynamicMembership membership;
    private ChangeFeed feed;
    private StateStore store;
    private ShortSeats shortSeats = ShortSeats.DEMAND;
    private int threads;

    EngineBuilder(Tenant tenant) {
        this.tenant = tenant;
    }

    /**
     * How dynamic groups get their members; the caller has already evaluated it for the tenant
     * (the default, the rule language, is evaluated by the builder).
     */
    public EngineBuilder membership(DynamicMembership m) {
        this.membership = m;
        return this;
    }

    /** Where changes are appended (default: a disabled feed). */
    public EngineBuilder feed(ChangeFeed f) {
        this.feed = f;
        return this;
    }

    /** The store to resolve into, empty (default: a new {@link HeapStateStore}). */
    public EngineBuilder store(StateStore s) {
        this.store = s;
        return this;
    }

    private java.time.Instant now;

    /**
     * system.now for time-driven rules when the tenant is loaded (default: the snapshot's
     * evaluatedAt, else the wall clock); each event then moves it to the event's time.
     */
    public EngineBuilder now(java.time.Instant at) {
        this.now = at;
        return this;
    }

    /** How a reconcile settles short seats (default {@link ShortSeats#DEMAND}). */
    public EngineBuilder shortSeats(ShortSeats s) {
        this.shortSeats = s;
        return this;
    }

    /** Reconcile workers (default 0: one per core for large tenants). */
    public EngineBuilder reconcileThreads(int n) {
        this.threads = n;
        return this;
    }

    /** The engine, not reconciled yet (for a caller that reconciles or inspects it itself). */
    public Engine build() {
        return on(store != null ? store : new HeapStateStore());
    }

    /** The engine with the tenant reconciled into its store. */
    public Engine reconcile() {
        Engine e = build();
        e.reconcile();
        return e;
    }

    /** The reconciled engine on the heap, behind the door a persisted run has too. */
    public EngineRun run() {
        return EngineRun.of(reconcile());
    }

    /**
     * An engine whose state lives in a persisted store in {@code dir}: created and reconciled
     * on the first run, resumed (and checked against {@code source}, the snapshot's name and
     * digest) on later ones. {@code log} receives one line per step.
     */
    public EngineRun persisted(Path dir, StoreSource source, Consumer<String> log) {
        DynamicMembership m = membership();
        ChangeFeed f = feed();
        return PersistedRun.start(StoreSession.start(dir, tenant, source, log),
                s -> configure(new Engine(tenant, s, f, m)), log);
    }

    private Engine on(StateStore s) {
        return configure(new Engine(tenant, s, feed(), membership()));
    }

    private Engine configure(Engine e) {
        e.setShortSeats(shortSeats);
        e.setReconcileThreads(threads);
        return e;
    }

    private DynamicMembership membership() {
        if (membership == null) {
            RuleMembership rules = new RuleMembership();
            if (now != null) {
                rules.setNow(now.getEpochSecond());
            }
            rules.applyTo(tenant);
            membership = rules;
        }
        return membership;
    }

    private ChangeFeed feed() {
        if (feed == null) {
            feed = new ChangeFeed();
            feed.setEnabled(false);
        }
        return feed;
    }
}
