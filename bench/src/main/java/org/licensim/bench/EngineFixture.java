package org.licensim.bench;

import java.time.Instant;
import java.util.List;

import org.licensim.core.engine.Engine;
import org.licensim.core.event.Event;

/** A reconciled engine over a bench tenant, with its own event sequence, for the per-event benchmarks. */
final class EngineFixture {
    static final Instant TIME = Instant.parse("2026-06-01T09:00:00Z");
    final BenchTenant bench;
    final Engine engine;
    /** Every user's id, made once: a timed call takes its id from here, so B/op is the engine's and the event's. */
    private final String[] ids;
    private long seq = 1;

    EngineFixture(BenchTenant bench) {
        this.bench = bench;
        engine = Engine.builder(bench.tenant).reconcile();
        ids = new String[bench.users];
        for (int u = 0; u < ids.length; u++) {
            ids[u] = BenchTenant.userId(u);
        }
    }

    /** User {@code u}'s id (not allocated per call). */
    String id(int u) {
        return ids[u];
    }

    long nextSeq() {
        return seq++;
    }

    /** Applies a setup event; a refusal here is a broken fixture. */
    void require(Event e) {
        engine.apply(e);
    }

    /** Creates a licensed assigned group with these members (by user index), for benchmarks that need one. */
    String licensedGroup(String id, int product, int[] members) {
        List<String> ids = new java.util.ArrayList<>(members.length);
        for (int u : members) {
            ids.add(BenchTenant.userId(u));
        }
        require(new Event.GroupCreated(nextSeq(), TIME, id, id, true, null, false, ids));
        require(new Event.LicenseAssignedToGroup(nextSeq(), TIME, id, BenchTenant.PRODUCTS.get(product), List.of()));
        return id;
    }
}
