package org.licensim.bench;

/**
 * A full resolution of a loaded tenant, the unit the reconcile benchmark times: the engine and
 * its peers behind one interface, so every number has its rivals beside it in the same run.
 */
public interface Resolver extends AutoCloseable {
    /** Resolves every user's licences from the loaded tenant, replacing any earlier result. */
    void resolve();

    /** The last result in the canonical form ({@link PeerInput#fingerprint}); not timed. */
    long fingerprint();

    @Override
    default void close() {
    }

    /** The implementations, by the name benchmarks take as a parameter. */
    enum Kind {
        engine, plainJdk, duckdb;

        public Resolver create(BenchTenant t) {
            return switch (this) {
                case engine -> new EngineResolver(t);
                case plainJdk -> new PlainJdkResolver(new PeerInput(t.tenant));
                case duckdb -> new DuckDbResolver(new PeerInput(t.tenant));
            };
        }
    }
}
