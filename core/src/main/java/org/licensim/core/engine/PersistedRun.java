package org.licensim.core.engine;

import java.util.Optional;
import java.util.function.Function;

import org.licensim.core.directory.Tenant;
import org.licensim.core.event.Event;
import org.licensim.core.state.StateStore;
import org.licensim.core.state.StoreSession;

/**
 * An engine whose state lives in a persisted store ({@link StoreSession}: created, or resumed
 * after a catch-up). While the events up to the store's last commit are read again, the engine
 * writes the catch-up store; at the first event after them (or at the end) the two are compared
 * and the engine continues on the persisted store.
 */
final class PersistedRun implements EngineRun {
    private final StoreSession session;
    private final Engine engine;
    private long replayed;

    private PersistedRun(StoreSession session, Engine engine) {
        this.session = session;
        this.engine = engine;
    }

    /** Starts the session and reconciles the tenant into the store it gives (the new store, or the catch-up one). */
    static PersistedRun start(StoreSession session, Function<StateStore, Engine> engineOn, java.util.function.Consumer<String> log) {
        long t0 = System.nanoTime();
        try {
            Engine e = engineOn.apply(session.working());
            e.reconcile();
            PersistedRun run = new PersistedRun(session, e);
            if (session.created()) {
                Tenant t = e.tenant();
                log.accept(String.format("created store %s: %,d users reconciled in %,d ms", session.dir(),
                        t.users().size(), (System.nanoTime() - t0) / 1_000_000));
            } else if (e.lastAppliedSeq() >= session.resumedAfter()) {
                run.finishCatchUp();
            }
            return run;
        } catch (RuntimeException ex) {
            session.close();
            throw ex;
        }
    }

    @Override
    public Engine engine() {
        return engine;
    }

    @Override
    public Optional<StoreSession> persisted() {
        return Optional.of(session);
    }

    @Override
    public long replayed() {
        return replayed;
    }

    @Override
    public void apply(Event e) {
        if (session.catchingUp() && e.seq() > session.resumedAfter()) {
            finishCatchUp();
        }
        engine.apply(e);
        if (session.catchingUp()) {
            replayed++;
        }
    }

    @Override
    public void finish() {
        if (session.catchingUp()) {
            session.checkReached(engine.lastAppliedSeq());
            finishCatchUp();
        }
    }

    private void finishCatchUp() {
        engine.useStore(session.finishCatchUp(engine.tenant(), replayed));
    }

    @Override
    public void close() {
        session.close();
    }
}
