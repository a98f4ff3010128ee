package org.licensim.core.engine;

import java.util.Optional;

import org.licensim.core.event.Event;
import org.licensim.core.state.StoreSession;

/**
 * One door for a resolve, whichever store it writes: the engine reconciled, then {@link #apply}
 * for each event and {@link #finish} at the end. On the heap ({@link EngineBuilder#run()}) these
 * are the engine's own; on a persisted store ({@link EngineBuilder#persisted}) they also read the
 * events up to the store's last commit again and switch to the store after them.
 *
 * <p>{@link #apply} throws a {@link Rejection} for a refused event (nothing changed: a caller
 * may go on) and a {@link org.licensim.core.state.StoreFailure} when the store fails (the run
 * must stop: the store stays at its last commit).
 */
public interface EngineRun extends AutoCloseable {
    Engine engine();

    /** Applies one event (see the class for what it throws). */
    void apply(Event e);

    /** Ends the run: every event has been given. */
    void finish();

    /** The persisted store's session, when the run has one. */
    default Optional<StoreSession> persisted() {
        return Optional.empty();
    }

    /** Events read again to rebuild the engine up to a resumed store's last commit (0 on the heap or a new store). */
    default long replayed() {
        return 0;
    }

    /** Releases the store (a persisted one rolls back anything after its last commit). */
    @Override
    void close();

    /** The run of an engine on the heap: nothing to resume, nothing to release. */
    static EngineRun of(Engine engine) {
        return new EngineRun() {
            @Override
            public Engine engine() {
                return engine;
            }

            @Override
            public void apply(Event e) {
                engine.apply(e);
            }

            @Override
            public void finish() {
                // the heap store has nothing to make durable
            }

            @Override
            public void close() {
                // nothing to release: the heap is reclaimed by the garbage collector
            }
        };
    }
}
