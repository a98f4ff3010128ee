package org.licensim.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.licensim.core.catalog.Catalog;
import org.licensim.core.io.SnapshotWriter;
import org.licensim.simulator.scenario.Scenario;
import org.licensim.simulator.scenario.Scenarios;
import org.licensim.simulator.run.Simulation;

/**
 * How to serve: the starting tenant (snapshot JSON bytes and a name for messages), where
 * changes go, and the server's options. Public fields with the defaults of {@code licensim serve}.
 */
public final class ServeConfig {
    /** The starting tenant as snapshot JSON (docs/FORMATS.md). */
    public byte[] snapshot;
    /** What {@link #snapshot} came from, for messages and for a store's check on restart. */
    public String source = "snapshot";
    /** A store directory: the starting snapshot, the durable event log and group queue (null: in memory only). */
    public Path store;
    /** Without a store: also append accepted events here (not fsynced), JSON Lines. */
    public Path eventLog;
    /** Address to listen on; loopback unless told otherwise. */
    public String bind = "127.0.0.1";
    /** Port; 0 picks a free one ({@link GraphServer#port()} tells which). */
    public int port = 8080;
    /** When set, every request needs {@code Authorization: Bearer <token>}. */
    public String token;
    /** Graph's identity throttling: resource units per 10 s for the whole tenant; 0: off. */
    public int throttle;
    /** Members per second a group licence job processes; 0: as fast as the engine goes (still queued). */
    public double processingRate;
    /** Largest request body accepted (Graph's limit for a request is 4 MB). */
    public int maxBodyBytes = 4 * 1024 * 1024;
    /** Undertow's I/O threads (0: one per core). */
    public int ioThreads;
    /** Threads that run requests (0: 8 per core). */
    public int workerThreads;

    /** The snapshot of day 0 of a shipped scenario (or scenario file) with {@code users} users (null: the scenario's). */
    public static byte[] scenarioSnapshot(String scenario, Integer users) {
        Catalog catalog = Catalog.loadDefault();
        Scenario s = Scenarios.load(scenario, catalog).with(null, users, 0);
        Simulation sim = new Simulation(s, catalog);
        sim.run((day, days, events, nanos) -> { }, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        try {
            SnapshotWriter.write(sim.engine(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
